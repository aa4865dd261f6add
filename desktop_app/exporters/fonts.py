"""The Chinese fonts this PC really has, found by file name in the usual font folders, for PDF and OFD.

A report names the official fonts (仿宋_GB2312, 黑体, 方正小标宋简体, 楷体_GB2312); what it can embed is what
the machine has. Windows has SimSun (simsun.ttc), SimHei, FangSong, KaiTi and Microsoft YaHei, all
TrueType; UOS and Kylin ship the CESI GB2312 fonts (TrueType) and often copies of the Windows ones; Debian
has WenQuanYi Zen Hei and AR PL UMing/UKai (TrueType). Noto/Source Han CJK are CFF-outline OpenType,
which the PDF writer cannot embed: they are not used.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app.exporters.errors import ExportFailed

# The roles a report uses, each with the files to look for in order (lower-case file names).
CANDIDATES: dict[str, tuple[str, ...]] = {
    # body text: 仿宋
    "fang": (
        "仿宋_gb2312.ttf", "fs_gb2312.ttf", "cesi_fs_gb2312.ttf", "simfang.ttf", "fangsong.ttf",
        "stfangso.ttf",
        "simsun.ttc", "cesi_ss_gb2312.ttf", "uming.ttc", "ukai.ttc", "wqy-zenhei.ttc", "wqy-microhei.ttc",
        "droidsansfallbackfull.ttf", "droidsansfallback.ttf", "msyh.ttc", "msyh.ttf", "simhei.ttf",
    ),
    # title and page numbers: 方正小标宋 / 宋体
    "song": (
        "方正小标宋简体.ttf", "fzxbsjw.ttf", "fzxbsk.ttf", "cesi_xbs_gb2312.ttf", "simsun.ttc", "simsun.ttf",
        "cesi_ss_gb2312.ttf", "stsong.ttf", "uming.ttc", "simfang.ttf", "cesi_fs_gb2312.ttf",
        "wqy-zenhei.ttc", "wqy-microhei.ttc", "droidsansfallbackfull.ttf", "msyh.ttc", "simhei.ttf",
    ),
    # headings and table headers: 黑体
    "hei": (
        "simhei.ttf", "cesi_ht_gb2312.ttf", "sthei.ttf", "msyh.ttc", "msyh.ttf", "wqy-zenhei.ttc",
        "wqy-microhei.ttc", "droidsansfallbackfull.ttf", "droidsansfallback.ttf", "simsun.ttc", "uming.ttc",
    ),
    # subtitles: 楷体
    "kai": (
        "楷体_gb2312.ttf", "kai_gb2312.ttf", "cesi_kt_gb2312.ttf", "simkai.ttf", "stkaiti.ttf", "ukai.ttc",
        "simfang.ttf", "cesi_fs_gb2312.ttf", "simsun.ttc", "uming.ttc", "wqy-zenhei.ttc", "wqy-microhei.ttc",
        "droidsansfallbackfull.ttf", "msyh.ttc", "simhei.ttf",
    ),
}
# The font each role names in the document, whatever file stands in for it (GB/T 9704).
OFFICIAL_NAMES = {"fang": "仿宋_GB2312", "song": "方正小标宋简体", "hei": "黑体", "kai": "楷体_GB2312"}
# What a file is called in the document when it is used (its family as Windows/WPS know it).
FAMILY_OF_FILE = {
    "simfang.ttf": "仿宋", "fangsong.ttf": "仿宋", "simsun.ttc": "宋体", "simsun.ttf": "宋体",
    "simhei.ttf": "黑体", "simkai.ttf": "楷体", "msyh.ttc": "微软雅黑", "msyh.ttf": "微软雅黑",
    "仿宋_gb2312.ttf": "仿宋_GB2312", "fs_gb2312.ttf": "仿宋_GB2312", "楷体_gb2312.ttf": "楷体_GB2312",
    "kai_gb2312.ttf": "楷体_GB2312", "方正小标宋简体.ttf": "方正小标宋简体", "fzxbsjw.ttf": "方正小标宋简体",
    "fzxbsk.ttf": "方正小标宋简体",
    "cesi_fs_gb2312.ttf": "CESI仿宋-GB2312", "cesi_ss_gb2312.ttf": "CESI宋体-GB2312",
    "cesi_ht_gb2312.ttf": "CESI黑体-GB2312", "cesi_kt_gb2312.ttf": "CESI楷体-GB2312",
    "cesi_xbs_gb2312.ttf": "CESI小标宋-GB2312", "wqy-zenhei.ttc": "文泉驿正黑", "wqy-microhei.ttc": "文泉驿微米黑",
    "uming.ttc": "AR PL UMing CN", "ukai.ttc": "AR PL UKai CN", "droidsansfallbackfull.ttf": "Droid Sans Fallback",
    "droidsansfallback.ttf": "Droid Sans Fallback",
}
# In a collection, the face to take (the simplified-Chinese one where the file has several).
FACE_IN_COLLECTION = {"uming.ttc": 0, "ukai.ttc": 0, "simsun.ttc": 0, "msyh.ttc": 0, "wqy-zenhei.ttc": 0}
_CN_FACE_WORDS = ("CN", "GB", "SC")

NO_FONT_MESSAGE = (
    "找不到可嵌入的中文字体（仿宋、宋体、黑体或文泉驿正黑等 TrueType 字体），无法生成 PDF/OFD。"
    "请安装这些字体之一（Windows 自带；Linux 可安装 fonts-wqy-zenhei）后重试，或改为导出 Word 文档。"
)


@dataclass(frozen=True)
class FontFile:
    """One face in one file, as used for a role."""

    path: Path
    index: int  # face number in a .ttc collection
    family: str  # the name the document gives it
    role: str

    @property
    def key(self) -> str:
        return f"{self.path.name.lower()}#{self.index}"


def font_dirs() -> list[Path]:
    """The folders fonts are installed in on Windows, Linux (UOS, Kylin, Debian) and macOS."""
    dirs: list[Path] = []
    if os.name == "nt":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path(data_home) / "fonts",
            Path.home() / ".fonts",
            Path("/opt/kingsoft/wps-office/office6/fonts"),  # WPS for Linux brings the Windows fonts
        ]
    return dirs


def _index(dirs: list[Path]) -> dict[str, Path]:
    """lower-case file name -> first path found (a font folder holds some thousand files at most)."""
    found: dict[str, Path] = {}
    wanted = {name for names in CANDIDATES.values() for name in names}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                low = name.lower()
                if low in wanted and low not in found:
                    found[low] = Path(root) / name
    return found


def _face(path: Path) -> int:
    low = path.name.lower()
    if not low.endswith((".ttc", ".otc")):
        return 0
    try:
        from fontTools.ttLib import TTCollection

        coll = TTCollection(str(path), lazy=True)
        try:
            for i, font in enumerate(coll.fonts):
                names = " ".join(str(rec) for rec in font["name"].names if rec.nameID in (1, 4))
                if any(word in names for word in _CN_FACE_WORDS) and "MBE" not in names:
                    return i
        finally:
            coll.close()
    except Exception:  # noqa: BLE001 - an odd collection: its first face
        return FACE_IN_COLLECTION.get(low, 0)
    return FACE_IN_COLLECTION.get(low, 0)


def _embeddable(path: Path) -> bool:
    """TrueType outlines (a 'glyf' table): what the PDF writer can subset and embed."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                fh.seek(12)
                offset = int.from_bytes(fh.read(4), "big")
                fh.seek(offset)
                head = fh.read(12)
            num = int.from_bytes(head[4:6], "big")
            tags = {fh.read(16)[:4] for _ in range(num)}
    except OSError:
        return False
    return b"glyf" in tags


@dataclass(frozen=True)
class FontSet:
    """The face for each role (fang, song, hei, kai)."""

    roles: dict[str, FontFile]

    def __getitem__(self, role: str) -> FontFile:
        return self.roles[role]


def find_fonts(dirs: tuple[Path, ...] | None = None) -> FontSet:
    """The fonts for each role; ExportFailed with one sentence when the PC has no usable CJK font."""
    return _find(tuple(dirs) if dirs is not None else tuple(font_dirs()))


@functools.cache
def _find(dirs: tuple[Path, ...]) -> FontSet:
    index = _index(list(dirs))
    usable: dict[str, bool] = {}
    roles: dict[str, FontFile] = {}
    for role, names in CANDIDATES.items():
        for name in names:
            path = index.get(name)
            if path is None:
                continue
            if name not in usable:
                usable[name] = _embeddable(path)
            if usable[name]:
                roles[role] = FontFile(path, _face(path), FAMILY_OF_FILE.get(name, path.stem), role)
                break
    if not roles:
        raise ExportFailed(NO_FONT_MESSAGE)
    first = next(iter(roles.values()))
    for role in CANDIDATES:
        if role not in roles:
            roles[role] = FontFile(first.path, first.index, first.family, role)
    return FontSet(roles)
