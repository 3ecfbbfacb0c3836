"""Indicator concepts (指标概念): the scheme of ontology/indicator-concepts.ttl, and the rule that
links one indicator, by its name, unit and level-2 category, to at most one concept.

A link is ``declared`` when the name is the concept's standard wording (its preferred label),
``suggested`` when a rule finds it: the name holds one of the concept's wordings or patterns,
and the unit is one the concept is measured in. When two unrelated concepts fit as well, or
the unit does not fit, nothing is linked: a wrong link is worse than none. A person confirms or
overrules a link with a curated mapping file (`goaltrace.graph.concept_mappings`).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from .. import resources
from ..forms.units import unit_labelled
from ..graph.namespaces import GT, GTC, GTF, RDF, SKOS

# What a unit measures, for the rules: persons (人, 人次), count (件, 次, 个…), yuan (元 alone), money (万元…),
# ratio (元/人, 万元/个), percent, time (天, 年, a date), length, area, none (no unit), other.
_PERSON_UNITS = re.compile(r"^(万)?(人|名|人次|人数|户|户数|人/次|户次)$")
_LENGTH = re.compile(r"^(公里|千米|km|米|m|延米)$", re.IGNORECASE)
_TIME_UNITS = re.compile(r"^(个)?(月|年|天|日|小时|分钟|工作日|周|季度|个工作日|自然日|秒)$")
_AREA = re.compile(r"(亩|公顷|平方米|平米|㎡|平方公里|m2)$", re.IGNORECASE)
_TIME_TEXT = re.compile(r"(\d{4}年|月底|年底|月前|日前|季度|以前|之前|前完成|工作日|小时|天内|日内)")


@dataclass(frozen=True)
class Rule:
    """When a name is of a concept beyond its wordings: `pattern` found in the name (and
    `exclude` not), the unit one of `units`, and where `under` is given, the indicator filed
    under one of those level-2 categories."""

    pattern: str
    units: frozenset[str]
    exclude: str | None = None
    under: frozenset[str] = frozenset()


RATE = frozenset({"percent", "none"})
COUNT = frozenset({"count", "none"})
PEOPLE = frozenset({"persons"})
CASH = frozenset({"money", "yuan"})  # an amount: 元 alone, 万元, 亿元…
MONEY = CASH | {"none"}
WHEN = frozenset({"percent", "time", "none"})
ANY_UNIT = frozenset({"percent", "count", "persons", "money", "yuan", "ratio", "time", "length", "area", "none", "other"})

RULES: dict[str, Rule] = {
    "service-recipient-satisfaction": Rule(r"满意(度|率|程度)|好评率", RATE),
    "trainee-satisfaction": Rule(r"(参训|培训|学员|受训).{0,8}满意", RATE),
    "staff-satisfaction": Rule(r"(职工|干部|干警|使用人员|工作人员|在职人员|教职工|民警|单位人员|机关人员).{0,6}满意", RATE,
                               r"离退休|离休|退休|老干部"),
    "completion-on-time": Rule(r"(按时|按期|及时|如期|限期)(完成|完工|竣工)|(完成|完工|竣工)(及时|时限|时间|时效|进度)"
                               r"|(实施|建设|工作|任务)(时限|时间)$|实施及时|(验收|结题)(时间|时限)|按时结题"
                               r"|(购置|采购|交付|供货|到货)(及时|按时)|按期交付|按计划(完工|完成|竣工)", WHEN,
                               r"发放|拨付|支付|兑付|到位|下达|办结|办理|受理|结案|审限|案件|信访|投诉|诉求|申请|事项|抢险|应急"
                               r"|^(?!.*(完成|完工|竣工|结题|交付|验收)).*(开工|启动|开始|动工)"),
    "timely-disbursement": Rule(r"(发放|拨付|支付|到位|下达|兑付|兑现|拨款|缴纳|缴费|报销|结算).{0,4}(及时|按时|时间|时限)"
                                r"|(及时|按时|按月|按期|足额)(足额)?(发放|拨付|支付|兑付|到位|下达)|到位及时", WHEN),
    "timely-handling": Rule(r"(办理|办结|受理|处理|处置|回复|答复|结案|审结|抢险|应急).{0,3}(及时|时限)"
                            r"|(按期|按时|限时|及时)(办结|办理|受理|处理|处置|回复|答复|结案)|审限内"
                            r"|(案件|信访|投诉|诉求|申请|事项).{0,8}(及时|按时|按期)", WHEN,
                            r"故障|维护|运维|维修|监控|系统|数据|响应|网络"),
    "acceptance-pass-rate": Rule(r"验收(合格|通过|达标)|(工程|设备|产品|项目|建设|施工|维修|改造|货物|采购)?质量(合格|达标)率"
                                 r"|(报告|成果|产品|视频|车辆|设备|工程|物资|作品|货物|课题)(质量)?(合格|达标|通过)率|(评审|验收)(合格|通过)率|通过验收", RATE,
                                 r"培训|学员|参训|抽检|抽样|监测|检测"),
    "sampling-pass-rate": Rule(r"(抽检|抽样|监测|检测|检验|抽查)(样品|产品)?合格率", RATE),
    "task-completion-rate": Rule(r"(任务|计划|工作|目标|活动|赛事|项目|建设)完成(率|比例|度)", RATE,
                                 r"及时|按时|按期|资金|投资|预算|支付|执行|培训"),
    "spending-compliance": Rule(r"(资金|经费|支出|财务)(使用|支出|管理)?的?(合规|规范)(率|性)?|采购.{0,4}合规(率|性)", RATE),
    "disbursement-accuracy": Rule(r"(发放|补贴|补助|工资|资金|资助|费用|支付).{0,4}准确(率|性)", RATE),
    "coverage-rate": Rule(r"覆盖.{0,8}率", frozenset({"percent"}), r"森林|参保|接种|免疫|绿化"),
    "planting-survival-rate": Rule(r"(成活|存活|保存)率", RATE, r"动物|畜|禽|鱼|猪|牛|羊|养殖"),
    "immunisation-rate": Rule(r"(接种|免疫)(率|覆盖率|密度)", RATE),
    "case-closure-rate": Rule(r"结案率|办结率|办理率", RATE, r"及时|按期|按时|审限|时限"),
    "training-pass-rate": Rule(r"(培训|参训|学员|受训).{0,6}(合格|结业|通过)率|结业率", RATE),
    "information-disclosure-rate": Rule(r"公开(率|比例|程度)|信息公开|预决算公开", RATE),
    "normal-operation": Rule(r"正常(运转|运行)", ANY_UNIT - {"count", "persons"} - CASH,
                             r"设备|系统|设施|网络|平台|站|网|考场|用房|房屋|车|线路|监控"),
    "mediation-success-rate": Rule(r"调解.{0,4}成功率|调解率|调处.{0,4}成功率|调处率|纠纷化解率", RATE),
    "equipment-availability": Rule(r"(设备|系统|设施|网络|平台|监控|站|网站).{0,6}(完好|在线|正常运行|可用|运行)率|完好率|在线率|良性运行(率|比例)", RATE),
    "budget-execution-rate": Rule(r"(预算|资金|经费|投资)(执行|支出|使用|支付)(完成)?(率|进度)|执行率|支出率|支付率", RATE,
                                  r"及时|按时|准确|合规|规范"),
    "cost-control": Rule(r"成本控制|控制在.{0,8}(预算|成本|概算)|(不超|未超|不超过|不突破|超过|超出|不超出|是否超过?|是否超出).{0,4}(预算|概算)|超预算"
                         r"|成本节约|预算控制|(预算|成本)范围内|(经费|费用|成本|支出).{0,4}控制(率|数)",
                         ANY_UNIT - {"count", "persons"}),
    "total-cost": Rule(r"总成本|总投资|总投入|总支出|成本总额|成本$|成本支出$|(项目|资金)投入$|投入资金$|(支出|安排|投入)金额$", MONEY,
                       r"单位|人均|平均|标准|控制|节约|社会|生态|环境"),
    "unit-cost": Rule(r"单位成本|人均成本|平均成本|单价|生均|(成本|费用|经费)$", frozenset({"ratio"}),
                      r"补助|补贴|资助|救助"),
    "subsidy-standard": Rule(r"(补助|补贴|资助|救助|奖励|扶助|慰问).{0,6}标准|发放标准", CASH | {"ratio"}),
    "funds-disbursed": Rule(r"(发放|兑付|拨付)(资金|补贴|补助)?(金额|总额|资金)|(补贴|补助)(资金|金额)(发放)?(总额|金额)?$",
                            CASH, r"标准"),
    "cases-handled": Rule(r"(办理|办结|受理|查处|审结|审理|代理|承办|调解|化解|援助|执行|立案).{0,6}案件|案件(数|数量|件数)"
                          r"|办案(数|数量)", COUNT, r"率|信访"),
    "petitions-handled": Rule(r"信访(事项|件|案件)?.{0,4}(数|数量|件数)$|(受理|办理|处理|接待)信访", COUNT | PEOPLE, r"率"),
    "trainings-held": Rule(r"培训(次数|期数|场次|班次|班数|批次)|(开展|举办|组织)(业务|专题|技能|各类)?培训|培训班", COUNT,
                           r"人|率"),
    "people-trained": Rule(r"培训|参训|受训", PEOPLE, r"率|满意"),
    "beneficiaries": Rule(r"(受益|收益|获益).{0,8}(人数|户数|人口|对象|群众|家庭)|(受益|收益|获益)(人|户)|(补助|补贴|资助|救助|发放|享受|领取|扶助|帮扶|慰问|救济)"
                          r".{0,6}(人数|户数|对象|人次|人员|人口)|(惠及|解决|改善)[^率]{0,12}(人数|人口|户数)", PEOPLE, r"率|满意|培训"),
    "publicity-activities": Rule(r"宣传(活动|场次|次数)|普法(活动|宣传)|(法治|法制|普法|政策)宣传|宣传.{0,6}活动|宣讲(活动|场次|次数)?", COUNT,
                                 r"资料|材料|品|册|单|画|手册|横幅|海报|折页|稿|短信|人|率"),
    "publicity-materials": Rule(r"(宣传|普法|法治|法制)(资料|材料|品|册|单|画|手册|横幅|海报|折页|稿|短信|片)|(投稿|稿件|新闻稿|信息稿)(数|篇|数量)?",
                                COUNT, r"率"),
    "inspections-conducted": Rule(r"(检查|巡查|督查|督导|抽查|执法检查|监督检查|巡逻|巡检)(工作)?(次数|频次|场次|数量|户次|家次)?$"
                                  r"|(开展|组织).{0,8}(检查|巡查|督查|督导)", COUNT, r"合格|率|抽检|人|阶段|完成"),
    "meetings-held": Rule(r"(召开|举办|组织).{0,10}会议|会议(次数|场次|数量)", COUNT, r"人"),
    "equipment-purchased": Rule(r"(购置|采购|购买|配备|配置|更新).{0,8}(设备|车辆|仪器|家具|电脑|计算机|器材|装备)"
                                r"|(设备|车辆|仪器|装备)(购置|采购|配备)(数量)?"
                                # a count of devices named as such (灭火装置及药剂, 套): what is bought, not what is serviced
                                r"|(装置|设备|器材|仪器|装备|灭火器|终端)(及.{0,4})?$", COUNT,
                                r"率|成本|费用|经费|维护|维修|运维|检修|保养|巡检|检测|检查|监测|鉴定|校准|检定|标定|计量|租赁|回收|报废|处置"),
    "events-held": Rule(r"(活动|演出|赛事|比赛|展览|展演|文艺)(场次|次数|数量)|(开展|举办|组织).{0,8}(活动|演出|赛事|比赛|展览)"
                        r"|送戏|送文化|文化下乡",
                        COUNT, r"宣传|普法|培训|会议|检查|人|率"),
    "projects-count": Rule(r"项目(个数|数量|数)$|(建设|实施|支持|扶持|资助|完成)项目(个数|数量|数)?$"
                           r"|(开展|实施|建设|新建|完成).{0,8}(工程|项目)(建设)?$", COUNT,
                           r"申报|结算|评审|评估|获批|征集|考核|检查|验收|在研"),
    "road-length": Rule(r"道路|公路|路面|村道|水泥路|便道|作业道", frozenset({"length"}), r"率|绿化|美化"),
    "afforestation-area": Rule(r"造林|营造林|植树|绿化面积", frozenset({"area"}), r"率"),
    "staff-supported": Rule(r"(保障|在职|退休|在编|编制).{0,4}(人数|人员|职工|干部)|(聘用|聘请|招聘|雇佣)(人员|人数|工作人员)(数量|人数)?$",
                            PEOPLE | {"none"}, r"培训|率|满意|就业|参保|驻场|会议"),
    "service-visits": Rule(r"(接待|咨询|服务)(群众|观众|游客|来访)?(人次|人数)|接待(群众|观众|游客)", PEOPLE, r"培训|率|满意"),
    "samples-tested": Rule(r"(抽检|检测|监测|抽样|检验)(对象|样品|产品)?(批次|样品|数量|份数|组数)", COUNT, r"合格|率"),
    "income-increase": Rule(r"增收|(增加|提高|带动).{0,6}收入|收入(增加|增长|提高)", ANY_UNIT - {"persons", "count"}),
    "jobs-created": Rule(r"(带动|新增|促进|实现|提供|解决|吸纳)(\w{0,4})?就业|就业(人数|岗位)|(工作|就业)岗位|提供岗位",
                         frozenset({"count", "persons"}), r"率|培训|服务"),
    "public-awareness-rate": Rule(r"知晓(率|度|程度)", RATE),
    "sense-of-security": Rule(r"安全感", RATE),
    "social-stability": Rule(r"社会(和谐)?稳定|和谐稳定", RATE),
    "service-life": Rule(r"(使用|受益|设计使用|服务)(年限|寿命)|(持续|发挥)(作用|效益|效果)?(年限|期限)", WHEN),
    "long-term-mechanism": Rule(r"长效(管理|运行|工作)?机制", RATE),
    "forest-coverage-rate": Rule(r"森林覆盖率", RATE),
    "air-quality-good-days": Rule(r"空气(质量)?优良|优良天数", RATE),
    "water-quality-compliance": Rule(r"水质.{0,4}(达标|优良|合格)", RATE),
    "insurance-enrolment-rate": Rule(r"参保(率|覆盖率)", RATE),
    "accident-fatalities": Rule(r"事故.{0,4}死亡(人数)?", COUNT | PEOPLE, r"率"),
    "hazard-rectification-rate": Rule(r"(隐患|问题)整改(完成|到位)?率|整改(完成|到位)率", RATE),
    "case-clearance-rate": Rule(r"破案率|侦破率", RATE),
    "housing-units": Rule(r"(保障性住房|公租房|棚户区|棚改|危房|老旧小区|安置房|住房).{0,6}(套数|户数|数量|改造|建设)", COUNT | PEOPLE,
                          r"率|满意|资金|补助标准"),
    "online-service-rate": Rule(r"网上(可办|办理)率|全程网办率|一网通办率", RATE),
    "health-management-rate": Rule(r"健康管理率|规范管理率|系统管理率", RATE),
    "greening-coverage-rate": Rule(r"绿化覆盖率|绿地率", RATE),
}


LONGEST = 28  # characters of a name, beyond which it is a sentence
COST_LEVELS = frozenset({"output-cost", "cost-economic"})
# Second rules, narrower than a concept's first: what a name says only where it is filed.
MORE_RULES: dict[str, Rule] = {
    # only spending named as a whole (项目经费, 项目支出): a name that says what the money buys
    # (原厂设备服务费, 苗木费) names one cost item, not the project's total cost
    "total-cost": Rule(r"^(本?项目|工作|业务|专项)?(经费|费用|资金|支出)(支出|投入|总额|合计|金额)?$", CASH, r"单位|人均|平均|标准",
                       COST_LEVELS),
    "subsidy-standard": Rule(r"(补助|补贴|资助)$", frozenset({"ratio", "yuan"})),
    "beneficiaries": Rule(r"扶助|救助|资助|帮扶|慰问|补助|补贴", PEOPLE, r"率|满意|培训|工作人员"),
}


@dataclass(frozen=True)
class Concept:
    iri: str
    slug: str
    label: str  # the preferred Chinese label: the standard wording
    wordings: tuple[str, ...]  # every Chinese label, normalised
    level2: frozenset[str]  # keys of the framework's level-2 categories it is usually filed under
    broader: str | None  # slug


@dataclass(frozen=True)
class Link:
    """One indicator's concept, with what the link rests on."""

    concept: str  # IRI
    basis: str  # declared | suggested
    shared: str  # the words the name shares with the concept (a wording, or what its pattern found)
    unit: str | None
    level2: str | None


def normalise(name: str) -> str:
    """A name as the rules read it: full-width folded, no spaces, marks (★, *), placeholders
    (≥**%), trailing units in brackets or punctuation."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[★☆*＊\s]", "", text)
    text = re.sub(r"[(\[（【][^)\]）】]*(?:[≥≤<>=%]|\d|\*|人|个|元|万|亩|次)[^)\]）】]*[)\]）】]", "", text)
    text = re.sub(r"(?:[≥≤<>=]+\d*(?:\.\d+)?%?|\d+(?:\.\d+)?%)$", "", text)
    return text.strip("%：:;；,，。.、()（）")


def unit_kind(unit: str | None, target_text: str | None = None) -> str:
    """What a unit measures, in the rules' terms (see the module's constants)."""
    if not unit:
        return "time" if target_text and _TIME_TEXT.search(target_text) else "none"
    unit = unicodedata.normalize("NFKC", unit).strip()
    if unit in ("%", "％", "百分比", "比例", "百分率") or unit.endswith("%"):
        return "percent"
    if _TIME_UNITS.match(unit):
        return "time"
    if _PERSON_UNITS.match(unit):
        return "persons"
    if "/" in unit or "每" in unit:
        return "ratio" if "元" in unit else "other"
    if _LENGTH.match(unit):
        return "length"
    if _AREA.search(unit):
        return "area"
    if unit == "元":
        return "yuan"
    known = unit_labelled(unit)
    kind = known.kind if known else ("money" if unit.endswith("元") else "count")
    return {"magnitude": "money" if unit.startswith("万") and len(unit) == 1 else "count", "ratio": "ratio"}.get(kind, kind)


@cache
def scheme() -> dict[str, Concept]:
    """The concepts of ontology/indicator-concepts.ttl by slug, read once."""
    source = next(f for f in resources.ontology_files() if f.name == "indicator-concepts.ttl")
    graph = ox.Store()  # the scheme's own file, apart from goaltrace's store
    graph.load(source.read_bytes(), ox.RdfFormat.TURTLE)
    in_scheme, concept_class = ox.NamedNode(f"{SKOS}inScheme"), ox.NamedNode(f"{GT}IndicatorConcept")
    found = {}
    for quad in graph.quads_for_pattern(None, ox.NamedNode(f"{RDF}type"), concept_class):
        if any(graph.quads_for_pattern(quad.subject, in_scheme, None)):
            concept = _concept(graph, quad.subject)
            found[concept.slug] = concept
    return found


def _concept(graph: ox.Store, iri: ox.NamedNode) -> Concept:
    said: dict[str, list] = {}
    for quad in graph.quads_for_pattern(iri, None, None):
        said.setdefault(quad.predicate.value, []).append(quad.object)
    label = next(o.value for o in said[f"{SKOS}prefLabel"] if o.language == "zh")
    wordings = [label, *(o.value for o in said.get(f"{SKOS}altLabel", []) if o.language == "zh")]
    broader = [o.value.removeprefix(GTC) for o in said.get(f"{SKOS}broader", [])]
    return Concept(iri.value, iri.value.removeprefix(GTC), label, tuple(dict.fromkeys(normalise(w) for w in wordings)),
                   frozenset(o.value.removeprefix(GTF) for o in said.get(f"{GT}usualLevel2", [])),
                   broader[0] if broader else None)


@cache
def _standard() -> dict[str, Concept]:
    """Each concept by its standard wording (its preferred label), normalised."""
    return {normalise(concept.label): concept for concept in scheme().values()}


@cache
def _patterns() -> list[tuple[str, Rule, re.Pattern, re.Pattern | None]]:
    return [(slug, rule, re.compile(rule.pattern), re.compile(rule.exclude) if rule.exclude else None)
            for rules in (RULES, MORE_RULES) for slug, rule in rules.items()]


def link(name: str, unit: str | None = None, level2: str | None = None, target_text: str | None = None) -> Link | None:
    """The concept an indicator measures, or None when no concept fits for sure."""
    text = normalise(name)
    if not text or len(text) > LONGEST:
        return None  # a sentence, not a name: what it measures is for a person to say
    concepts = scheme()
    kind = unit_kind(unit, target_text)
    standard = _standard().get(text)
    if standard and kind in RULES[standard.slug].units:
        return Link(standard.iri, "declared", standard.label, unit, level2)
    found: dict[str, str] = {}  # slug → the words found
    for slug, rule, pattern, exclude in _patterns():
        if kind not in rule.units or (exclude and exclude.search(text)) or (rule.under and level2 not in rule.under):
            continue
        words = [w for w in concepts[slug].wordings if rule is RULES[slug] and (text.endswith(w) or len(w) > 3 and w in text)]
        match = pattern.search(text)
        if match:
            words.append(match.group(0))
        if words and len(max(words, key=len)) > len(found.get(slug, "")):
            found[slug] = max(words, key=len)
    for slug in list(found):  # a narrower concept found says more than its broader one
        broader = concepts[slug].broader
        if broader in found:
            del found[broader]
    if not found:
        return None
    best = max(len(words) for words in found.values())
    ranked = [(slug, words) for slug, words in found.items() if len(words) == best]
    if len(ranked) > 1:  # two unrelated concepts fit as well: the one usually filed where the row is
        ranked = [(slug, words) for slug, words in ranked if level2 in concepts[slug].level2]
    if len(ranked) != 1:
        return None  # still more than one, or none: leave it to a person
    slug, words = ranked[0]
    return Link(concepts[slug].iri, "suggested", words, unit, level2)
