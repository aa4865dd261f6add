"""Server mode on the throw-away PostgreSQL cluster: the same revisions, refusing a foreign database,
the password asked and kept in memory only, backups left to the administrator."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop_app.domain.model import Ledger, LedgerError, Section, Task
from desktop_app.storage import migrate
from desktop_app.storage.database import Database, ReadOnlyDatabase, display_url, server_url
from desktop_app.storage.repository import LedgerRepository
from desktop_app.storage.tables import Base


def test_an_empty_server_database_gets_every_revision_and_matches_the_tables(pg_cluster) -> None:
    name = pg_cluster.new_database()
    try:
        with Database(pg_cluster.url(name)) as db:
            assert db.server and db.path is None and db.kind == "postgresql"
            assert migrate.current_revision(db.engine) == migrate.head_revision()
            with db.engine.connect() as conn:
                assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            with db.session() as s:
                LedgerRepository(s).add(Ledger(title="服务器台账", sections=[Section(tasks=[Task(content="a")])]))
            assert db.backup_before("import") is None  # the administrator backs the server up
        migrate_down = Database(pg_cluster.url(name), migrate_schema=False)
        try:
            migrate.downgrade(migrate_down.engine, "0001")  # every revision goes back down on PostgreSQL too
            migrate.upgrade(migrate_down.engine)
        finally:
            migrate_down.close()
    finally:
        pg_cluster.drop_database(name)


def test_another_programs_database_is_refused_untouched(pg_cluster) -> None:
    name = pg_cluster.new_database()
    try:
        pg_cluster.sql("CREATE TABLE customers (id int)", database=name)
        with pytest.raises(LedgerError) as err:
            Database(pg_cluster.url(name))
        assert "其他程序" in err.value.message
        tables = pg_cluster.sql("SELECT tablename FROM pg_tables WHERE schemaname='public'", database=name)
        assert tables == [("customers",)]
    finally:
        pg_cluster.drop_database(name)


def test_the_password_is_asked_retried_and_never_in_the_address(pg_cluster, pg_template) -> None:
    import pgcluster

    name = pg_cluster.new_database(template=pg_template)
    pg_cluster.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {pgcluster.CLERK}", database=name)
    try:
        url = pg_cluster.url(name, user=pgcluster.CLERK)
        asked: list[str] = []
        answers = iter(["wrong", pgcluster.CLERK_PASSWORD])
        with Database(url, password=lambda prompt: asked.append(prompt) or next(answers)) as db:
            assert len(asked) == 2 and "密码" in asked[0] and "不对" in asked[1]
            assert db.read_only  # a login given SELECT only (INSTALL.md 7.1's readers): opened 只读
            with pytest.raises(ReadOnlyDatabase):
                with db.session() as s:
                    LedgerRepository(s).add(Ledger(title="x", sections=[Section(tasks=[Task(content="a")])]))
            assert pgcluster.CLERK_PASSWORD not in db.label and "***" not in db.label
            with db.session() as s:
                assert LedgerRepository(s).summaries() == []
        with pytest.raises(LedgerError) as cancelled:
            Database(url, password=lambda prompt: None)
        assert "没有输入密码" in cancelled.value.message
        with pytest.raises(LedgerError) as refused:
            Database(url)  # no way to ask: one sentence, no traceback
        assert "密码" in refused.value.message
    finally:
        pg_cluster.drop_database(name)


def test_read_only_on_the_server_refuses_writes(pg_url) -> None:
    with Database(pg_url, read_only=True) as db:
        with pytest.raises(ReadOnlyDatabase):
            with db.session() as s:
                LedgerRepository(s).add(Ledger(title="x", sections=[Section(tasks=[Task(content="a")])]))


def test_addresses() -> None:
    url = server_url("postgresql://zhang:secret@10.0.0.5:5433/ledger")
    assert url.drivername == "postgresql+psycopg" and url.password == "secret"
    assert display_url(url) == "postgresql://zhang@10.0.0.5:5433/ledger"
    with pytest.raises(LedgerError):
        server_url("postgresql://zhang@host")
