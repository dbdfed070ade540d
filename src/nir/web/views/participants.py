"""Finding participants, the participant page, and registering persons and participations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nir.register.models import Person
from nir.register.selectors import visible_persons
from nir.register.services.participations import NewParticipation, create_participation
from nir.register.services.persons import PersonData, register_person, update_person
from nir.rules.errors import RuleViolation
from nir.rules.identity import compact_identity_number
from nir.web.access import (
    actor_for,
    current_user,
    person_access,
    registering_access,
    scope_of,
    searched_schemes,
)
from nir.web.audit import log_read
from nir.web.errors import STALE, WINDOW_CLOSED, attach_violation
from nir.web.forms import ParticipationForm, PersonEditForm, PersonForm, SearchForm
from nir.web.norsk_registrations import NORSK_KINDS
from nir.web.participant import participant_page
from nir.web.registrations import KINDS
from nir.web.search import SEARCH_SORTING, SearchQuery, person_sorting
from nir.web.search_results import NORSK_PAGE, SearchResults, search_results
from nir.web.sorting import sort_of
from nir.web.visible import participation_or_404, person_or_404


@person_access
def search(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    scope = scope_of(user)
    national = scope is None
    schemes = searched_schemes(user)
    form = SearchForm(request.GET or None, choose_kommune=national, schemes=schemes)
    today = timezone.localdate()
    found = SearchResults()
    sort = sort_of(request, SEARCH_SORTING)
    person_sort = sort_of(request, person_sorting(national))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if scope is None and data.get("kommune"):
            # IMDi narrowing the national search to one municipality stays within its scope.
            scope = data["kommune"].pk
        query = SearchQuery(
            text=data["q"],
            status=data["status"],
            regime=data["regime"],
            frist_from=data["frist_fra"],
            frist_to=data["frist_til"],
            missing=data["mangler"],
            scheme=data.get("ordning", ""),
        )
        found = search_results(request, scope, query, schemes, (sort, person_sort))
        log_read(request, "web_search", found.person_ids())
    return render(
        request,
        "web/search.html",
        {
            "form": form,
            "found": found,
            "page": found.programme,
            "norsk_page": found.norsk,
            "norsk_hits": found.norsk_hits(today),
            "persons": found.persons,
            "persons_cut": found.persons_cut,
            "query_string": _without(request, "side"),
            "norsk_query_string": _without(request, NORSK_PAGE),
            "sort": sort,
            "headers": sort.headers(request),
            "person_sort": person_sort,
            "person_headers": person_sort.headers(request),
            "national": national,
        },
    )


def _without(request: HttpRequest, param: str) -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


@person_access
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    today = timezone.localdate()
    page = participant_page(scope_of(current_user(request)), person_id, today)
    if page is None:
        raise Http404
    log_read(request, "web_view_person", [page.person.pk])
    return render(
        request,
        "web/person.html",
        {
            "page": page,
            "person": page.person,
            "today": today,
            "kinds": KINDS.values(),
            "norsk_kinds": NORSK_KINDS.values(),
        },
    )


@person_access
def participation_detail(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = participation_or_404(request, participation_id)
    url = reverse("web:person", args=[participation.person_id])
    return redirect(f"{url}#deltakelse-{participation.pk}")


def _person_data(form: PersonForm) -> PersonData:
    d = form.cleaned_data
    return PersonData(
        identity_number=d["identity_number"],
        given_name=d["given_name"],
        family_name=d["family_name"],
        birth_date=d["birth_date"],
        permit_type=d["permit_type"],
        permit_date=d["permit_date"],
        sex=d["sex"],
        duf_number=d["duf_number"],
        arrival_date=d["arrival_date"],
        settlement_date=d["settlement_date"],
        settled_by_agreement=d["settled_by_agreement"],
        has_upper_secondary=form.cleaned_upper_secondary(),
        research_reservation=d["research_reservation"],
    )


@registering_access
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    person = person_or_404(request, person_id)
    if request.method != "POST":
        form = PersonEditForm(initial=PersonEditForm.initial_from(person))
        log_read(request, "web_edit_person", [person.pk])
        return render(request, "web/person_form.html", {"form": form, "person": person})
    form = PersonEditForm(request.POST)
    stale = None
    if form.is_valid():
        try:
            update_person(
                actor=actor_for(user),
                person_id=person.pk,
                expected_version=form.cleaned_data["expected_version"],
                data=_person_data(form),
            )
        except RuleViolation as violation:
            if violation.code == STALE:
                stale = violation
            else:
                attach_violation(form, violation)
        else:
            messages.success(
                request, _("Personopplysningene er lagret. Fristene er beregnet på nytt.")
            )
            return redirect("web:person", person_id=person.pk)
    log_read(request, "web_edit_person", [person.pk])
    return render(request, "web/person_form.html", {"form": form, "person": person, "stale": stale})


@registering_access
def person_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PersonForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            person = register_person(actor=actor_for(user), data=_person_data(form))
        except RuleViolation as violation:
            if violation.code == DUPLICATE:
                context["existing"] = _existing_person(request, form.cleaned_data)
            attach_violation(form, violation)
        else:
            messages.success(request, _("Personen er registrert. Registrer deltakelsen nedenfor."))
            return redirect("web:participation-create", person_id=person.pk)
    return render(request, "web/person_form.html", context)


DUPLICATE = "identity_number.exists"
ELEVEN = 11


def _existing_person(request: HttpRequest, data: dict[str, Any]) -> Person | bool:
    """The person already registered with the number, where the user may see them;
    ``True`` where the person exists outside the user's municipality."""
    number = data["identity_number"]
    person = visible_persons(scope_of(current_user(request))).filter(identity_number=number).first()
    if person is None:
        return True
    log_read(request, "web_duplicate_person", [person.pk])
    return person


@person_access
@require_POST
def identity_number_check(request: HttpRequest) -> HttpResponse:
    """The identity number checked on its own while it is typed (the rule alone: no lookup
    of who has it, so nothing about any person is read)."""
    field = PersonForm().fields["identity_number"]
    value = request.POST.get("identity_number", "")
    error = None
    # While fewer than 11 digits are typed the number is still being written: say nothing.
    compact = compact_identity_number(value)
    if len(compact) >= ELEVEN or (not compact.isdigit() and compact):
        try:
            field.clean(value)
        except ValidationError as invalid:
            error = invalid.messages[0]
    return render(
        request,
        "web/partials/identity_check.html",
        {"field_id": "id_identity_number", "help_text": field.help_text, "error": error},
    )


@registering_access
def participation_create(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    scope = scope_of(user)
    person = person_or_404(request, person_id)
    form = ParticipationForm(request.POST or None, needs_kommune=scope is None)
    window_closed = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kommune_id = d["kommune"].pk if scope is None else scope
        try:
            participation = create_participation(
                actor=actor_for(user),
                person_id=person.pk,
                new=NewParticipation(
                    start_date=d["start_date"],
                    category=d["category"] or None,
                    case_id=d["case_id"],
                    sluttmaal=d["sluttmaal"] or None,
                ),
                kommune_id=kommune_id,
            )
        except RuleViolation as violation:
            attach_violation(form, violation)
            if violation.code == WINDOW_CLOSED:
                window_closed = violation.params.get("closed_on")
        else:
            messages.success(
                request,
                _("Deltakelsen er registrert. Frist for gjennomføring: %(frist)s.")
                % {"frist": f"{participation.frist:%d.%m.%Y}"},
            )
            return redirect("web:participation", participation_id=participation.pk)
    log_read(request, "web_participation_form", [person.pk])
    return render(
        request,
        "web/participation_form.html",
        {"form": form, "person": person, "window_closed": window_closed},
    )
