"""Server-side sorting of every paged list: one helper for the caseworker's and IMDi's pages.

A list declares its columns once (``Sorting``): the key in the address, the header's label
and what the database orders by. ``sort_of`` reads ``?sortering=<key>`` or ``-<key>`` from
the request; anything else gives the list's default order, never an error. The order is
always completed by the default's columns and then the row's id, so rows that tie keep one
stable order across pages and in the CSV/XLSX export, which reads the same order. The
headers are links (reachable by Tab, followed with Enter) carrying ``aria-sort``; a link keeps
every filter and starts from the first page, and the pages keep the sort as they keep the
filters (``query_string``).

Codes are sorted by their label in the reader's language (``ByLabel``), not by the code. A
list held in memory rather than in a query (IMDi's corrections after the cut-off) declares
each column's ``value`` instead and is put in order by ``Sort.sorted``, by the same rules.
A page with a second list gives it its own key in the address (``Sorting.query_key``), so
sorting one list leaves the other as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, Expression, F, IntegerField, Q, Value, When
from django.db.models.expressions import OrderBy
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _

SORT_PARAM = "sortering"
PAGE_PARAM = "side"
Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class ByLabel:
    """A code field ordered by its label in the reader's language (unknown codes last),
    made when the list is read, so each language gets its own alphabetical order."""

    field: str
    labels: Mapping[str, object]

    def expression(self) -> Case:
        ranked = sorted(self.labels, key=lambda code: str(self.labels[code]).casefold())
        return Case(
            *[When(Q(**{self.field: c}), then=Value(rank)) for rank, c in enumerate(ranked)],
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )


# What the database orders by: a field path, an expression, a code by its label, or a
# function making the expression, where making it costs a query (only if sorted by it).
Orderable = str | F | Expression | ByLabel | Callable[[], Expression]


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the value in the address
    label: Promise | str
    orders: tuple[Orderable, ...] = ()  # first to last
    numeric: bool = False  # a number column, aligned right
    # A list held in memory: the row's value to order by (None: empty, last either way).
    value: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Sorting:
    """A list's sortable columns and its default order (a key, ``-`` for descending)."""

    columns: tuple[Column, ...]
    default: str
    # The id's direction at the end of every order: newest first where the list has
    # always shown the newest first among ties.
    newest_first: bool = False
    # The key in the address: a page's second list has its own.
    query_key: str = SORT_PARAM
    # The page a new order starts from; None for a list without pages (the page then
    # belongs to the other list on the page, and sorting this one leaves it alone).
    page_key: str | None = PAGE_PARAM

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True, slots=True)
class Header:
    label: str
    url: str
    aria_sort: str | None  # ascending | descending | None (not the sorted column)
    hint: str  # what following the link does, for a screen reader
    numeric: bool


@dataclass(frozen=True, slots=True)
class Sort:
    """The order a list is shown in: its column and direction."""

    sorting: Sorting
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @property
    def is_default(self) -> bool:
        return self.param == self.sorting.default

    def order_by(self) -> tuple[OrderBy, ...]:
        """The ordering: the column, then the default's columns, then the id; empty values
        last in either direction, on SQLite as on PostgreSQL."""
        column = self.sorting.column(self.key)
        assert column is not None  # sort_of chooses only declared columns
        default = parse(self.sorting, self.sorting.default)
        default_column = self.sorting.column(default.key)
        assert default_column is not None
        result = [_ordered(o, self.descending) for o in column.orders]
        if default_column is not column:
            result += [_ordered(o, default.descending) for o in default_column.orders]
        result.append(F("pk").desc() if self.sorting.newest_first else F("pk").asc())
        return tuple(result)

    def sorted(self, rows: Sequence[Row]) -> list[Row]:
        """A list held in memory in this order: the column, then the default's, then the
        list's own order; empty values last in either direction, as ``order_by`` does."""
        default = parse(self.sorting, self.sorting.default)
        keys = [(self.key, self.descending)]
        if default.key != self.key:
            keys.append((default.key, default.descending))
        result = list(rows)
        # Stable sorts, the last key first: each earlier key decides among the later ties.
        for key, descending in reversed(keys):
            column = self.sorting.column(key)
            assert column is not None and column.value is not None, key
            result.sort(key=_empty_last(column.value, descending), reverse=descending)
        return result

    def headers(self, request: HttpRequest) -> list[Header]:
        """Each column's header, in order: a link to sort by it (ascending first; the sorted
        column's link turns the direction), keeping the filters and starting from page one."""
        headers = []
        for column in self.sorting.columns:
            current = column.key == self.key
            descending = current and not self.descending
            params = request.GET.copy()
            if self.sorting.page_key is not None:
                params.pop(self.sorting.page_key, None)
            params[self.sorting.query_key] = f"-{column.key}" if descending else column.key
            aria = None
            if current:
                aria = "descending" if self.descending else "ascending"
            hint = _("sorter synkende") if descending else _("sorter stigende")
            url = f"?{params.urlencode()}"
            headers.append(Header(str(column.label), url, aria, hint, column.numeric))
        return headers


def _empty_last(value: Callable[[Any], Any], descending: bool) -> Callable[[Any], tuple[bool, Any]]:
    """A sort key putting empty values (None) last, ascending or (``reverse``) descending:
    ascending (False, v) before (True, None); reversed, (True, v) before (False, None)."""

    def rank(row: Any) -> tuple[bool, Any]:
        v = value(row)
        return (v is not None, v) if descending else (v is None, v)

    return rank


def _ordered(orderable: Orderable, descending: bool) -> OrderBy:
    expression: F | Expression
    if isinstance(orderable, str):
        expression = F(orderable)
    elif isinstance(orderable, ByLabel):
        expression = orderable.expression()
    elif isinstance(orderable, (F, Expression)):
        expression = orderable
    else:
        expression = orderable()
    if descending:
        return expression.desc(nulls_last=True)
    return expression.asc(nulls_last=True)


def parse(sorting: Sorting, value: str | None) -> Sort:
    """``key`` or ``-key`` of a declared column; anything else is the default."""
    text = (value or "").strip()
    key = text.removeprefix("-")
    if not key or sorting.column(key) is None:
        if text == sorting.default:
            raise ValueError(f"the default order {sorting.default!r} is not a column")
        return parse(sorting, sorting.default)
    return Sort(sorting, key, text.startswith("-"))


def sort_of(request: HttpRequest, sorting: Sorting) -> Sort:
    return parse(sorting, request.GET.get(sorting.query_key))
