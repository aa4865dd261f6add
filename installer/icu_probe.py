"""Print what Qt asks ICU for, one line each, as JSON: run once with PySide6's own ICU data and once with
the bundle's reduced one (LD_PRELOAD=<bundle>/_internal/PySide6/Qt/lib/libicudata.so.NN) and compare.

    QT_QPA_PLATFORM=offscreen python3 installer/icu_probe.py        (installer/icu_data.py, check_linux.sh)

The first line names the ICU data library the process mapped, so a preload that did not take is seen.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, QStringEncoder, QTimeZone

WORDS = ["张三", "李四", "王五", "赵六", "阿毛", "政务公开", "办公室", "Zebra", "apple", "Äpfel", "10", "9", "重庆", "长沙"]
# Encodings a Chinese office may meet; Qt decodes the ones it does not know itself through ICU.
ENCODINGS = ["GBK", "GB18030", "GB2312", "Big5", "windows-1252", "ISO-8859-15", "KOI8-R"]


def _mapped_icu_data() -> str:
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            return sorted({line.split()[-1] for line in fh if "libicudata" in line})[0]
    except (OSError, IndexError):
        return "?"


def probe() -> dict[str, object]:
    out: dict[str, object] = {}
    for name in ("zh_CN", "zh_TW", "en_US", "C"):
        locale = QLocale(name)
        collator = QCollator(locale)
        out[f"sort {name}"] = sorted(WORDS, key=collator.sortKey) if name != "C" else None
        collator.setNumericMode(True)
        out[f"numeric {name}"] = collator.compare("9", "10")
        out[f"upper {name}"] = locale.toUpper("abc straße ǆ")
        out[f"lower {name}"] = locale.toLower("ABC İ Σ")
    for zone_id in ("Asia/Shanghai", "Asia/Hong_Kong", "Europe/Berlin", "America/New_York"):
        zone = QTimeZone(zone_id.encode())
        out[f"zone {zone_id}"] = [
            zone.isValid(),
            zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("zh_CN")),
            zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US")),
            zone.displayName(QTimeZone.TimeType.GenericTime, QTimeZone.NameType.ShortName, QLocale("zh_CN")),
        ]
    for enc in ENCODINGS:  # PySide6 cannot run a decoder; opening one makes ICU load and check its table
        decoder, encoder = QStringDecoder(enc), QStringEncoder(enc)
        out[f"codec {enc}"] = [decoder.isValid(), decoder.name(), encoder.isValid()]
    out["system timezone valid"] = QTimeZone.systemTimeZone().isValid()
    out["codec count >= 10"] = len(QStringConverter.availableCodecs()) >= 10
    return out


if __name__ == "__main__":
    print(json.dumps({"icudata": _mapped_icu_data()}, ensure_ascii=False))
    for key, value in probe().items():
        print(json.dumps({key: value}, ensure_ascii=False))
    sys.stdout.flush()
