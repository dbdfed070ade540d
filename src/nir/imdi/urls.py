from django.urls import path

from nir.imdi.views import figures, grants, norsk_figures, reports, rules, support

app_name = "imdi"

urlpatterns = [
    # Support requests: both sides, each seeing what its scope allows.
    path("henvendelser/", support.request_list, name="requests"),
    path("henvendelser/ny/", support.request_create, name="request-create"),
    path("henvendelser/etterregistrering/", grants.own_grants, name="own-grants"),
    path("henvendelser/<int:request_id>/", support.request_detail, name="request"),
    path("henvendelser/<int:request_id>/svar/", support.request_reply, name="request-reply"),
    path("henvendelser/<int:request_id>/avgjor/", support.request_decide, name="request-decide"),
    path("henvendelser/<int:request_id>/lukk/", support.request_close, name="request-close"),
    # IMDi only.
    path("imdi/etterregistrering/", grants.grant_list, name="grants"),
    path(
        "imdi/etterregistrering/<int:grant_id>/trekk-tilbake/",
        grants.grant_revoke,
        name="grant-revoke",
    ),
    path("imdi/datakvalitet/", figures.quality, name="quality"),
    path("imdi/statistikk/", figures.statistics_page, name="statistics"),
    path("imdi/statistikk.<str:fmt>", figures.statistics_export, name="statistics-export"),
    path("imdi/statistikk/etter-frist/", figures.compare, name="compare"),
    path("imdi/statistikk/norsk/", norsk_figures.norsk_statistics_page, name="norsk-statistics"),
    path(
        "imdi/statistikk/norsk.<str:fmt>",
        norsk_figures.norsk_statistics_export,
        name="norsk-statistics-export",
    ),
    path("imdi/ukraina/", reports.ukraina_list, name="ukraina"),
    path("imdi/ukraina/lag/", reports.ukraina_build, name="ukraina-build"),
    path("imdi/ukraina/<str:month>/", reports.ukraina_month, name="ukraina-month"),
    path("imdi/ukraina/<str:month>/rapport.xlsx", reports.ukraina_download, name="ukraina-xlsx"),
    path("imdi/regler-i-bruk/", rules.rules_page, name="rules"),
    path("imdi/regler-i-bruk.json", rules.rules_json, name="rules-json"),
    path("imdi/jobber/", reports.job_runs, name="jobs"),
    path("imdi/innsyn/", reports.unusual_access, name="unusual-access"),
]
