"""A PDF budget publication's project budget table (项目支出预算情况表), read from the pages the
performance-table reader passes over, so that the check of project funds against it
(shapes/reviewer.ttl, project-funds-match-budget-table) runs on real documents.

Real documents from ../shared/corpus/documents/ (the tests skip without them); the amounts
below were read by hand from the rendered pages."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from goaltrace.forms import parse_declaration
from goaltrace.forms.documents.budget_pages import budget_lines, titled_pages
from goaltrace.forms.documents.pdf import _page_texts
from goaltrace.forms.parser import read_declaration
from goaltrace.graph.mapper import map_declaration
from goaltrace.graph.store import MEMORY, Store
from goaltrace.validation.validate import validate

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "documents"
OFFICE = SHARED / "Yantai_Municipal_Government_Office_2026_budget.pdf"  # 公开表11 on page 25
HOUSING = SHARED / "Yantai_Housing_Urban_Rural_Development_Bureau_2026_budget.pdf"  # 公开表11 on pages 29-31
DECLARATION = (Path(__file__).parents[1] / "fixtures" / "valid-declaration.txt").read_text(encoding="utf-8")
RULE = "project-funds-match-budget-table"

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent")


def housing_project(unit: str, declared: str) -> str:
    """A project form of 烟台市住房和城乡建设局 as PDF page 41 of its budget prints it (城建工作标准和导则编制,
    年度预算资金总额 100.00), with the total the form declares."""
    text = DECLARATION.replace("示例县司法局", unit).replace("法律援助", "城建工作标准和导则编制")
    return text.replace("年度资金总额:\t40", f"年度资金总额:\t{declared}").replace("其中: 财政拨款\t40", f"其中: 财政拨款\t{declared}")


@pytest.fixture(scope="module")
def office():
    return read_declaration(OFFICE)


@pytest.fixture(scope="module")
def housing_lines():
    data = HOUSING.read_bytes()
    return budget_lines(data, _page_texts(data))


@pytest.fixture(scope="module")
def findings(office, housing_lines):
    """One store: the real Yantai office budget read whole, and the housing bureau's budget
    table under two transcribed forms of its project, one declaring what PDF page 41 declares
    (100.00) and one what PDF page 66 declares (150.00)."""
    store = Store.open(MEMORY)
    cases = [replace(parse_declaration(housing_project(unit, declared), f"{unit}.txt"), budget_table=tuple(housing_lines))
             for unit, declared in (("住建不符", "100.00"), ("住建相符", "150.00"))]
    store.replace([map_declaration(d) for d in [office, *cases]])
    return validate(store).findings


def test_only_the_pages_titled_as_a_project_budget_table_are_read():
    assert titled_pages(_page_texts(OFFICE.read_bytes())) == [25]


def test_each_project_is_read_with_its_total_and_the_total_row_left_out(office):
    lines = office.budget_table
    assert len(lines) == 10
    assert (lines[0].project, lines[0].amount, lines[0].place) == ("国际零碳岛屿合作组织专班经费", Decimal("155.00"), "page 25 table 1 row 4")
    assert (lines[4].project, lines[4].amount) == ("政务热线整合经费", Decimal("3170.00"))
    assert sum(line.amount for line in lines) == Decimal("5039.97")  # the table's own 合计 row


def test_a_table_over_several_pages_is_read_on_each(housing_lines):
    pages = {line.place.split(" table")[0] for line in housing_lines}
    assert pages == {"page 29", "page 30", "page 31"}
    found = {(line.project, line.amount) for line in housing_lines}
    assert {("城建工作标准和导则编制", Decimal("150.00")), ("三城联创研究及工作推进经费", Decimal("38.95")),
            ("莱山新高中项目", Decimal("12000.00"))} <= found
    assert all(line.project != "合计" for line in housing_lines)


def test_a_real_document_whose_funds_agree_passes_and_is_checked(findings):
    """Every one of the office's ten project forms declares what its budget table gives
    (驻外机构工作保障经费 twice, 159.96 and 94.01, each against either line of that name)."""
    office = [f for f in findings if "烟台市人民政府办公室" in f.form and f.rule.startswith(RULE)]
    assert office == []


def test_a_form_declaring_other_than_the_budget_table_is_found(findings):
    found = [f"{f.message_zh} / {f.message_en}" for f in findings if f.rule == RULE and "住建不符" in f.form]
    assert found == [
        "项目“城建工作标准和导则编制”的绩效目标表申报资金 100 万元，同一文件的项目支出预算表为 150 万元（page 29 table 1 row 9）。 / "
        "The performance table of “城建工作标准和导则编制” declares 100 万元, but the same document's project budget table "
        "gives 150 万元 (page 29 table 1 row 9)."]
    assert [f for f in findings if f.rule.startswith(RULE) and "住建相符" in f.form] == []
