"""A synthetic corpus of declarations in several provincial layouts: seeded and deterministic.

    python bench/generate.py OUT_DIR [--declarations 1000] [--seed 1] [--template NAME]

Templates, as real forms come (see tests/fixtures/real/): `seed` (tab-separated, the bundled
county's), `pipes` (a pipe table with 指标性质 | 指标值 | 度量单位 | 权重 columns), `stream` (a web
page flattened one cell per line, value and unit in one cell), `spaced` (cells separated by single
spaces). Each declaration picks one, and about one in six has no department-wide form (a file of
project forms only). `--template` writes every declaration in one template.

Variety, as real forms have it: many counties and departments, several budget years for the
same department, 3–12 project tables, 4–15 indicators per form across the whole level-1/level-2
catalogue (成本 under 产出, and as the 2021 level 1), units with and without factors, values
with their unit inside the cell or in the unit column, words around numbers (覆盖63社区),
shifted columns, full- and half-width punctuation, and occasional defects of the kinds the
validator looks for (a bare 万, a rate in 件, weights not totalling 100, a qualitative target,
projects that do not add up to the declared project spending).
"""

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

COUNTIES = ["秀山土家族苗族自治县", "酉阳土家族苗族自治县", "彭水苗族土家族自治县", "石柱土家族自治县", "黔江区",
            "武隆区", "丰都县", "忠县", "云阳县", "奉节县", "巫山县", "巫溪县", "城口县", "开州区", "梁平区", "垫江县"]
DEPARTMENTS = ["司法局", "教育委员会", "卫生健康委员会", "农业农村委员会", "民政局", "文化和旅游发展委员会",
               "生态环境局", "交通局", "水利局", "人力资源和社会保障局", "林业局", "应急管理局"]
SUBJECTS = ["法律援助", "人民调解", "社区矫正", "普法宣传", "义务教育", "乡村振兴", "养老服务", "疫苗接种",
            "河道治理", "道路养护", "就业培训", "森林防火", "文物保护", "农村供水", "应急演练", "公共卫生"]
# (level-1 cell, level-2 cell, name stem, units the value may carry, typical value range, comparator)
CATALOGUE = [
    ("产出指标", "数量指标", "{s}服务人次", ["人次", "万人次"], (100, 50000), "≥"),
    ("产出指标", "数量指标", "{s}完成件数", ["件"], (10, 5000), "≥"),
    ("产出指标", "数量指标", "覆盖{s}村居", ["个", "村"], (20, 400), "="),
    ("产出指标", "数量指标", "{s}宣传资料", ["份", "万份"], (1, 50000), "≥"),
    ("产出指标", "质量指标", "{s}合格率", ["%"], (80, 100), "≥"),
    ("产出指标", "质量指标", "{s}差错率", ["%"], (0, 5), "≤"),
    ("产出指标", "时效指标", "{s}按时完成率", ["%"], (90, 100), "≥"),
    ("产出指标", "时效指标", "{s}办结时限", ["天", "个工作日"], (3, 60), "≤"),
    ("产出指标", "成本指标", "{s}人均成本", ["元/人"], (100, 90000), "≤"),
    ("产出指标", "成本指标", "{s}单位成本", ["万元"], (1, 200), "≤"),
    ("效益指标", "经济效益指标", "{s}挽回经济损失", ["万元"], (10, 2000), "≥"),
    ("效益指标", "社会效益指标", "{s}知晓率", ["%"], (60, 100), "≥"),
    ("效益指标", "社会效益指标", "{s}受益人数", ["人", "万人次"], (100, 100000), "≥"),
    ("效益指标", "生态效益指标", "{s}环境改善面积", ["亩", "平方米"], (10, 10000), "≥"),
    ("效益指标", "可持续影响指标", "{s}长效机制运行年限", ["年"], (1, 10), "≥"),
    ("满意度指标", "服务对象满意度指标", "{s}服务对象满意度", ["%"], (85, 100), "≥"),
    ("成本指标", "经济成本指标", "{s}经济成本", ["万元"], (1, 500), "≤"),
    ("成本指标", "社会成本指标", "{s}社会成本投诉数", ["件"], (0, 20), "≤"),
]
REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    comparator: str
    value: str
    unit: str
    weight: int


def _weights(count: int, rng: random.Random, defect: bool) -> list[int]:
    weights = [100 // count] * count
    weights[0] += 100 - sum(weights)
    if defect:
        weights[-1] += rng.choice([-5, 5, 10])
    return weights


def _indicators(rng: random.Random, subject: str, count: int, defects: set[str]) -> list[Indicator]:
    use_2021 = rng.random() < 0.2
    pool = [c for c in CATALOGUE if use_2021 or c[0] != "成本指标"]
    chosen = [rng.choice([c for c in pool if c[0] == level]) for level in REQUIRED_LEVEL1]
    chosen += [rng.choice(pool) for _ in range(count - len(chosen))]
    chosen.sort(key=lambda c: [e[0] for e in CATALOGUE].index(c[0]))
    weights = _weights(len(chosen), rng, "weights" in defects)
    out = []
    for (level1, level2, stem, units, (low, high), comparator), weight in zip(chosen, weights):
        unit = rng.choice(units)
        number = rng.randint(low, high) if unit != "%" else rng.randint(max(low, 0), min(high, 100))
        value = str(number)
        if "bare-wan" in defects and unit == "万元":
            unit = "万"
            defects.discard("bare-wan")
        if "rate-in-count" in defects and unit == "%":
            unit = "件"
            defects.discard("rate-in-count")
        if "qualitative" in defects and level1 == "满意度指标":
            comparator, value, unit = "=", "良好", ""
            defects.discard("qualitative")
        out.append(Indicator(level1, level2, stem.format(s=subject), comparator, value, unit, weight))
    return out


def _fold(text: str, rng: random.Random) -> str:
    """Mixed full- and half-width punctuation, as PDF extraction leaves it."""
    return text.replace("：", ":") if rng.random() < 0.4 else text


def department_table(rng, year, unit_name, goals, basic, project, indicators) -> list[str]:
    lines = ["", "部门（单位）整体支出绩效目标申报表", "", f"预算年度:{year}", "", _fold(f"预算（单位）名称：{unit_name}", rng), "",
             _fold("单位：万元", rng), "",
             "总体资金情况\t\t基本支出\t\t\t\t项目支出\t\t\t\t",
             "\t\t预算支出总额\t合计\t财政拨款\t专户资金\t单位资金\t合计\t财政拨款\t专户资金\t单位资金",
             f"\t\t{basic + project:.2f}\t{basic:.2f}\t{basic:.2f}\t\t\t{project:.2f}\t{project:.2f}\t\t",
             "部门整体绩效情况\t整体绩效目标\t" + " ".join(f"目标{n}：{g}" for n, g in enumerate(goals, 1)) + "\t" * 8,
             "\t年度绩效指标" + "\t" * 9,
             "\t一级指标\t二级指标\t三级指标\t\t\t绩效指标性质\t绩效指标值\t绩效度量单位\t权重\t"]
    previous = (None, None)
    for n, i in enumerate(indicators, 1):
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        lead = "" if rng.random() < 0.7 or not level1 else None
        row = [level1, level2, f"指标{n}：{i.name}", "", "", i.comparator, i.value, i.unit, str(i.weight), ""]
        lines.append("\t".join(row) if lead is None else "\t" + "\t".join(row))
    lines.append("其他说明" + "\t" * 10)
    return lines


TEMPLATES = ("seed", "pipes", "stream", "spaced")


def _levels(indicators):
    """Each indicator with the level names it shows: blank below the first of a merged block."""
    previous = (None, None)
    for i in indicators:
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        yield level1, level2, i


def project_form(template, rng, year, name, person, amount, goal_text, indicators, supervisor) -> list[str]:
    if template == "seed":
        return project_table(rng, year, name, person, amount, goal_text, indicators, supervisor)
    phone = f"0000-{rng.randint(1000000, 9999999)}"
    fields = [("项目名称", name), ("项目负责人及电话", f"{person} {phone}"), ("主管部门", supervisor),
              ("实施单位", supervisor), ("资金情况(万元)", ""), ("年度资金总额:", f"{amount:g}"),
              ("其中:财政拨款", f"{amount:g}"), ("其他资金", ""), ("年度目标", goal_text)]
    title = ["项目支出绩效目标申报表", f"({year}年度)"]
    if template == "pipes":
        lines = [f"| {t} | ||||||" for t in title]
        lines += [f"| {label} | {value} | |||||" for label, value in fields]
        lines.append("| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 |")
        for level1, level2, i in _levels(indicators):
            lines.append(f"| {level1} | {level2} | {i.name} | {i.comparator} | {i.value} | {i.unit} | {i.weight} |")
        return [""] + lines
    if template == "stream":
        cells = title + [c for pair in fields for c in pair if c] + ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "权重"]
        for level1, level2, i in _levels(indicators):
            cells += [c for c in (level1, level2) if c] + [i.name, f"{i.comparator}{i.value}{i.unit}", str(i.weight)]
        return [""] + [line for cell in cells for line in (f"{cell} |", "||||")]
    if template == "spaced":
        lines = title + [f"{label} {value}".strip() for label, value in fields]
        lines.append("绩效指标 一级指标 二级指标 三级指标 指标值 权重")
        for level1, level2, i in _levels(indicators):
            lines.append(" ".join(c for c in (level1, level2, i.name, f"{i.comparator}{i.value}{i.unit}", str(i.weight)) if c))
        return [""] + lines
    raise ValueError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")


def project_table(rng, year, name, person, amount, goal_text, indicators, supervisor="县主管局") -> list[str]:
    shift = "\t" if rng.random() < 0.25 else ""  # some tables come out one column to the right
    lines = ["", f"{year}年特定目标类项目绩效目标表", "", "单位：万元", "",
             f"项目名称\t{name}\t{shift}项目负责人及电话\t{shift}{person} 023-{rng.randint(60000000, 79999999)}\t\t",
             f"主管部门\t{supervisor}\t{shift}实施单位\t{shift}{supervisor}\t\t",
             f"资金情况 (万元)\t{_fold('年度资金总额：', rng)}\t{shift}{amount:g}\t\t\t",
             f"\t其中: 财政拨款\t{shift}{amount:g}\t\t\t",
             "\t其他资金\t\t\t\t",
             "总体目标\t年度目标\t\t\t\t",
             f"\t{goal_text}\t\t\t\t",
             "绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t指标权重"]
    previous = (None, None)
    for i in indicators:
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        value = f"{i.value}{i.unit}"
        if i.unit in ("社区", "村") and rng.random() < 0.5:
            value = f"覆盖{i.value}{i.unit}"
        lines.append("\t".join(["", level1, level2, i.name, i.comparator, value, str(i.weight)]))
    return lines


def declaration(rng: random.Random, unit_name: str, year: int, template: str | None = None,
                layout: random.Random | None = None, record: list | None = None,
                projects: tuple[int, int] = (3, 12), indicators: tuple[int, int] = (4, 15)) -> str:
    """One declaration. `layout` chooses the template and whether the department form is left
    out, apart from `rng`, so that the same seed declares the same things in every template.
    `record`, where given, is added (unit, year, project or '' department-wide, Indicator)
    for each indicator written: what a test checks the tables against. `projects` and
    `indicators` bound how many projects a declaration has and indicators a form has."""
    layout = layout or random.Random(0)
    template = template or layout.choice(TEMPLATES)
    with_department = template == "seed" or layout.random() >= 1 / 6
    defects = {d for d in ("bare-wan", "rate-in-count", "weights", "qualitative", "gap") if rng.random() < 0.08}
    goals = [f"{rng.choice(['全面推进', '持续提升', '加快完善', '积极开展'])}{rng.choice(SUBJECTS)}工作" for _ in range(rng.randint(2, 5))]
    subjects = rng.sample(SUBJECTS, rng.randint(*projects))
    amounts = [round(rng.uniform(5, 400), 1) for _ in subjects]
    project = sum(amounts) + (round(rng.uniform(10, 80), 2) if "gap" in defects else 0)
    basic = round(rng.uniform(300, 5000), 2)
    department_wide = _indicators(rng, rng.choice(subjects), rng.randint(*indicators), set(defects))
    lines = department_table(rng, year, unit_name, goals, basic, project, department_wide)
    if not with_department:
        lines = []
    elif record is not None:
        record += [(unit_name, year, "", i) for i in department_wide]
    for subject, amount in zip(subjects, amounts):
        quoted = rng.random() < 0.2
        goal_text = f"目标1：{goals[0]}" if quoted else f"做好{subject}相关工作，提升服务水平。"
        person = rng.choice("张王李赵刘陈杨黄") + rng.choice("伟芳娜敏静丽强磊军洋")
        written = _indicators(rng, subject, rng.randint(*indicators), set(defects))
        if record is not None:
            record += [(unit_name, year, f"{subject}项目", i) for i in written]
        render = random.Random(rng.getrandbits(64))  # how it is written, apart from what it says
        lines += project_form(template, render, year, f"{subject}项目", person, amount, goal_text, written,
                              "县主管局" if with_department else unit_name)
    return "\n".join(lines) + "\n"


def generate(out: Path, declarations: int, seed: int = 1, template: str | None = None,
             record: list | None = None, **sizes) -> list[Path]:
    """Write `declarations` files into `out`; `record`, where given, is added each indicator
    written; `sizes` bound projects and indicators (see `declaration`)."""
    rng = random.Random(seed)
    layout = random.Random(seed * 7919 + 1)
    out.mkdir(parents=True, exist_ok=True)
    units = [f"{county}{department}" for county in COUNTIES for department in DEPARTMENTS]
    years = [2021, 2022, 2023, 2024, 2025]
    written = []
    for n in range(declarations):
        unit = units[n % len(units)] if n < len(units) * len(years) else f"{units[n % len(units)]}第{n}分局"
        year = years[(n // len(units)) % len(years)]
        path = out / f"{n:05d}.txt"
        path.write_text(declaration(rng, unit, year, template, layout, record, **sizes), encoding="utf-8")
        written.append(path)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--declarations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--template", choices=TEMPLATES, default=None, help="one template for every declaration")
    args = parser.parse_args()
    files = generate(args.out, args.declarations, args.seed, args.template)
    print(f"wrote {len(files)} declarations to {args.out}")


if __name__ == "__main__":
    main()
