"""Real published forms (tests/fixtures/real/, see its README and each batch's SOURCES.md) read
exactly as a person reads them: every indicator row, and the unit, year and projects with their
totals. Each expectation was written by hand from the text, never from goaltrace's output.

A form whose text stops before its end is read with --partial up to its cut; the rows the hand
reading lists are the ones wholly before the cut.
"""

from pathlib import Path

import pytest

from goaltrace.forms import FormError, parse_declaration
from real_corpus import COLUMNS, expected_header, forms, read_header, read_rows

# Forms the importer does not read yet, and why. Each is expected to fail; when one starts to
# read, strict xfail turns this list red so that it is kept honest.
NOT_YET = {
    "agri/hunan-lixian-syj-2021": "header and rows run together with no separator, name and explanation glued",
    "social/gansu-jiayuguan-museum-2023": "the whole form is one run-together OCR line",
    "heldout2/nm_wuhai_gxs": "a space-separated row repeats a date's Excel serial in the unit column (= 44,561 44,561)",
    "heldout3/nj_zxj": "an evaluation table with name, explanation, target and score run together",
    "heldout3/yj_wenwu": "a workbook flattened to one line, its cells out of order",
    "heldout4/fj_xiuyu_waterdamage": "a notice, an allocation table and the form with every cell run together, one target column per area",
    "heldout6/fj_anxi_water_2022": "a notice's allocation table (属地 | 金额 | 项目) read as the form's fields, and one target column per village",
    "heldout6/hi_exhibition_awards_2022": "a notice with the whole form run together on its lines, and no 项目名称",
}
# Forms that read, whose unit, year and projects read right, but some of whose rows do not.
ROWS_NOT_YET = {
    "dept/hunan-yueyanglou-jgrz-dept-2023": "its rows read now; a value's own unit against the unit column (28.8万元 | %), an explanation where a unit is lost, 成本指标 in the level-2 column (flagged)",
    "heldout2/hn_taoyuan_zjyz": "cells run together, each indicator's name glued to its description (指标内容)",
    "heldout3/ja_kangfu": "the page stops after '验收合格率 1', a whole row to read; only the page's length says it was cut",
}
# Forms whose indicators read exactly but whose funds the reader does not yet take as a person
# does, each with the reason.
FUNDS_NOT_YET = {
    "social/hunan-nanyue-yulu-2023": "two-row fund table (本年度预计投入 | 财政资金 over 中央 | 省级 | …)",
    "heldout3/hs_police": "amounts in 元 with no 单位 line (the hand reader knew it from the column); only the first project's row is read",
}

ALL = forms()


def _marks(form, table=NOT_YET):
    reason = table.get(form.name) if isinstance(table, dict) else None
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def test_the_corpus_is_what_the_issue_asks_for():
    provinces = {form.expected["province"] for form in ALL}
    assert len(ALL) >= 25 and len(provinces) >= 8, (len(ALL), sorted(provinces))
    for form in ALL:
        assert form.expected["url"].startswith("http"), form.name
        assert form.expected["indicators"], form.name
        assert set(COLUMNS) <= set(form.expected["indicators"][0]), form.name


@pytest.mark.parametrize("form", [pytest.param(f, id=f.name, marks=_marks(f) or _marks(f, ROWS_NOT_YET)) for f in ALL])
def test_every_indicator_row_reads_as_a_person_reads_it(form):
    _, rows = read_rows(form)
    assert sorted(rows) == sorted(form.expected_rows())


@pytest.mark.parametrize("form", [
    pytest.param(f, id=f.name, marks=_marks(f) or (
        [pytest.mark.xfail(reason=FUNDS_NOT_YET[f.name], strict=True)] if f.name in FUNDS_NOT_YET else []))
    for f in ALL])
def test_unit_year_and_projects_read_as_a_person_reads_them(form):
    declaration, _ = read_rows(form)
    assert read_header(declaration) == expected_header(form)


@pytest.mark.parametrize("form", [pytest.param(f, id=f.name) for f in ALL
                                  if not f.complete and f.name not in NOT_YET])
def test_a_cut_form_is_refused_without_partial_or_reads_whole_rows(form):
    """Without --partial, a text that stops inside a row is refused at the line where it stops;
    one that stops between rows reads those rows (nothing there says it was cut)."""
    text = form.path.read_text(encoding="utf-8")
    try:
        declaration = parse_declaration(text, str(form.path), year=form.expected.get("year") or 2000)
    except FormError as error:
        assert "ends" in error.message and "--partial" in error.message, error.message
        assert 1 <= error.line <= len(text.split("\n"))
        partial = parse_declaration(text, str(form.path), partial=True, year=form.expected.get("year") or 2000)
        assert partial.incomplete_at == error.line
    else:
        assert declaration.incomplete_at is None


@pytest.mark.parametrize("form", [pytest.param(f, id=f.name) for f in ALL if f.name not in NOT_YET])
def test_nothing_is_silently_dropped(form):
    """Every non-blank cell of a form that reads is either read as something or kept as an
    unmapped cell with its line."""
    from goaltrace.forms.grid import rows_of

    declaration, _ = read_rows(form)
    explained = {line for line, _ in declaration.explanation}
    # rows_of: page markers, and a cell's first part joined to the line that ends it, are blank
    for row in rows_of(form.path.read_text(encoding="utf-8")):
        if not row.blank and (declaration.incomplete_at is None or row.number <= declaration.incomplete_at):
            assert row.number in explained, (row.number, row.text)


def test_every_real_file_goes_to_the_reader_of_its_kind():
    """`goaltrace import` sends a file to the self-evaluation reader or the declaration reader by
    what it holds; a declaration whose approval text names the 绩效自评表 to be sent in later
    (及时上报“项目支出绩效自评表”) is still a declaration."""
    import json

    from goaltrace.forms.grid import rows_of
    from goaltrace.forms.self_evaluation import is_self_evaluation

    real = Path(__file__).parents[1] / "fixtures" / "real"
    wrong = [path.name for path in sorted(real.glob("*/*.expected.json"))
             if is_self_evaluation(rows_of(path.with_name(path.name.replace(".expected.json", ".txt")).read_text(encoding="utf-8")))
             != json.loads(path.read_text(encoding="utf-8"))["kind"].endswith("selfeval")]
    assert wrong == []
