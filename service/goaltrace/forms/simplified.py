"""Forms that a copy site republished in traditional characters with pinyin glosses, read as
their simplified originals.

Some mirror sites run a page through a converter that writes each character in its traditional
form and puts the reading after some of them: 岳陽樓區(qū)價(jià)格認(rèn)證 for 岳阳楼区价格认证. Every
label, level name and unit the reader knows is simplified, and so is the form the unit
published. Rows that carry such glosses lose them, and their text is converted from
traditional to simplified with OpenCC (a maintained converter, not a hand-made table). A form
written in traditional characters without glosses (a Hong Kong or Taiwan text) is left alone:
the glosses are the sign of the copy, and the reading says what was done.
"""

import re
from functools import lru_cache

from .grid import Row

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# 區(qū), 價(jià), 證(zhèng): a Han character followed by its reading with a tone mark
_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
_ENOUGH = 3  # glosses in the file before it counts as such a copy


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def glossed(rows: list[Row]) -> bool:
    found = 0
    for row in rows:
        found += len(_GLOSS.findall(row.text))
        if found >= _ENOUGH:
            return True
    return False


def simplified(rows: list[Row]) -> list[Row]:
    """The rows as the unit wrote them, where a copy site glossed and converted them; otherwise
    the rows as they are. Returns the same kind of list (a document's keeps what it says of
    itself), with `simplified` set to True when it changed anything."""
    if not glossed(rows):
        return rows
    convert = _converter().convert
    out = [Row(row.number, convert(_GLOSS.sub("", row.text)), tuple(convert(_GLOSS.sub("", cell)) for cell in row.cells),
               row.place, row.doubts) for row in rows]
    result = type(rows).__new__(type(rows)) if type(rows) is not list else _Simplified()
    if type(rows) is not list:
        result.__dict__.update(rows.__dict__)
    result.extend(out)
    result.simplified = True
    return result


class _Simplified(list):
    simplified: bool = True


NOTE = "read as simplified Chinese: a copy site had written the form in traditional characters with pinyin glosses"
