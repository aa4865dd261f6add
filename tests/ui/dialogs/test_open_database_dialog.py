"""文件 → 打开数据库…, driven as a user would: another SQLite file, a file held by another program (read
only), and the throw-away PostgreSQL server: wrong password, no password, server unreachable, not our
database, a newer schema (one sentence each, the dialog stays open, the window keeps its database),
then the right password: the window switches. The password is never written anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.services.context import AppContext

DATA = Path(__file__).resolve().parent.parent.parent / "data"


class Driver:
    """Replaces the window's run_dialog: each step fills the dialog and presses 打开 (or 取消) and
    records what the dialog said; the dialog is not exec()'d."""

    def __init__(self, steps) -> None:  # noqa: ANN001
        self.steps = list(steps)
        self.said: list[str] = []
        self.dialog = None

    def __call__(self, dialog) -> bool:  # noqa: ANN001
        self.dialog = dialog
        for step in self.steps:
            step(dialog)
            if dialog.result() == QDialog.Accepted:
                return True
            self.said.append(dialog.error.text() if dialog.error.isVisibleTo(dialog) else "")
        dialog.reject()
        return False


def press_open(d) -> None:  # noqa: ANN001
    d.open_button.click()


def file_step(path: Path, read_only: bool = False):  # noqa: ANN201
    def step(d) -> None:  # noqa: ANN001
        d.file_kind.setChecked(True)
        d.path.setText(str(path))
        d.read_only.setChecked(read_only)
        press_open(d)

    return step


def server_step(host: str, port: int, database: str, user: str, password: str):  # noqa: ANN201
    def step(d) -> None:  # noqa: ANN001
        d.server_kind.setChecked(True)
        d.host.setText(host)
        d.port.setValue(port)
        d.database.setText(database)
        d.user.setText(user)
        d.password.setText(password)
        press_open(d)

    return step


def _other_ledger(path: Path) -> None:
    with AppContext.open(path) as ctx:
        ctx.ledgers.create_ledger("另一本台账", 2024)


def _switch(w, monkeypatch, steps) -> Driver:  # noqa: ANN001
    driver = Driver(steps)
    monkeypatch.setattr(w, "run_dialog", driver)
    w.acts.open_database.trigger()
    return driver


@pytest.fixture
def switched(qtbot):
    """Windows the switch made: shut down at the end."""
    made: list = []
    yield made
    for new in made:
        new.runner.wait(10000)
        new.shutdown()


def test_another_sqlite_file_replaces_the_window_and_is_remembered(city, monkeypatch, tmp_path, switched, qtbot):
    other = tmp_path / "other.sqlite3"
    _other_ledger(other)
    first = city.ctx.db_label
    city.show()
    driver = _switch(city, monkeypatch, [file_step(other)])
    new = city.replaced_by
    switched.append(new)
    qtbot.addWidget(new)
    assert driver.said == []
    assert new.ctx.db_path == other and new.isVisible() and not city.isVisible()
    assert [s.title for s in new.summaries()] == ["另一本台账"]
    assert city.ctx.db.engine is None  # the old database was closed, its lock let go
    AppContext.open(first).close()  # no longer held by the first window
    from desktop_app.ui.database_flows import recent_databases

    assert recent_databases(new.qsettings)[:2] == [str(other.resolve()), str(Path(first).resolve())]
    # the dialog on the new window lists both; choosing the first file fills its path
    driver = _switch(new, monkeypatch, [lambda d: d.recent.setCurrentRow(1) or d.reject()])
    assert driver.dialog.path.text() == str(Path(first).resolve())
    assert driver.dialog.file_kind.isChecked()


def test_a_refused_file_says_one_sentence_and_keeps_the_database_open(city, monkeypatch, tmp_path):
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_bytes(b"not a database at all, just some text" * 10)
    before = city.ctx.ledgers.list_ledgers()
    driver = _switch(city, monkeypatch, [file_step(foreign), lambda d: d.path.clear() or press_open(d)])
    assert not hasattr(city, "replaced_by")
    assert "不是本程序的数据库" in driver.said[0] and "\n" not in driver.said[0]
    assert driver.said[1] == "请填写或选择台账数据库文件后再打开。"
    assert city.ctx.ledgers.list_ledgers() == before  # the window's database is still open and works
    assert foreign.read_bytes().startswith(b"not a database")
    driver = _switch(city, monkeypatch, [file_step(Path(city.ctx.db_path))])
    assert driver.said == ["这个数据库已经打开了，无需重新打开。"]


def test_a_file_another_program_holds_opens_read_only_when_ticked(city, monkeypatch, tmp_path, switched, qtbot):
    other = tmp_path / "held.sqlite3"
    _other_ledger(other)
    holder = AppContext.open(other)  # another program has it open for writing
    try:
        driver = _switch(city, monkeypatch, [file_step(other), file_step(other, read_only=True)])
        assert "已被" in driver.said[0] and "只读" in driver.said[0]
        new = city.replaced_by
        switched.append(new)
        qtbot.addWidget(new)
        assert new.ctx.read_only and "（只读）" in new.windowTitle()
        assert not new.acts.add_task.isEnabled()
    finally:
        holder.close()


# ---- the PostgreSQL server ------------------------------------------------------------------------------
@pytest.fixture
def clerk_db(pg_cluster, pg_template):
    """A ledger database on the test server the clerk (a password login) may read and write."""
    import pgcluster

    name = pg_cluster.new_database(template=pg_template)
    for what in ("TABLES", "SEQUENCES"):
        pg_cluster.sql(f"GRANT ALL ON ALL {what} IN SCHEMA public TO {pgcluster.CLERK}", database=name)
    with AppContext.open(pg_cluster.url(name)) as ctx:
        ctx.imports.import_file(DATA / "city-2023.docx")
    yield name
    pg_cluster.drop_database(name)


def test_the_server_asked_in_the_dialog_every_failure_one_sentence(
    city, monkeypatch, pg_cluster, pg_template, clerk_db, switched, qtbot, tmp_path
):
    import pgcluster
    from pgcluster import _free_port

    foreign = pg_cluster.new_database()
    newer = pg_cluster.new_database(template=pg_template)
    try:
        pg_cluster.sql("CREATE TABLE customers (id int)", database=foreign)
        pg_cluster.sql("UPDATE alembic_version SET version_num = '9999_future'", database=newer)
        host, port, clerk = "127.0.0.1", pg_cluster.port, pgcluster.CLERK
        before = city.ctx.ledgers.list_ledgers()
        driver = _switch(
            city,
            monkeypatch,
            [
                server_step(host, port, clerk_db, clerk, "wrong-password"),
                server_step(host, port, clerk_db, clerk, ""),
                server_step(host, _free_port(), clerk_db, clerk, "x"),
                server_step(host, port, foreign, "postgres", ""),
                server_step(host, port, newer, "postgres", ""),
                server_step("", port, clerk_db, clerk, "x"),
                server_step(host, port, clerk_db, clerk, pgcluster.CLERK_PASSWORD),
            ],
        )
        wrong, empty, unreachable, not_ours, newer_schema, no_host = driver.said
        assert "密码不对" in wrong
        assert "服务器要求输入密码" in empty
        assert "无法连接服务器数据库" in unreachable and "没有响应" in unreachable
        assert "其他程序" in not_ours and "没有改动" in not_ours
        assert "更新版本" in newer_schema
        assert no_host == "请填写服务器地址后再连接服务器数据库。"
        for sentence in driver.said:
            assert "\n" not in sentence and "Traceback" not in sentence and "psycopg" not in sentence
        assert pg_cluster.sql("SELECT tablename FROM pg_tables WHERE schemaname='public'", database=foreign) == [
            ("customers",)
        ]
        # then the right password: the window is on the server, as `--db postgresql://…` starts it
        new = city.replaced_by
        switched.append(new)
        qtbot.addWidget(new)
        assert new.ctx.server and new.ctx.db.person == clerk
        assert [s.title for s in new.summaries()] == [s.title for s in before]
        task = new.current_ledger().all_tasks()[0]
        new.ctx.ledgers.update_task(task.id, "remarks", "服务器上的修改")
        assert new.ctx.ledgers.get_task(task.id).remarks == "服务器上的修改"
        # remembered: everything but the password, which is in no settings file
        from desktop_app.ui.database_flows import recent_databases

        assert recent_databases(new.qsettings)[0] == f"postgresql://{clerk}@{host}:{port}/{clerk_db}"
        new.qsettings.sync()
        for ini in (tmp_path / "qsettings").rglob("*"):
            if ini.is_file():
                assert pgcluster.CLERK_PASSWORD not in ini.read_text(encoding="utf-8", errors="replace")
        assert driver.dialog.password.text() == ""
        # chosen again from the recent list: the fields come back, the password is to be typed
        again = _switch(new, monkeypatch, [lambda d: d.recent.setCurrentRow(0) or d.reject()])
        d = again.dialog
        assert d.server_kind.isChecked() and (d.host.text(), d.port.value(), d.database.text(), d.user.text()) == (
            host,
            port,
            clerk_db,
            clerk,
        )
        assert d.password.text() == ""
    finally:
        pg_cluster.drop_database(foreign)
        pg_cluster.drop_database(newer)
