"""Finding participants: by identity number, DUF number or name, with filters (reads only),
in either scheme: the programme's participations and the Norwegian-training ordninger, each
in its own list, and the persons in neither of the lists the reader searches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Expression, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.register.models import Participation, Person, TerminationSource
from nir.register.norsk_follow_up import norsk_goal_or_education_missing
from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import (
    programme_time_exceeded,
    sluttmaal_applies,
    visible_norsk_participations,
    visible_participations,
    visible_persons,
    with_registration_flags,
    with_sluttmaal_applies,
)
from nir.rules.identity import compact_identity_number
from nir.rules.schemes import Scheme
from nir.web.sorting import ByLabel, Column, Sorting


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str = ""
    status: str = ""  # aktiv | avsluttet | ikke_registrert | frist_30 | frist_utlopt
    regime: str = ""
    frist_from: dt.date | None = None
    frist_to: dt.date | None = None
    missing: str = ""  # sluttmaal | vedtak | tiltak | utvidelse | norskmaal
    scheme: str = ""  # a Scheme's value: that scheme's list alone; "" both


# A status or a lack one scheme has and the other has not matches none of the other's rows:
# the programme's register ends a participation «ikke registrert», Norwegian training stands
# «frist utløpt» (N3-d); a sluttmål, decision or measure is the programme's, a norskmål or
# the education background the Norwegian scheme's (N2-a, N3-b).
PROGRAMME_ONLY_STATUSES = ("ikke_registrert",)
NORSK_ONLY_STATUSES = ("frist_utlopt",)
PROGRAMME_LACKS = ("sluttmaal", "vedtak", "tiltak", "utvidelse")
NORSK_LACKS = ("norskmaal",)


def _text_filter(text: str, prefix: str = "") -> Q:
    # A number is found however it is written: «010190 12480», «010190-12480».
    compact = compact_identity_number(text)
    if compact.isdigit():
        if len(compact) == 11:
            return Q(**{f"{prefix}identity_number": compact})
        if len(compact) == 12:
            return Q(**{f"{prefix}duf_number": compact})
        return Q(**{f"{prefix}identity_number__startswith": compact}) | Q(
            **{f"{prefix}duf_number__startswith": compact}
        )
    condition = Q()
    for term in text.split():
        condition &= Q(**{f"{prefix}given_name__icontains": term}) | Q(
            **{f"{prefix}family_name__icontains": term}
        )
    return condition


def _either_scheme[M: (Participation, NorskParticipation)](
    rows: QuerySet[M], query: SearchQuery
) -> QuerySet[M]:
    """What both schemes' rows are found by alike: the person's number or name, the law,
    the frist's range."""
    if query.text.strip():
        rows = rows.filter(_text_filter(query.text, "person__"))
    if query.regime:
        rows = rows.filter(regime=query.regime)
    if query.frist_from:
        rows = rows.filter(frist__gte=query.frist_from)
    if query.frist_to:
        rows = rows.filter(frist__lte=query.frist_to)
    return rows


def _frist_within_30(as_of: dt.date) -> Q:
    return Q(end_date__isnull=True, frist__range=(as_of, as_of + dt.timedelta(days=30)))


def search_participations(
    kommune_id: int | None, query: SearchQuery, as_of: dt.date
) -> QuerySet[Participation]:
    if query.status in NORSK_ONLY_STATUSES or query.missing in NORSK_LACKS:
        return Participation.objects.none()
    queryset = with_sluttmaal_applies(with_registration_flags(visible_participations(kommune_id)))
    queryset = _either_scheme(queryset, query)
    if query.status == "aktiv":
        queryset = queryset.filter(end_date__isnull=True)
    elif query.status == "avsluttet":
        queryset = queryset.filter(termination_source=TerminationSource.USER)
    elif query.status == "ikke_registrert":
        queryset = queryset.filter(termination_source=TerminationSource.SYSTEM)
    elif query.status == "frist_30":
        queryset = queryset.filter(_frist_within_30(as_of))
    # The flags are annotations of with_registration_flags, hence the keyword dicts.
    if query.missing == "sluttmaal":
        queryset = queryset.filter(sluttmaal_applies(), **{"has_sluttmaal": False})
    elif query.missing == "vedtak":
        queryset = queryset.filter(**{"has_decision": False})
    elif query.missing == "tiltak":
        queryset = queryset.filter(**{"has_measures": False})
    elif query.missing == "utvidelse":
        queryset = programme_time_exceeded(queryset)
    return queryset.order_by("frist", "person__family_name", "pk")


def search_norsk(
    kommune_id: int | None, query: SearchQuery, as_of: dt.date
) -> QuerySet[NorskParticipation]:
    """The Norwegian-training ordninger the query finds, the frist soonest first (an ordning
    whose frist is not computable last, N3-b)."""
    if query.status in PROGRAMME_ONLY_STATUSES or query.missing in PROGRAMME_LACKS:
        return NorskParticipation.objects.none()
    rows = _either_scheme(visible_norsk_participations(kommune_id), query)
    open_ = Q(end_date__isnull=True)
    rows = rows.filter(
        {
            "aktiv": open_,
            "avsluttet": Q(end_date__isnull=False),
            "frist_30": _frist_within_30(as_of),
            "frist_utlopt": open_ & Q(frist__lt=as_of),
        }.get(query.status, Q())
    )
    if query.missing == "norskmaal":
        rows = rows.filter(pk__in=norsk_goal_or_education_missing(kommune_id).values("pk"))
    return rows.order_by(F("frist").asc(nulls_last=True), "person__family_name", "pk")


def persons_without_participation(
    kommune_id: int | None, text: str, schemes: frozenset[Scheme] = frozenset(Scheme)
) -> QuerySet[Person]:
    """Persons registered but in none of the schemes searched yet, so a search finds them
    too (a Norwegian-training user finds the programme's participant to start the training
    for); by name unless ordered otherwise (``person_sorting``)."""
    if not text.strip():
        return Person.objects.none()
    persons = visible_persons(kommune_id)
    if Scheme.INTRODUKSJONSPROGRAM in schemes:
        persons = persons.filter(participations__isnull=True)
    if Scheme.NORSK in schemes:
        persons = persons.filter(norsk_participations__isnull=True)
    return (
        persons.filter(_text_filter(text))
        .select_related("registered_by_kommune")
        .order_by("family_name", "given_name", "pk")
    )


def _status_rank() -> Case:
    """Active, ended with a reason, ended by the register: as the status column reads."""
    return Case(
        When(end_date__isnull=True, then=Value(0)),
        When(termination_source=TerminationSource.USER, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _missing_count() -> Expression:
    """How many of sluttmål, decision and measures a row lacks (the «Mangler» column)."""

    def lacks(condition: Q) -> Case:
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    return (
        lacks(sluttmaal_applies() & Q(has_sluttmaal=False))
        + lacks(Q(has_decision=False))
        + lacks(Q(has_measures=False))
    )


# The search's columns, sortable by any (nir.web.sorting); frist first by default.
SEARCH_SORTING = Sorting(
    columns=(
        Column("navn", _("Navn"), ("person__family_name", "person__given_name")),
        Column("fodselsdato", _("Fødselsdato"), ("person__birth_date",)),
        Column("fnr", _("Fødselsnr./D-nr."), ("person__identity_number",)),
        Column("kommune", _("Kommune"), ("kommune__display_name",)),
        Column("lovverk", _("Lovverk"), (ByLabel("regime", labels.REGIMES),)),
        Column("oppstart", _("Oppstart"), ("start_date",)),
        Column("frist", _("Frist"), ("frist", "person__family_name")),
        Column("status", _("Status"), (_status_rank(), "end_date")),
        Column("mangler", _("Mangler"), (_missing_count(),)),
    ),
    default="frist",
)


# «Personer uten deltakelse» below the search's list: sortable by any column with its own key
# in the address, so sorting it leaves the participations' order and page as they were.
PERSON_COLUMNS = (
    Column("navn", _("Navn"), ("family_name", "given_name")),
    Column("fodselsdato", _("Fødselsdato"), ("birth_date",)),
    Column("fnr", _("Fødselsnr./D-nr."), ("identity_number",)),
)


def person_sorting(national: bool) -> Sorting:
    """The persons' columns; IMDi's search, across municipalities, adds who registered them."""
    kommune = (
        (Column("kommune", _("Registrert av kommune"), ("registered_by_kommune__display_name",)),)
        if national
        else ()
    )
    return Sorting(
        columns=(*PERSON_COLUMNS, *kommune),
        default="navn",
        query_key="personsortering",
        page_key=None,
    )
