from django.urls import path
from django.views.i18n import set_language

from nir.web.views import (
    auth,
    guides,
    norsk,
    norsk_reports,
    notifications,
    participants,
    registrations,
    reports,
    worklist,
)

app_name = "web"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("logg-inn/", auth.SignInView.as_view(), name="login"),
    path("logg-ut/", auth.SignOutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set-language"),
    path("deltakere/", participants.search, name="search"),
    path("veiledning/", guides.guide_list, name="guides"),
    path("veiledning/<slug:slug>/", guides.guide, name="guide"),
    path("varsler/", notifications.preferences, name="notifications"),
    path("person/ny/", participants.person_create, name="person-create"),
    path("person/sjekk-nummer/", participants.identity_number_check, name="identity-number-check"),
    path("person/<int:person_id>/", participants.person_detail, name="person"),
    path("person/<int:person_id>/endre/", participants.person_edit, name="person-edit"),
    path(
        "person/<int:person_id>/ny-deltakelse/",
        participants.participation_create,
        name="participation-create",
    ),
    path(
        "deltakelse/<int:participation_id>/",
        participants.participation_detail,
        name="participation",
    ),
    path(
        "deltakelse/<int:participation_id>/registrer/<slug:kind>/",
        registrations.register,
        name="register",
    ),
    path(
        "deltakelse/<int:participation_id>/forhandsvis/<slug:kind>/",
        registrations.preview,
        name="preview",
    ),
    path(
        "deltakelse/<int:participation_id>/annuller/<slug:entity>/<int:entity_id>/",
        registrations.cancel,
        name="cancel",
    ),
    path(
        "deltakelse/<int:participation_id>/angre-avslutning/",
        registrations.undo_termination,
        name="undo-termination",
    ),
    path(
        "person/<int:person_id>/ny-norskopplaering/",
        norsk.start,
        name="norsk-start",
    ),
    path(
        "norskopplaering/<int:norsk_participation_id>/registrer/<slug:kind>/",
        norsk.register,
        name="norsk-register",
    ),
    path(
        "norskopplaering/<int:norsk_participation_id>/forhandsvis/<slug:kind>/",
        norsk.preview,
        name="norsk-preview",
    ),
    path(
        "norskopplaering/<int:norsk_participation_id>/annuller/<slug:entity>/<int:entity_id>/",
        norsk.cancel,
        name="norsk-cancel",
    ),
    path(
        "norskopplaering/<int:norsk_participation_id>/angre-avslutning/",
        norsk.undo_end,
        name="norsk-undo-end",
    ),
    path("etterregistrering/", registrations.late_registration, name="late-registration"),
    path("rapporter/avsluttede/", reports.terminated, name="report-terminated"),
    path(
        "rapporter/avsluttede.<str:fmt>",
        reports.terminated_export,
        name="report-terminated-export",
    ),
    path("rapporter/personliste/", reports.person_list, name="report-person-list"),
    path(
        "rapporter/personliste.<str:fmt>",
        reports.person_list_export,
        name="report-person-list-export",
    ),
    path("rapporter/norsk-avsluttede/", norsk_reports.ended, name="report-norsk-ended"),
    path(
        "rapporter/norsk-avsluttede.<str:fmt>",
        norsk_reports.ended_export,
        name="report-norsk-ended-export",
    ),
    path(
        "rapporter/norsk-personliste/", norsk_reports.person_list, name="report-norsk-person-list"
    ),
    path(
        "rapporter/norsk-personliste.<str:fmt>",
        norsk_reports.person_list_export,
        name="report-norsk-person-list-export",
    ),
    path("rapporter/kommuneoversikt/", reports.overview, name="report-overview"),
]
