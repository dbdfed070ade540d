"""The user guides. They hold no personal data (their screenshots show synthetic test
persons), so they are open to anyone who has the address, as the notice's link would be."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nir.web.guides import GUIDES


def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/guides/index.html", {"guides": GUIDES.values()})


def guide(request: HttpRequest, slug: str) -> HttpResponse:
    found = GUIDES.get(slug)
    if found is None:
        raise Http404
    return render(
        request,
        "web/guides/guide.html",
        {"guide": found, "body": found.template(), "guides": GUIDES.values()},
    )
