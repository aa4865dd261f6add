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
    wait_connected(d)


def wait_connected(d, limit: float = 30.0) -> None:  # noqa: ANN001
    """A server is tried in a worker thread: the dialog's event loop turns until it has answered."""
    import time

    from PySide6.QtTest import QTest

    end = time.monotonic() + limit
    while d.connecting and time.monotonic() < end:
        QTest.qWait(20)
    assert not d.connecting, "no answer from the worker thread"


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


# ---- connecting in a worker thread: the window stays responsive, 取消 stops waiting --------------------------
@pytest.fixture
def silent_server():
    """A TCP port that takes the connection and never answers (a server that hangs): the client waits
    for its 10 s connect timeout."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_connecting_to_a_server_that_hangs_shows_busy_and_cancel_keeps_the_database_open(
    city, monkeypatch, silent_server
):
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    before = city.ctx.ledgers.list_ledgers()
    seen = {}

    def fill_and_wait(d) -> None:  # noqa: ANN001
        d.server_kind.setChecked(True)
        d.host.setText("127.0.0.1")
        d.port.setValue(silent_server)
        d.database.setText("zwgk_ledger")
        d.user.setText("zhang")
        d.password.setText("secret")
        d.open_button.click()  # returns at once: the server is tried in the background
        ticks = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        QTest.qWait(150)  # the event loop turns: the dialog (and the window behind it) stay responsive
        seen["busy"] = (d.connecting, d.busy_box.isVisibleTo(d), d.cancel_button.text(), d.host.isEnabled())
        seen["ticks"] = ticks
        seen["label"] = d.busy_label.text()
        seen["attempt"] = d._attempt
        d.cancel_button.click()  # 取消连接
        seen["after"] = (d.connecting, d.error.text(), d.host.isEnabled(), d.isVisible() or d.result())

    driver = _switch(city, monkeypatch, [fill_and_wait])
    assert seen["busy"] == (True, True, "取消连接", False) and seen["ticks"] == [1]
    assert "正在连接服务器 127.0.0.1" in seen["label"]
    connecting, said, enabled, _state = seen["after"]
    assert not connecting and said == "已取消连接，当前打开的数据库不变。" and enabled
    assert not hasattr(city, "replaced_by") and city.isVisible() is city.isVisible()
    assert city.ctx.ledgers.list_ledgers() == before  # the window's database is still open and works
    assert driver.dialog.opened is None


def test_a_connection_that_comes_after_cancel_is_closed(qtbot) -> None:
    import threading

    from desktop_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog

    release, closed = threading.Event(), []

    class Late:
        server = True
        db_label = "postgresql://zhang@10.1.2.3:5432/zwgk_ledger"

        def close(self) -> None:
            closed.append(True)

    def slow_opener(target, read_only=False, password=None):  # noqa: ANN001, ANN202
        release.wait(30)
        return Late()

    d = OpenDatabaseDialog([], opener=slow_opener)
    qtbot.addWidget(d)
    d.server_kind.setChecked(True)
    d.host.setText("10.1.2.3")
    d.database.setText("zwgk_ledger")
    d.open_button.click()
    attempt = d._attempt
    assert d.connecting
    d.reject()  # Esc / 取消 while connecting: stops waiting, the dialog stays
    assert not d.connecting and d.result() != QDialog.Accepted
    release.set()
    attempt.thread.join(30)
    qtbot.waitUntil(lambda: closed == [True])
    assert d.opened is None


def test_a_server_answer_in_the_background_opens_it(qtbot, pg_url) -> None:
    from desktop_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog

    d = OpenDatabaseDialog([])
    qtbot.addWidget(d)
    d.use_recent(None)
    from desktop_app.services.connection_service import ServerAddress

    address = ServerAddress.parse(pg_url)
    d.server_kind.setChecked(True)
    d.host.setText(address.host)
    d.port.setValue(address.port)
    d.database.setText(address.database)
    d.user.setText(address.user)
    d.open_button.click()
    wait_connected(d)
    try:
        assert d.result() == QDialog.Accepted and d.opened.server and d.target == d.opened.db_label
    finally:
        d.opened.close()


# ---- a damaged file: its latest good backups offered -------------------------------------------------------
def _damaged_with_backups(path: Path) -> tuple[Path, Path]:
    """A ledger file with a good backup before and after an import and a damaged (newest) backup, then
    the file itself damaged. Returns (the backup after the import, the damaged backup)."""
    import shutil

    with AppContext.open(path, daily_backup=False) as ctx:
        ctx.ledgers.create_ledger("空台账", 2023)
        ctx.backups.backup_now()
        ctx.imports.import_file(DATA / "natural-resources-2022.xlsx")
        saved = ctx.backups.backup_now()
        ctx.db.checkpoint()
    broken = saved.parent / f"{path.stem}-20991231-235959.sqlite3"
    shutil.copy(saved, broken)
    with open(broken, "r+b") as fh:
        fh.seek(0)
        fh.write(b"garbage!" * 4)
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # the header of the last b-tree page destroyed
        fh.seek(size - 4096)
        fh.write(b"\x00" * 8)
    return saved, broken


def test_a_damaged_file_offers_good_backups_and_restores_to_a_new_file(
    city, monkeypatch, tmp_path, switched, qtbot
):
    path = tmp_path / "损坏的台账.sqlite3"
    saved, broken = _damaged_with_backups(path)
    damaged_bytes = path.read_bytes()
    new_file = tmp_path / "恢复的台账.sqlite3"
    seen, asked = {}, []

    def open_then_restore(d) -> None:  # noqa: ANN001
        file_step(path)(d)
        seen["said"] = d.error.text()
        seen["offered"] = [d.backup_list.item(i).text() for i in range(d.backup_list.count())]
        seen["paths"] = [i.path for i in d.offered]
        d.ask_new_path = lambda suggested: seen.setdefault("suggested", suggested) and str(new_file)
        d.ask_confirm = lambda text: asked.append(text) or True
        d.restore_new.setChecked(True)
        d.restore_button.click()

    driver = _switch(city, monkeypatch, [open_then_restore])
    assert "已损坏" in seen["said"] and "完好备份" in seen["said"] and "\n" not in seen["said"]
    # the damaged (newest) backup is left out; the latest good ones, newest first, with date, size, tasks
    assert broken not in seen["paths"] and seen["paths"][0] == saved and len(seen["paths"]) == 3
    assert seen["offered"][0].endswith("45 项任务") and ("KB" in seen["offered"][0] or "MB" in seen["offered"][0])
    from desktop_app.storage.backup import backup_time

    assert seen["offered"][0].startswith(backup_time(saved).strftime("%Y-%m-%d %H:%M"))
    assert seen["offered"][-1].endswith("0 项任务")
    assert asked and "新文件《恢复的台账.sqlite3》" in asked[0] and "原样保留" in asked[0]
    new = city.replaced_by
    switched.append(new)
    qtbot.addWidget(new)
    assert new.ctx.db_path == new_file and [s.task_count for s in new.summaries() if s.task_count] == [45]
    assert path.read_bytes() == damaged_bytes  # the damaged file untouched
    assert driver.dialog.opened is new.ctx


def test_a_damaged_file_restored_over_it_keeps_the_damaged_one_renamed(city, monkeypatch, tmp_path, switched, qtbot):
    path = tmp_path / "台账.sqlite3"
    saved, _broken = _damaged_with_backups(path)
    damaged_bytes = path.read_bytes()
    answers = iter([False, True])  # the first confirmation declined: nothing happens

    def open_then_restore(d) -> None:  # noqa: ANN001
        file_step(path)(d)
        d.ask_confirm = lambda text: next(answers)
        d.restore_over.setChecked(True)
        d.restore_button.click()
        assert d.result() != QDialog.Accepted and path.read_bytes() == damaged_bytes
        assert not list(tmp_path.glob("台账.sqlite3.damaged-*"))
        d.restore_button.click()

    _switch(city, monkeypatch, [open_then_restore])
    new = city.replaced_by
    switched.append(new)
    qtbot.addWidget(new)
    assert new.ctx.db_path == path and sum(s.task_count for s in new.summaries()) == 45
    (aside,) = tmp_path.glob("台账.sqlite3.damaged-*")
    assert aside.read_bytes() == damaged_bytes  # kept, renamed, never destroyed


def test_a_damaged_file_without_good_backups_says_so(city, monkeypatch, tmp_path):
    path = tmp_path / "台账.sqlite3"
    saved, broken = _damaged_with_backups(path)
    for p in saved.parent.glob("*.sqlite3"):
        if p != broken:
            p.unlink()
    driver = _switch(city, monkeypatch, [file_step(path)])
    assert "已损坏" in driver.said[0] and not driver.dialog.restore_box.isVisibleTo(driver.dialog)
    assert driver.dialog.offered == []
