"""A budget publication saved as Word, Excel or text: its performance forms among the other
tables and the prose of the document. The forms read as they read alone; the rest is passed
over and said to be, not kept cell by cell in the graph."""

import pytest

from conftest import SEED
from goaltrace.ingest.file_reading import explain_file, read_file
from render_formats import reading, to_docx, to_xlsx

BEFORE = """秀山土家族苗族自治县司法局2023年部门预算公开
第一部分 部门概况
一、主要职能
负责全县法治建设的统筹协调，承担全面依法治县委员会办公室的日常工作。
2023年部门收支总表
单位：万元
收入	预算数	支出	预算数
一般公共预算拨款收入	1200.5	一般公共服务支出	800
政府性基金预算拨款收入	0	公共安全支出	400.5
收入合计	1200.5	支出合计	1200.5
2023年一般公共预算“三公”经费支出表
单位：万元
合计	因公出国（境）费	公务用车购置及运行费	公务接待费
12	0	10	2
"""


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    return read_file(str(SEED)).declaration


@pytest.mark.parametrize("render", [None, to_docx, to_xlsx], ids=["text", "docx", "xlsx"])
def test_the_forms_of_a_publication_read_as_they_read_alone(render, alone, tmp_path):
    text = BEFORE + SEED.read_text(encoding="utf-8")
    path = tmp_path / "publication.txt"
    path.write_text(text, encoding="utf-8")
    if render is not None:
        path = render(text, tmp_path / f"publication.{render.__name__.removeprefix('to_')}")
    declaration = read_file(str(path)).declaration
    assert reading(declaration) == reading(alone)
    kept = {cell.text for cell in declaration.unmapped}
    assert not kept & {"一般公共预算拨款收入", "1200.5", "公务接待费", "收入合计", "一、主要职能"}
    said = "\n".join(explain_file(str(path)))
    assert "passed over, not a performance table: '2023年部门收支总表'" in said
    assert "passed over, not a performance table: '2023年一般公共预算“三公”经费支出表'" in said
