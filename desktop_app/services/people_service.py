"""Several staff on one ledger: who I am, who may edit a ledger (编辑/只读), what the others changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.model import AuditEvent, LedgerError
from desktop_app.storage.database import Database
from desktop_app.storage.repository import ROLE_EDIT, ROLE_LABELS, ROLE_READ, LedgerRepository

__all__ = ["ROLE_EDIT", "ROLE_LABELS", "ROLE_READ", "ChangeBatch", "PeopleService"]

OVERLAP = 50  # ids re-read on each poll: on PostgreSQL a change may commit after a later id


@dataclass
class ChangeBatch:
    """What the others changed since the last poll: tasks to reload, and whether more than tasks did."""

    events: list[AuditEvent] = field(default_factory=list)
    task_ids: set[int] = field(default_factory=set)
    ledger_ids: set[int] = field(default_factory=set)  # ledgers whose structure or details changed
    people: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.events)


# Changes of one task's fields: the window reloads that task only. Anything else: the whole ledger.
TASK_ACTIONS = frozenset({"update", "progress", "undo_progress", "attach", "detach"})
IGNORED = frozenset({"export"})


class PeopleService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._last = 0
        self._seen: set[int] = set()

    @property
    def person(self) -> str:
        return self.db.person

    # ---- roles --------------------------------------------------------------------------------------
    def members(self, ledger_id: int) -> dict[str, str]:
        """{person: "edit" | "read"}; empty: everyone who can open the database may edit."""
        with self.db.session() as s:
            return LedgerRepository(s).members(ledger_id)

    def role(self, ledger_id: int, person: str | None = None) -> str:
        with self.db.session() as s:
            return LedgerRepository(s).role_of(ledger_id, self.person if person is None else person)

    def can_edit(self, ledger_id: int) -> bool:
        return not self.db.read_only and self.role(ledger_id) == ROLE_EDIT

    def set_role(self, ledger_id: int, person: str, role: str | None) -> None:
        """编辑 ("edit"), 只读 ("read"), or None to take the person off the list. Audited."""
        person = person.strip()
        if not person:
            raise LedgerError("请填写人员的登录名或姓名后再设置权限。")
        with self.db.session() as s:
            LedgerRepository(s).set_member(ledger_id, person, role)

    def set_roles(self, ledger_id: int, wanted: dict[str, str]) -> None:
        """The whole list at once (权限 dialog), in one transaction: all of it or, refused, none of it.
        Others first (new editors before readers, then removals), this user's own role last, so an
        editor may hand the ledger on and then step down."""
        wanted = {p.strip(): r for p, r in wanted.items() if p.strip()}
        if any(r not in (ROLE_EDIT, ROLE_READ) for r in wanted.values()):
            raise LedgerError("权限只能是“编辑”或“只读”，未做改动。")
        me = self.person
        with self.db.session() as s:
            repo = LedgerRepository(s)
            current = repo.members(ledger_id)
            if wanted and not current and me not in wanted:
                wanted[me] = ROLE_EDIT  # the first to set roles keeps the right to edit
            changes: list[tuple[str, str | None]] = [
                (p, r) for p, r in sorted(wanted.items()) if current.get(p) != r and p != me and r == ROLE_EDIT
            ]
            changes += [(p, r) for p, r in sorted(wanted.items()) if current.get(p) != r and p != me and r == ROLE_READ]
            changes += [(p, None) for p in sorted(current) if p not in wanted and p != me]
            if me in current or me in wanted:
                mine = wanted.get(me)
                if current.get(me) != mine:
                    changes.append((me, mine))
            for person, role in changes:
                repo.set_member(ledger_id, person, role)

    # ---- the change counter -------------------------------------------------------------------------
    def start_watching(self) -> int:
        """From now on: changes before this are not reported."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            self._last = repo.latest_change()
            # the overlap re-read by each poll holds changes made before now: seen, not news (the first
            # poll after opening said "X刚修改了这本台账" for the last changes of the previous sitting)
            self._seen = {e.id for e in repo.changes_since(self._last, OVERLAP) if e.id is not None}
        return self._last

    def poll(self) -> ChangeBatch:
        """The others' changes since the last poll (this copy's own are skipped). One short query."""
        with self.db.session() as s:
            events = LedgerRepository(s).changes_since(self._last, OVERLAP)
        batch = ChangeBatch()
        for e in events:
            if e.id is None or e.id in self._seen:
                continue
            self._seen.add(e.id)
            self._last = max(self._last, e.id)
            if e.client == self.db.client or e.action in IGNORED:
                continue
            batch.events.append(e)
            if e.action in TASK_ACTIONS and e.task_id is not None:
                batch.task_ids.add(e.task_id)
            elif e.ledger_id is not None:
                batch.ledger_ids.add(e.ledger_id)
            if e.person and e.person not in batch.people:
                batch.people.append(e.person)
        if len(self._seen) > 10_000:  # only the overlap matters
            self._seen = {i for i in self._seen if i > self._last - OVERLAP}
        return batch
