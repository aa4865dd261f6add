"""Command line: the GUI by default, sub-commands for batch work. Errors: exit 2, one sentence."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from datetime import date
from pathlib import Path

from desktop_app import APP_NAME, __version__
from desktop_app.domain import clock
from desktop_app.domain.model import LedgerError

log = logging.getLogger("desktop_app.cli")
EXIT_ERROR = 2


class CliError(LedgerError):
    pass


# argparse speaks English; what it says is put into Chinese here (its words, then its error forms).
_HELP_WORDS = (
    ("usage: ", "用法："),
    ("positional arguments:", "参数："),
    ("optional arguments:", "选项："),
    ("options:", "选项："),
    ("show this help message and exit", "显示本帮助后退出"),
)
_ERROR_FORMS = (
    (re.compile(r"^the following arguments are required: (.*)$"), r"缺少参数：\1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"无法识别的参数：\1"),
    (
        re.compile(r"^argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)$"),
        r"\1 不能是“\2”，可选：\3",
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), r"\1 后面要跟一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), r"\1 后面至少要跟一个值"),
    (re.compile(r"^argument (\S+): invalid \w+ value: '(.*?)'$"), r"\1 的值“\2”不对"),
    (re.compile(r"^argument (\S+): (.*)$"), r"\1：\2"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), r"选项 \1 不明确，可能是 \2"),
)


def _chinese_error(message: str) -> str:
    for pattern, replacement in _ERROR_FORMS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D401 - argparse hook
        raise CliError(
            f"命令行参数有误（{_chinese_error(message)}）。请运行 python -m desktop_app --help 查看用法。"
        )

    def format_usage(self) -> str:
        return _chinese_help(super().format_usage())

    def format_help(self) -> str:
        return _chinese_help(super().format_help())


def _chinese_help(text: str) -> str:
    for english, chinese in _HELP_WORDS:
        text = text.replace(english, chinese)
    return text


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=str,
        default=argparse.SUPPRESS,
        metavar="数据库",
        help="数据库文件（默认在用户数据文件夹），或服务器数据库 postgresql://用户名@服务器/数据库名",
    )
    common.add_argument(
        "--as-of",
        type=_as_of,
        default=argparse.SUPPRESS,
        metavar="日期",
        help="按此日期计算状态（YYYY-MM-DD）",
    )

    p = _Parser(
        prog="python -m desktop_app",
        description=f"{APP_NAME}：不带参数时打开图形界面。",
        parents=[common],
    )
    p.add_argument("--version", action="store_true", help="显示版本号后退出")
    p.add_argument("--smoke", action="store_true", help="打开主窗口、载入台账后立即退出（自检）")
    p.add_argument("--tray", action="store_true", help="只在系统托盘显示临近期限的提醒（开机自动启动时使用）")
    p.add_argument("--task", type=int, default=None, metavar="任务编号", help="打开主窗口并定位到该任务")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    sub.add_parser("list", parents=[common], help="以 JSON 列出数据库中的台账")
    b = sub.add_parser("backup", parents=[common], help="备份数据库（保留最近 10 份及每月 1 份）")
    b.add_argument(
        "--to", type=Path, default=None, metavar="文件夹", help="备份到此文件夹（默认在数据库旁的 backups）"
    )

    i = sub.add_parser("inspect", parents=[common], help="解析台账文件并以 JSON 输出，不写入数据库")
    i.add_argument("file", type=Path, metavar="文件", help="台账文件（.docx/.xlsx/.json）")
    i.add_argument("--sheet", default=None, metavar="工作表", help="Excel 工作表名称")

    im = sub.add_parser("import", parents=[common], help="导入台账文件（docx/xlsx/json），最后输出台账编号")
    im.add_argument("file", type=Path, metavar="文件", help="台账文件（.docx/.xlsx/.json）")
    im.add_argument("--sheet", default=None, metavar="工作表", help="Excel 工作表名称")
    same = im.add_mutually_exclusive_group()  # the file imported before: what the GUI asks, chosen here
    same.add_argument(
        "--update", type=int, default=None, metavar="台账编号", help="按文件更新这本已有台账（进展和状态不变）"
    )
    same.add_argument("--new", action="store_true", help="文件已导入过也另建一本新台账")

    e = sub.add_parser("export", parents=[common], help="导出台账（docx/xlsx/pdf/ofd/json）")
    e.add_argument("ledger_id", type=int, metavar="台账编号", help="list 命令列出的编号")
    e.add_argument(
        "--format", choices=["docx", "xlsx", "pdf", "ofd", "json"], default=None, help="默认跟随输出文件的扩展名"
    )
    e.add_argument(
        "-o", "--output", type=Path, required=True, metavar="输出文件", help="输出文件（扩展名决定格式）"
    )
    e.add_argument("--public", action="store_true", help="公开版：遮掩全部个人信息，去掉内部字段")
    e.add_argument("--fill-back", action="store_true", help="按原表填报（仅限从 .docx 导入的台账）")
    e.add_argument(
        "--history",
        action="store_true",
        help="另附截至报送日期的进展情况记录（Excel：“进展记录”工作表；Word 报表：附件）",
    )
    e.add_argument("--attachments", action="store_true", help="Word 报表另附佐证材料目录（附件）")
    e.add_argument("--round", type=int, default=None, metavar="轮次", help="作为该报送轮次的报送件，并存档")
    e.add_argument(
        "--consolidated", action="store_true", help="汇总台账：每项任务一行，进展列为各报送单位的“单位：进展”"
    )
    e.add_argument("--notice", action="store_true", help="报送情况通报（Word）：按时/逾期/未报送单位及无进展的任务")
    h = sub.add_parser("holidays", parents=[common], help="查看某年的放假和调休上班日，或从国务院通知导入")
    h.add_argument("--year", type=int, required=True, metavar="年份")
    h.add_argument(
        "--import-notice",
        type=Path,
        default=None,
        metavar="文本文件",
        help="国务院办公厅节假日安排通知的正文（UTF-8 文本），替换该年的数据",
    )
    _add_city_office_commands(sub, common)
    ro = sub.add_parser("roles", parents=[common], help="台账的编辑/只读人员名单：列出或设置")
    ro.add_argument("ledger_id", type=int, metavar="台账编号")
    ro.add_argument(
        "--set", action="append", default=[], metavar="人员=编辑|只读", help="设置一人的权限（可重复）"
    )
    ro.add_argument("--remove", action="append", default=[], metavar="人员", help="从名单中去掉一人（可重复）")
    m = sub.add_parser(
        "migrate-db", parents=[common], help="把整个数据库复制到另一个数据库（SQLite 文件与服务器之间），并逐本核对"
    )
    m.add_argument("--from", dest="source", required=True, metavar="来源", help="SQLite 文件或 postgresql://…")
    m.add_argument("--to", dest="target", required=True, metavar="目标", help="新的 SQLite 文件或空的服务器数据库")
    return p


def _add_city_office_commands(sub, common) -> None:  # noqa: ANN001
    """The city office's side (issue 14): the units directory, collecting returns."""
    u = sub.add_parser("units", parents=[common], help="单位名录：列出，或从台账/粘贴的 Excel 内容补充")
    u.add_argument("--from-ledger", type=int, default=None, metavar="台账编号", help="把该台账中列出的单位加入名录")
    u.add_argument(
        "--paste", type=Path, default=None, metavar="文本文件", help="从 Excel 复制的行（名称、类别、其他名称、联系人）"
    )
    u.add_argument("--json", action="store_true", help="以 JSON 输出名录")
    c = sub.add_parser("collect", parents=[common], help="收集各单位的报送件（docx/xlsx，可给文件夹）到一本台账")
    c.add_argument("files", type=Path, nargs="+", metavar="文件或文件夹")
    c.add_argument("--into", type=int, required=True, metavar="台账编号", help="收集到这本台账")
    c.add_argument("--round", type=int, default=None, metavar="轮次", help="报送轮次编号（默认：下一个报送日期）")
    dv = sub.add_parser(
        "derive", parents=[common], help="生成本单位台账：从城市台账取出写给本单位的任务，最后输出新台账编号"
    )
    dv.add_argument("ledger_id", type=int, metavar="城市台账编号")
    dv.add_argument("--unit", required=True, metavar="单位", help="本单位名称，如 市教育局")
    dv.add_argument(
        "--kind", required=True, metavar="类型", help="本单位类型：部门、直属机构、县区 或 其他（决定泛指的任务）"
    )
    r = sub.add_parser("returns", parents=[common], help="各单位本轮报送情况：已报、逾期、未报")
    r.add_argument("ledger_id", type=int, metavar="台账编号")
    r.add_argument("--round", type=int, default=None, metavar="轮次", help="报送轮次编号（默认：下一个报送日期）")
    r.add_argument("--json", action="store_true", help="以 JSON 输出")
    sc = sub.add_parser("score", parents=[common], help="考核扣分表：扣分规则、按轮次计算扣分、年度汇总、导出 Excel")
    sc.add_argument("--year", type=int, required=True, metavar="年度")
    sc.add_argument("--rule", default=None, metavar="规则", help="每次扣分：逾期报送,未报送,任务逾期，如 1,2,0.5")
    sc.add_argument("--assess", type=int, default=None, metavar="台账编号", help="按该台账本轮的报送情况计算扣分")
    sc.add_argument("--round", type=int, default=None, metavar="轮次", help="与 --assess 一起：报送轮次编号")
    sc.add_argument("-o", "--output", type=Path, default=None, metavar="输出文件", help="导出考核扣分表（.xlsx）")


def _cmd_score(args: argparse.Namespace) -> int:
    from desktop_app.domain.score import ScoreRule

    rule = None
    if args.rule is not None:
        try:
            rule = ScoreRule(*(float(x) for x in args.rule.replace("，", ",").split(",")))
        except (TypeError, ValueError):
            raise CliError("扣分规则应写成三个数，用逗号分开：逾期报送,未报送,任务逾期，例如 1,2,0.5。") from None
    with _open(args, read_only=rule is None and args.assess is None) as ctx:
        if rule is not None:
            ctx.score.set_rule(args.year, rule)
        r = ctx.score.rule(args.year)
        _print(f"{args.year}年扣分规则：逾期报送 {r.late_return:g} 分/次，未报送 {r.missing_return:g} 分/次，"
               f"任务逾期未完成 {r.overdue_task:g} 分/项")
        if args.assess is not None:
            for d in ctx.score.assess(args.assess, args.round):
                _print(f"{d.unit}：{d.reason}，扣 {d.points:g} 分")
        totals = ctx.score.totals(args.year)
        for unit, points, n in totals:
            _print(f"{unit}\t合计扣 {points:g} 分（{n} 项）")
        if args.output is not None:
            _print(f"已导出到 {ctx.score.export_xlsx(args.year, args.output)}")
    return 0


def _cmd_derive(args: argparse.Namespace) -> int:
    from desktop_app.domain.derive import kind_from_word

    kind = kind_from_word(args.kind)
    with _open(args) as ctx:
        derived = ctx.directory.derive_unit_ledger(args.ledger_id, args.unit, kind)
    _print(f"《{derived.ledger.title}》：{derived.tasks} 项任务（其中 {derived.generic} 项按“{kind}”泛指写给本单位）")
    _print(str(derived.ledger.id))
    return 0


def _cmd_units(args: argparse.Namespace) -> int:
    paste = None
    if args.paste is not None:
        try:
            paste = args.paste.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise CliError(f"无法读取文件《{args.paste.name}》。请确认它是 UTF-8 编码的文本文件。") from None
    with _open(args) as ctx:
        if args.from_ledger is not None:
            change = ctx.directory.fill_from_ledger(args.from_ledger)
            _print(f"从台账 {args.from_ledger} 加入 {len(change.added)} 个单位")
        if paste is not None:
            change = ctx.directory.add_pasted(paste)
            _print(f"粘贴内容：新增 {len(change.added)} 个单位，更新 {len(change.updated)} 个单位")
        units = ctx.directory.units()
    if args.json:
        rows = [{"name": x.name, "kind": x.kind, "aliases": x.aliases, "contact": x.contact} for x in units]
        _print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for x in units:
            other = f"（又称 {'、'.join(x.aliases)}）" if x.aliases else ""
            _print(f"{x.name}\t{x.kind}{other}{chr(9) + x.contact if x.contact else ''}")
        _print(f"共 {len(units)} 个单位")
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from desktop_app.services.collect_service import CONFIRM, REFUSED

    with _open(args, read_only=True) as ctx:
        _rnd, outcomes = ctx.collect.collect(args.files, args.into, args.round)  # CONFIRM ones: stored not
    for o in outcomes:
        _print(o.line)
    if not outcomes:
        raise CliError("给出的文件夹中没有 Word（.docx）或 Excel（.xlsx）文件。请检查路径。")
    if all(o.outcome in (REFUSED, CONFIRM) for o in outcomes):
        asked = sum(1 for o in outcomes if o.outcome == CONFIRM)
        raise CliError(
            f"没有收集到任何报送件：{asked} 个文件需要人工确认，请在“收集报送”窗口中收集它们，其余请按上面的原因处理。"
            if asked
            else "没有收集到任何报送件。请按上面每个文件的原因处理后重试。"
        )
    return 0


def _cmd_returns(args: argparse.Namespace) -> int:
    labels = {"submitted": "已报送", "late": "逾期报送", "missing": "未报送"}
    with _open(args, read_only=True) as ctx:
        rnd, states = ctx.collect.states(args.ledger_id, args.round)
    rows = [
        {
            "unit": x.unit,
            "kind": x.kind,
            "state": x.state,
            "received": x.received.isoformat(timespec="seconds") if x.received else None,
            "file": x.file or None,
        }
        for x in states
    ]
    if args.json:
        _print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    due = f"截止 {rnd.due_date.isoformat()}" if rnd and rnd.due_date else "无报送日期"
    _print(f"报送轮次：{rnd.label if rnd else '（无）'}（{due}）")
    for x in rows:
        _print(f"{x['unit']}\t{x['kind']}\t{labels[x['state']]}\t{x['received'] or ''}\t{x['file'] or ''}")
    return 0


def _db_path(args: argparse.Namespace) -> Path | str:
    """The SQLite file, or the server address as typed (`postgresql://…`)."""
    db = getattr(args, "db", None)
    if db is not None:
        from desktop_app.storage.database import is_server_url

        return db.strip() if is_server_url(db) else Path(db).expanduser()
    from desktop_app.paths import default_db_path

    return default_db_path()


def ask_password(prompt: str) -> str | None:
    """A server password when PGPASSWORD and ~/.pgpass had none: asked on the terminal, never stored."""
    if not sys.stdin or not sys.stdin.isatty():
        raise CliError(
            "服务器要求输入密码，但当前不是交互式终端。请设置环境变量 PGPASSWORD，或在 ~/.pgpass 中配置密码后重试。"
        )
    import getpass

    try:
        return getpass.getpass(prompt) or None
    except (EOFError, KeyboardInterrupt):
        return None


def _open(args: argparse.Namespace, read_only: bool = False):  # noqa: ANN202
    """read_only: a command that only reads (list, export, returns …): it never creates a database, and
    while another program (the window) holds an SQLite file for writing, it reads it read-only."""
    from desktop_app.services.context import AppContext
    from desktop_app.storage.locking import DatabaseLocked

    target = _db_path(args)
    try:
        return AppContext.open(target, create=not read_only, password=ask_password)
    except DatabaseLocked:
        if not read_only:
            raise
        log.info("database held by another program: reading it read-only")
        return AppContext.open(target, create=False, read_only=True, password=ask_password)


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _cmd_list(args: argparse.Namespace) -> int:
    with _open(args, read_only=True) as ctx:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "year": s.year,
                "owner_unit": s.owner_unit,
                "task_count": s.task_count,
                "updated_at": s.updated_at.isoformat(timespec="seconds") if s.updated_at else None,
            }
            for s in ctx.ledgers.list_ledgers()
        ]
    _print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    with _open(args, read_only=True) as ctx:
        dest = ctx.backups.backup_now(args.to)
    _print(f"已备份到 {dest}")
    return 0


def _cmd_holidays(args: argparse.Namespace) -> int:
    """List a year's 放假/调休 days; with --import-notice, take them from the State Council's notice."""
    if args.import_notice is not None:
        try:
            text = args.import_notice.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise CliError(
                f"无法读取《{args.import_notice.name}》：请把通知正文另存为 UTF-8 文本文件后重试。"
            ) from None
        with _open(args) as ctx:
            parsed = ctx.calendar.import_notice(text, args.year)
        for warning in parsed.warnings:
            _print(f"提示：{warning}")
        _print(
            f"已导入{args.year}年节假日安排：放假 {len(parsed.holidays)} 天，调休上班 {len(parsed.workdays)} 天。"
        )
        return 0
    with _open(args, read_only=True) as ctx:
        days = ctx.calendar.days(args.year)
    if not days:
        _print(f"{args.year}年没有节假日数据。")
    for d in days:
        _print(f"{d.day.isoformat()}\t{'调休上班' if d.is_workday else '放假'}\t{d.name}")
    return 0


def _inspect_result(args: argparse.Namespace):  # noqa: ANN202
    # the file alone, no database: the importer directly (what ImportService.inspect calls), so
    # inspect loads neither SQLAlchemy nor Qt (0.4 s less)
    from desktop_app.importers.loader import load_any

    return load_any(Path(args.file), sheet=args.sheet)


def _cmd_inspect(args: argparse.Namespace) -> int:
    from desktop_app.domain.serialize import ledger_to_dict

    _check_input(args.file)
    result = _inspect_result(args)
    data = ledger_to_dict(result.ledger)
    data["warnings"] = list(getattr(result, "warnings", []))
    data["flagged"] = [{"section": s, "task": t, "reason": r} for s, t, r in getattr(result, "flagged", [])]
    data["source_kind"] = getattr(result, "source_kind", "")
    from desktop_app.importers.result import column_decisions, missing_columns

    data["column_decisions"] = column_decisions(result)
    data["missing_columns"] = missing_columns(result)
    data["changes"] = [
        {"kind": c.kind, "number": c.number, "fields": c.fields, "text": c.text}
        for c in getattr(result, "changes", [])
    ]
    _print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def _check_input(path: Path) -> None:
    if not path.exists():
        raise CliError(f"找不到文件《{path}》。请检查文件路径。")
    if path.is_dir():
        raise CliError(f"《{path}》是一个文件夹。请指定要导入的台账文件。")


def _cmd_import(args: argparse.Namespace) -> int:
    """Import a file. The same file imported before (same bytes): nothing is written and one sentence
    says how to go on (--update N brings that ledger up to date, --new imports a second copy), as the
    GUI's wizard asks. --update N updates ledger N from any file in one transaction."""
    from desktop_app.importers.result import flagged_lines, missing_columns

    _check_input(args.file)
    with _open(args) as ctx:
        result = ctx.imports.inspect(args.file, sheet=args.sheet)
        # what was guessed, is missing, or could not be read in a task (as the wizard marks it)
        notes = list(result.warnings) + missing_columns(result) + flagged_lines(result)
        changes = [c.text for c in getattr(result, "changes", [])]
        if args.update is not None:
            if args.update not in {s.id for s in ctx.ledgers.list_ledgers()}:
                raise CliError(f"没有编号为 {args.update} 的台账，数据库没有改动。请用 list 命令查看台账编号。")
            outcome = ctx.imports.update_from(args.update, result)
            for line in notes:
                _print(f"提示：{line}")
            _print(f"{outcome.text}台账编号 {outcome.ledger.id}")
            return 0
        same = None if args.new else ctx.imports.find_same(result)
        if same is not None:
            _print(
                f"文件《{args.file.name}》已导入为台账《{same.title}》，数据库没有改动；要按文件更新它请加"
                f" --update {same.id}，要另建一本请加 --new，已有台账编号 {same.id}"
            )
            return 0
        # our own report: the history of the tasks found again in its table (shaped like the ledger)
        ledger = ctx.imports.save(result, getattr(result, "histories", None))
    for line in notes:  # what was guessed or is missing: printed, the import still succeeds
        _print(f"提示：{line}")
    if changes:  # before the last line, which ends with the ledger's id
        _print(f"{len(changes)} 项任务在文件中有改动，已按文件内容导入：")
        for line in changes:
            _print(f"  {line}")
    n = len(ledger.all_tasks())
    _print(
        f"已导入《{ledger.title or args.file.name}》：{len(ledger.sections)} 个板块，{n} 项任务。台账编号 {ledger.id}"
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from desktop_app.exporters.dispatch import resolve_target

    fmt, output = resolve_target(args.output, args.format)  # a bad name fails before anything is opened
    if args.consolidated or args.notice:
        return _export_city_office(args, fmt, output)
    as_of = getattr(args, "as_of", None)
    clock.set_today(None)  # the journal's stamps are compared with the real day; as_of says which day to show
    with _open(args, read_only=True) as ctx:
        out = ctx.exports.export(
            args.ledger_id,
            fmt,
            output,
            public=args.public,
            as_of=as_of,
            fill_back=args.fill_back,
            with_history=args.history,
            with_attachments=args.attachments,
            round_id=args.round,
        )
    _print(f"已导出到 {out}")
    return 0


def _export_city_office(args: argparse.Namespace, fmt: str, output: Path) -> int:
    if args.consolidated and args.notice:
        raise CliError("--consolidated 与 --notice 不能同时使用，请分两次导出。")
    if args.notice and fmt != "docx":
        raise CliError("报送情况通报只能导出为 Word 文档（.docx）。请把输出文件改为以 .docx 结尾。")
    if fmt not in ("docx", "xlsx", "json"):
        raise CliError("汇总台账只能导出为 docx、xlsx 或 json。请改用这三种格式之一。")
    with _open(args, read_only=True) as ctx:
        if args.notice:
            out = ctx.collect.write_notice(args.ledger_id, output, args.round)
        else:
            out = ctx.collect.export_consolidated(args.ledger_id, fmt, output, args.round)
    _print(f"已导出到 {out}")
    return 0


def _configure_logging() -> None:
    root = logging.getLogger()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if root.handlers:  # already set up (tests, or the GUI called us)
        return
    from desktop_app.logsetup import setup_logging

    setup_logging()  # the one handler; the GUI's call later finds it and adds none


def _check_env_clock() -> None:
    env = os.environ.get("LEDGER_TODAY", "").strip()
    if env:
        try:
            date.fromisoformat(env)
        except ValueError:
            raise CliError(
                f"环境变量 LEDGER_TODAY 的值“{env}”不是 YYYY-MM-DD 格式的日期。请改正或删除它。"
            ) from None


def _target(text: str) -> Path | str:
    from desktop_app.storage.database import is_server_url

    return text.strip() if is_server_url(text) else Path(text).expanduser()


def _cmd_roles(args: argparse.Namespace) -> int:
    """Who may edit (编辑) or only read (只读) a ledger; without --set/--remove: the list."""
    from desktop_app.services.people_service import ROLE_EDIT, ROLE_LABELS, ROLE_READ

    by_label = {"编辑": ROLE_EDIT, "只读": ROLE_READ, "edit": ROLE_EDIT, "read": ROLE_READ}
    changes: list[tuple[str, str | None]] = []
    for item in args.set:
        person, _, label = item.partition("=")
        if not person.strip() or label.strip() not in by_label:
            raise CliError(f"--set 的值“{item}”不对，应为 人员=编辑 或 人员=只读。")
        changes.append((person.strip(), by_label[label.strip()]))
    changes += [(person.strip(), None) for person in args.remove]
    with _open(args, read_only=not changes) as ctx:
        ctx.ledgers.get_ledger(args.ledger_id)  # a missing ledger: one sentence
        for person, role in changes:
            ctx.people.set_role(args.ledger_id, person, role)
        members = ctx.people.members(args.ledger_id)
    if not members:
        _print("这本台账没有人员名单：能打开数据库的人都可以编辑。")
    for person, role in members.items():
        _print(f"{person}\t{ROLE_LABELS.get(role, role)}")
    return 0


def _cmd_migrate_db(args: argparse.Namespace) -> int:
    """Copy a whole database (ledgers, journal, evidence, settings …) into a new one and check that
    each ledger's JSON export is the same on both sides; the source is only read."""
    from desktop_app.services.context import AppContext
    from desktop_app.services.transfer_service import transfer
    from desktop_app.storage.locking import DatabaseLocked

    source, target = _target(args.source), _target(args.target)
    if str(source) == str(target):
        raise CliError("来源和目标是同一个数据库。请指定另一个目标。")
    try:
        src = AppContext.open(source, create=False, password=ask_password)
    except DatabaseLocked:
        src = AppContext.open(source, create=False, read_only=True, password=ask_password)
    with src:
        with AppContext.open(target, password=ask_password) as dst:
            result = transfer(src.db, dst.db)
            label = dst.db_label
    _print(
        f"已复制到 {label}：{result.ledgers} 本台账，{result.tasks} 项任务，{result.entries} 条进展记录；"
        "每本台账的 JSON 导出两边一致。"
    )
    return 0


COMMANDS = {
    "migrate-db": _cmd_migrate_db,
    "roles": _cmd_roles,
    "list": _cmd_list,
    "backup": _cmd_backup,
    "inspect": _cmd_inspect,
    "import": _cmd_import,
    "export": _cmd_export,
    "holidays": _cmd_holidays,
    "units": _cmd_units,
    "derive": _cmd_derive,
    "collect": _cmd_collect,
    "returns": _cmd_returns,
    "score": _cmd_score,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        _configure_logging()
        args = build_parser().parse_args(argv)
        # One line a run: which version did what (an admin reading a user's log; starts log rotation).
        what = args.command or ("--version" if args.version else "--smoke" if args.smoke else "gui")
        log.info("%s %s: %s", APP_NAME, __version__, what)
        if args.version:
            _print(f"{APP_NAME} {__version__}")
            return 0
        _check_env_clock()
        if getattr(args, "as_of", None):
            clock.set_today(args.as_of)
        if args.command:
            return COMMANDS[args.command](args)
        from desktop_app import app

        if args.smoke:
            return app.smoke(_db_path(args))
        if args.tray:
            return app.run_tray(_db_path(args))
        return app.run_gui(_db_path(args), task_id=args.task)
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    except LedgerError as exc:
        sys.stderr.write(exc.message.strip() + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n")
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - never a traceback in front of a user
        log.exception("unexpected error in %s", argv)
        try:
            from desktop_app.logsetup import current_log_file
            from desktop_app.paths import log_file

            where = str(current_log_file() or log_file())
        except Exception:  # noqa: BLE001
            where = "日志文件"
        sys.stderr.write(f"程序遇到意外错误，详情已记录在 {where}。请把该文件发给管理员。\n")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
