"""The change feed's action enum names every history action the services can write: a
client generated from the contract must be able to read every event the feed can give."""

import ast
import re
from pathlib import Path

from nir.api.schemas.value_sets import ChangeAction
from nir.register.services import events
from nir.rules.termination import AutomaticAction

SERVICES = Path(__file__).resolve().parents[2] / "src" / "nir" / "register" / "services"
# SQL that spells an action itself: ``SELECT now, 'system', 'system', '<action>', …``.
SQL_ACTION = re.compile(r"'system', 'system', '([a-z_]+)'")


def _actions(node: ast.expr, where: str) -> set[str]:
    """The actions one ``action`` value can be; an expression not read here fails, so a new
    way of naming an action cannot slip past."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _actions(node.body, where) | _actions(node.orelse, where)
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        if (
            len(node.values) == 2
            and isinstance(head, ast.Constant)
            and head.value == "automatic_termination_"
        ):
            return {f"automatic_termination_{a.value}" for a in AutomaticAction} - {
                "automatic_termination_none"
            }
    # ``action=new.action`` and ``action=action``: the value is named where it is built.
    if isinstance(node, ast.Attribute | ast.Name):
        return set()
    raise AssertionError(f"{where}: an action the test cannot read: {ast.unparse(node)}")


# An event written with none of these belongs to no municipality: the feed never gives it
# (the annual cut-off and its exceptions, the grants: IMDi's, kept in the history).
FEED_KEYS = {"participation", "person", "kommune_id", "person_id", "participation_id"}
WRITERS = {"history_event", "record_event", "HistoryEvent"}


def written_actions() -> set[str]:
    """Every action the services write where the change feed can give it: the event
    catalogue's, and any a service still names itself."""
    found: set[str] = {kind.action for kind in events.CATALOGUE if kind.in_feed}
    for path in sorted(SERVICES.glob("*.py")):
        source = path.read_text()
        found |= set(SQL_ACTION.findall(source))
        for node in ast.walk(ast.parse(source)):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                keywords = {k.arg: k.value for k in node.keywords}
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if "action" in keywords and not (name in WRITERS and not FEED_KEYS & set(keywords)):
                    found |= _actions(keywords["action"], where)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                found |= _actions(node.value, where)
    return found


def test_the_feeds_action_enum_names_every_action_the_services_write():
    written = written_actions()
    # The scan reads what it should: the writes of every kind of service are among them.
    assert {
        "participation_created",
        "participation_seeded",
        "leave_registered",
        "termination_replaced_automatic",
        "automatic_termination_end",
        "automatic_termination_move",
        "person_anonymised",
        "registration_cancelled",
    } <= written

    missing = written - {a.value for a in ChangeAction}

    assert not missing, f"ChangeAction lacks {sorted(missing)}"
