"""Settings: the 填报人 entered while the program runs names the next changes in the audit trail."""

from __future__ import annotations

from desktop_app.services.context import AppContext
from desktop_app.storage.database import os_user


def test_the_person_entered_now_names_the_next_change(ctx: AppContext, ledger) -> None:
    tid = ledger.all_tasks()[0].id
    server_login = ctx.db.server and ctx.db.url is not None and ctx.db.url.username
    ctx.settings.set("contact_person", "")
    ctx.ledgers.update_task(tid, "remarks", "无人名时")
    ctx.settings.update({"my_unit": "市民政局", "contact_person": " 王五 "})
    ctx.ledgers.update_task(tid, "remarks", "王五改的")
    ctx.settings.set("contact_person", "")  # cleared again: the OS account
    ctx.ledgers.update_task(tid, "remarks", "又无人名")
    persons = {e.new_value: e.person for e in ctx.ledgers.audit_events(ledger.id, tid)}
    if server_login:  # a server database names its login, whatever the settings say
        assert set(persons.values()) == {ctx.db.url.username}
    else:
        assert persons == {"无人名时": os_user(), "王五改的": "王五", "又无人名": os_user()}
