"""Export use case: progress as of a date, public edition, fill-back, submission record."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import AuditEvent, Ledger, LedgerError
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.services.ledger_service import LedgerService
from desktop_app.services.progress_service import ProgressService
from desktop_app.services.settings_service import SettingsService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository

FORMATS = ("docx", "xlsx", "pdf", "json")
# (ledger, path, options) -> None: set by the app/CLI, since PDF goes through Qt's printing.
PdfRenderer = Callable[[Ledger, Path, object], None]


class ExportService:
    def __init__(
        self, db: Database, ledgers: LedgerService, progress: ProgressService, settings: SettingsService
    ) -> None:
        self.db = db
        self.ledgers = ledgers
        self.progress = progress
        self.settings = settings
        self.pdf_renderer: PdfRenderer | None = None

    def options(
        self, ledger: Ledger, as_of: date | None = None, public: bool = False, masks: dict | None = None
    ):  # noqa: ANN201
        from desktop_app.exporters.common import ReportOptions

        s = self.settings.all()
        as_of = as_of or clock.today()
        return ReportOptions(
            as_of=as_of,
            unit=s.get("my_unit") or ledger.owner_unit or "",
            filler=s.get("contact_person") or "",
            phone=s.get("phone") or "",
            reviewer=s.get("reviewer") or "",
            head_of_unit=s.get("head_of_unit") or "",
            public=public,
            masks=masks,
            progress_by_task=self.progress_as_of(ledger, as_of),
        )

    def progress_as_of(self, ledger: Ledger, as_of: date) -> dict[int, str]:
        """The progress text each task had on as_of: the current one, or the last entry up to then."""
        if as_of >= clock.today():
            return {t.id: t.progress for t in ledger.all_tasks() if t.id is not None}
        history = self.progress.history_for_ledger(ledger.id)  # type: ignore[arg-type]
        out: dict[int, str] = {}
        for t in ledger.all_tasks():
            entries = [e for e in history.get(t.id, []) if e.entry_date and e.entry_date <= as_of]  # type: ignore[arg-type]
            if entries:
                out[t.id] = entries[-1].text  # type: ignore[index]
            elif not history.get(t.id):  # type: ignore[arg-type]
                out[t.id] = t.progress  # type: ignore[index]
            else:
                out[t.id] = ""  # type: ignore[index]
        return out

    def scan_public(self, ledger_id: int, as_of: date | None = None):  # noqa: ANN201
        from desktop_app.exporters.public import scan_ledger

        ledger = self.ledgers.get_ledger(ledger_id)
        return scan_ledger(ledger, self.progress_as_of(ledger, as_of or clock.today()))

    def export(
        self,
        ledger_id: int,
        fmt: str,
        path: Path,
        public: bool = False,
        as_of: date | None = None,
        fill_back: bool = False,
        round_id: int | None = None,
        decisions: dict | None = None,
        columns: list | None = None,
    ) -> Path:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise LedgerError(f"不支持导出为“{fmt}”格式。请选择 docx、xlsx、pdf 或 json。")
        path = Path(path)
        ledger = self.ledgers.get_ledger(ledger_id, with_source=fill_back)
        if fill_back and fmt != "docx":
            raise LedgerError("按原表填报只能导出为 Word 文档（.docx）。请把格式改为 docx。")
        if fill_back and not (ledger.source_name or "").lower().endswith(".docx"):
            raise LedgerError("该台账不是从 Word 文档（.docx）导入的，无法按原表填报。请改用标准报表导出。")
        opts = self.options(ledger, as_of, public, decisions)
        if columns:
            opts.columns = columns
        history = self.progress.history_for_ledger(ledger_id) if fmt == "json" and not public else None
        self._write_atomically(path, lambda tmp: self._write(ledger, fmt, tmp, opts, fill_back, history))
        if round_id is not None:
            self._mark_submitted(ledger, round_id, path, opts)
        with self.db.session() as s:
            LedgerRepository(s).audit(
                AuditEvent(
                    ledger_id=ledger_id,
                    action="export",
                    field=fmt,
                    new_value=f"{path.name}{'（公开版）' if public else ''}{'（按原表）' if fill_back else ''}",
                )
            )
        return path

    def _write(self, ledger: Ledger, fmt: str, path: Path, opts, fill_back: bool, history) -> None:  # noqa: ANN001
        if fmt == "pdf":
            if self.pdf_renderer is None:
                raise LedgerError("当前环境无法生成 PDF。请在图形界面中使用“打印/导出 PDF”。")
            ledger = self._public_copy(ledger, opts) if opts.public else ledger
            self.pdf_renderer(ledger, path, opts)
            return
        from desktop_app.exporters import dispatch

        dispatch.export_ledger(ledger, fmt, path, opts, fill_back=fill_back, history=history)

    @staticmethod
    def _public_copy(ledger: Ledger, opts) -> Ledger:  # noqa: ANN001
        from desktop_app.exporters.public import apply_decisions

        return apply_decisions(ledger, opts.masks or {}, opts.progress_by_task)

    @staticmethod
    def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
        """Write beside the target and rename: a failed export leaves no half-written file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"无法创建文件夹《{path.parent}》。请换一个保存位置。") from exc
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            write(tmp)
            # mkstemp makes the file private (0600); an exported report is an ordinary document.
            umask = os.umask(0)
            os.umask(umask)
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o666 & ~umask)
            try:
                os.replace(tmp, path)
            except PermissionError as exc:
                raise LedgerError(
                    f"无法写入《{path.name}》：文件可能正在 Word/WPS/Excel 中打开。请关闭后重试，或换一个文件名。"
                ) from exc
        except LedgerError:
            raise
        except OSError as exc:
            raise LedgerError(
                f"无法写入《{path.name}》：{exc.strerror or '磁盘错误'}。请检查磁盘空间和权限。"
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def _mark_submitted(self, ledger: Ledger, round_id: int, path: Path, opts) -> None:  # noqa: ANN001
        snap_ledger = self._public_copy(ledger, opts) if opts.public else ledger
        for t in snap_ledger.all_tasks():
            if opts.progress_by_task and t.id in opts.progress_by_task:
                t.progress = opts.progress_by_task[t.id]
        snapshot = ledger_to_dict(snap_ledger)
        snapshot["as_of"] = opts.as_of.isoformat()
        with self.db.session() as s:
            repo = LedgerRepository(s)
            rnd = repo.get_round(round_id)
            if rnd is None or rnd.ledger_id != ledger.id:
                raise LedgerError("该报送轮次不属于这本台账。请重新选择报送轮次。")
            repo.mark_submitted(round_id, path.name, snapshot)
            repo.audit(
                AuditEvent(ledger_id=ledger.id, action="submit", field=str(round_id), new_value=path.name)
            )

    def export_snapshot(self, round_id: int, fmt: str, path: Path) -> Path:
        """Write again what was sent for a round, from its frozen snapshot."""
        from desktop_app.domain.serialize import ledger_from_dict

        rnd = self.progress.get_round(round_id)
        if not rnd.snapshot:
            raise LedgerError("该轮次尚未报送，没有可导出的存档。")
        ledger, _ = ledger_from_dict(rnd.snapshot)
        opts = self.options(
            ledger, date.fromisoformat(rnd.snapshot.get("as_of")) if rnd.snapshot.get("as_of") else None
        )
        opts.progress_by_task = None
        self._write_atomically(Path(path), lambda tmp: self._write(ledger, fmt, tmp, opts, False, None))
        return Path(path)
