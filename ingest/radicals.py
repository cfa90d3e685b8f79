"""Compatibility code points that stand for ordinary Chinese characters, mapped back to them.

Browser "print to PDF" and some PDF fonts emit Kangxi radicals (⼀ U+2F00 for 一, ⾃ for 自) and CJK
compatibility ideographs instead of the unified ideographs; text then looks right but matches
nothing. Kangxi radicals and compatibility ideographs have canonical/compatibility decompositions
(NFKC), used here per character so that Chinese punctuation is left alone. The CJK Radicals
Supplement (U+2E80–U+2EF3) has almost none, so its table follows Unicode's
EquivalentUnifiedIdeograph.txt (simplified forms such as ⻋ map to 车).
"""

from __future__ import annotations

import unicodedata

# U+2E80.. in code point order ("" where no unified ideograph stands for the radical; U+2E9A is unassigned).
_SUPPLEMENT = (
    "_厂乛乚乙亻冂几刀刂卜㔾小小兀尣尢尢巳幺彑彐忄㣺扌攵_旡日月歺母民氵氺灬爫爫丬牜犭王疋目示礻竹糹纟"
    "罒罒㓁罓网羊羊羊耂肀聿月臼艹艹艹虎衤覀西见角角讠贝足车辶辶辶阝钅長镸长门阜阝雨青韦页风飞食食飠饣"
    "首马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"
)
_SUPPLEMENT_START = 0x2E80


def _is_unified(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F


def _nfkc_ranges() -> dict[str, str]:
    table: dict[str, str] = {}
    for start, end in ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for code in range(start, end + 1):
            char = chr(code)
            mapped = unicodedata.normalize("NFKC", char)
            if mapped != char and len(mapped) == 1 and _is_unified(mapped):
                table[char] = mapped
    return table


def _supplement() -> dict[str, str]:
    return {chr(_SUPPLEMENT_START + offset): target for offset, target in enumerate(_SUPPLEMENT) if target != "_"}


RADICAL_TO_IDEOGRAPH: dict[str, str] = {**_nfkc_ranges(), **_supplement()}
