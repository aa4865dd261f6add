"""Ten people editing one ledger at once on PostgreSQL: lost updates, journal entries, conflicts, and
how soon each sees the others' edits.

Run: python benchmarks/bench_concurrent.py            (20 s; starts a throw-away cluster itself)
     python benchmarks/bench_concurrent.py --full     (a full minute)
     python benchmarks/bench_concurrent.py --db postgresql://user@host/emptydb --users 10
Each simulated user has its own connection (its own AppContext), edits fields of the same 30 tasks on
the version it last saw, writes journal entries, and polls the change counter every 2 s as the window
does. On a conflict it merges (theirs + mine) and saves on the version it was shown, as a user would.
Prints the figures; checks at the end: every successful edit replaced exactly the text its author
had seen (no lost update), every journal entry is there, every conflict was reported, and how long
each change took to reach the others (edits visible within 5 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from desktop_app.domain.model import EditConflict, Ledger, Section, Task, TaskStatus  # noqa: E402
from desktop_app.services.context import AppContext  # noqa: E402

FIELDS = ("content", "indicator", "remarks")
TASKS = 30
POLL_S = 2.0


class User(threading.Thread):
    def __init__(self, n: int, url: str, task_ids: list[int], stop_at: float, shared: dict) -> None:
        super().__init__(name=f"user{n}")
        self.n, self.url, self.task_ids, self.stop_at, self.shared = n, url, task_ids, stop_at, shared
        self.rng = random.Random(n)
        self.edits: list[tuple[int, str, str, str]] = []  # (task, field, base seen, text saved)
        self.entries: list[tuple[int, str]] = []
        self.conflicts = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        ctx = AppContext.open(self.url)
        ctx.db.person = f"用户{self.n:02d}"
        try:
            ctx.people.start_watching()
            seen = {tid: ctx.ledgers.get_task(tid) for tid in self.task_ids}
            next_poll = time.time() + self.rng.random() * POLL_S
            i = 0
            while time.time() < self.stop_at:
                i += 1
                tid = self.rng.choice(self.task_ids)
                try:
                    if self.rng.random() < 0.35:
                        text = f"用户{self.n:02d}的第{i}条进展"
                        ctx.progress.add_entry(tid, text, TaskStatus.IN_PROGRESS, self.rng.randint(1, 99))
                        self.entries.append((tid, text))
                        self.shared["written"][text] = time.time()
                    else:
                        self._edit(ctx, seen, tid, i)
                except Exception as exc:  # noqa: BLE001 - counted and printed, the run goes on
                    self.errors.append(f"{type(exc).__name__}: {exc}")
                if time.time() >= next_poll:
                    next_poll += POLL_S
                    self._poll(ctx, seen)
                time.sleep(self.rng.uniform(0.02, 0.15))  # a person does not type continuously
            self._poll(ctx, seen)
        finally:
            ctx.close()

    def _edit(self, ctx: AppContext, seen: dict, tid: int, i: int) -> None:
        field = self.rng.choice(FIELDS)
        task = seen[tid]
        base = getattr(task, field)
        text = f"用户{self.n:02d}改{field}第{i}次"
        try:
            fresh = ctx.ledgers.update_task(tid, field, text, base=base, expected_version=task.version)
        except EditConflict as c:
            self.conflicts += 1
            text = f"{c.theirs}＋{text}"  # merged, as the conflict dialog offers
            base = c.theirs
            try:
                fresh = ctx.ledgers.update_task(tid, field, text, base=base, expected_version=c.version)
            except EditConflict:
                self.conflicts += 1  # changed again meanwhile: this user gives up this edit
                seen[tid] = ctx.ledgers.get_task(tid)
                return
        self.edits.append((tid, field, base, text))
        self.shared["written"][text] = time.time()
        seen[tid] = fresh

    def _poll(self, ctx: AppContext, seen: dict) -> None:
        batch = ctx.people.poll()
        now = time.time()
        for e in batch.events:
            key = e.new_value or ""
            if e.action == "progress":
                key = key.split("% ", 1)[-1]
            written = self.shared["written"].get(key)
            if written is not None:
                self.latencies.append(max(0.0, now - written))
        for tid in batch.task_ids:
            if tid in seen:
                seen[tid] = ctx.ledgers.get_task(tid)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="an empty PostgreSQL database (default: a throw-away cluster)")
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--full", action="store_true", help="a full minute (default 20 s)")
    args = ap.parse_args()
    seconds = args.seconds or (60.0 if args.full else 20.0)
    cluster = None
    url = args.db
    if url is None:
        import pgcluster

        t0 = time.perf_counter()
        cluster = pgcluster.Cluster().start()
        url = cluster.url(cluster.new_database())
        print(f"throw-away cluster started in {time.perf_counter() - t0:.1f} s")
    try:
        with AppContext.open(url) as ctx:
            ledger = ctx.ledgers.add_ledger(
                Ledger(
                    title="十人同时编辑的台账",
                    year=2023,
                    sections=[Section(title="一", tasks=[Task(number=str(i + 1), content=f"任务{i + 1}") for i in range(TASKS)])],
                )
            )
            task_ids = [t.id for t in ledger.all_tasks()]
        shared: dict = {"written": {}}
        stop_at = time.time() + seconds
        users = [User(n + 1, url, task_ids, stop_at, shared) for n in range(args.users)]
        t0 = time.perf_counter()
        for u in users:
            u.start()
        for u in users:
            u.join()
        elapsed = time.perf_counter() - t0
        report(url, users, task_ids, elapsed)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


def report(url: str, users: list[User], task_ids: list[int], elapsed: float) -> None:
    edits = [e for u in users for e in u.edits]
    entries = [e for u in users for e in u.entries]
    conflicts = sum(u.conflicts for u in users)
    errors = [e for u in users for e in u.errors]
    latencies = sorted(x for u in users for x in u.latencies)
    with AppContext.open(url) as ctx:
        lid = ctx.ledgers.get_task(task_ids[0]).ledger_id
        events = ctx.ledgers.audit_events(lid, limit=10_000_000)
        updates = {(e.task_id, e.field, e.new_value): e for e in events if e.action == "update"}
        lost = [e for e in edits if (e[0], e[1], e[3]) not in updates or (updates[(e[0], e[1], e[3])].old_value or "") != e[2]]
        stored = defaultdict(set)
        for tid in task_ids:
            for entry in ctx.progress.history(tid):
                stored[tid].add(entry.text)
        missing = [e for e in entries if e[1] not in stored[e[0]]]
        finals_ok = 0
        for tid in task_ids:
            task = ctx.ledgers.get_task(tid)
            for field in ("content", "indicator", "remarks"):
                last = next((e for e in events if e.task_id == tid and e.field == field and e.action == "update"), None)
                if last is None or getattr(task, field) == (last.new_value or ""):
                    finals_ok += 1
    print(f"users: {len(users)}, seconds: {elapsed:.1f}, tasks: {len(task_ids)}")
    print(f"field edits saved: {len(edits)} ({len(edits) / elapsed:.1f}/s), journal entries: {len(entries)}")
    print(f"conflicts reported (same field changed meanwhile): {conflicts}")
    print(f"lost updates (an edit that replaced text its author had not seen, or is not stored): {len(lost)}")
    print(f"journal entries missing: {len(missing)} of {len(entries)}")
    print(f"final field values equal to their last recorded edit: {finals_ok} of {len(task_ids) * len(FIELDS)}")
    if latencies:
        p50 = statistics.median(latencies)
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        within = sum(1 for x in latencies if x <= 5.0) / len(latencies)
        print(
            f"seen by the others: {len(latencies)} sightings, median {p50:.2f} s, 95% {p95:.2f} s, "
            f"max {latencies[-1]:.2f} s, within 5 s: {within:.1%}"
        )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    sys.exit(main())
