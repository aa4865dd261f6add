"""Saving a report safely: next to the target, then renamed, with a Chinese message on failure."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop_app.exporters.errors import ExportFailed


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


_UMASK = _umask()


def save_atomically(save: Callable[[str], object], path: Path) -> None:
    """Write next to the target and rename, so a failed export never leaves half a file behind."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            save(tmp)
            # mkstemp makes the file private (0600): give the report the usual permissions
            os.chmod(tmp, 0o666 & ~_UMASK)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except PermissionError as exc:
        raise ExportFailed(
            f"无法写入《{path.name}》：文件正被 Word/WPS/Excel 打开或该位置没有写入权限。请关闭该文件或换一个保存位置后重试。"
        ) from exc
    except OSError as exc:
        raise ExportFailed(f"无法写入《{path.name}》：{exc.strerror or exc}。请检查保存位置后重试。") from exc
