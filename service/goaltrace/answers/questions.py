"""The questions across the corpus, as data for their pictures: one concept's targets across units and years, targets that fall from one year to the next, and each declaration's quality profile.

Each answer is the rows of its named query (``concept-across-units``, ``falling-targets``,
``declaration-quality-profile``) with the numbers a picture needs taken out of them, and what
could not be drawn said as a count: targets without a number, or in another unit of measure
than the one the picture's axis is in. `goaltrace.rendering.question_charts` draws them.
"""

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ..graph.namespaces import GTC
from ..query.named import Reader

QUESTIONS = {
    "concept-across-units": ("同一指标概念的跨单位目标", "One concept's targets across units and years"),
    "falling-targets": ("逐年下降的目标", "Targets that fall from one year to the next"),
    "declaration-quality-profile": ("申报质量概况", "Declaration quality profile"),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
SHARES = ("quantitative_share", "benefit_share", "satisfaction_share", "met_share")


@dataclass(frozen=True)
class Target:
    department: str
    year: int
    project: str
    indicator: str
    comparator: str
    value: float
    actual: float | None  # the self-evaluation's actual, where one reports on the target with a number
    met: str  # true, false, unknown, or empty where no self-evaluation reports on it


@dataclass
class ConceptTargets:
    concept: str
    unit: str  # the unit of measure the axis is in: the one most of the concept's targets use
    targets: list[Target] = field(default_factory=list)
    other_units: int = 0  # numeric targets in another unit of measure, not drawn
    not_numeric: int = 0  # qualitative targets, not drawn

    def as_json(self) -> dict:
        return asdict(self)


def concept_targets(reader: Reader, concept: str, year: int | None = None) -> ConceptTargets:
    """The numeric targets set for a concept (its slug; narrower concepts count as it), in one
    budget year or every year, in the unit of measure most of them use."""
    bindings = {"concept": ox.NamedNode(GTC + concept)}
    if year is not None:
        bindings["wantedYear"] = ox.Literal(str(year))
    rows = reader.run("concept-across-units", bindings)
    numeric = [r for r in rows if r["comparator"].value != "qualitative" and _NUMBER.fullmatch(r["value"].value)]
    units = Counter(r["unit"].value for r in numeric)
    unit = min(units, key=lambda u: (-units[u], u)) if units else ""
    answer = ConceptTargets(concept, unit, not_numeric=len(rows) - len(numeric))
    for r in numeric:
        if r["unit"].value != unit:
            answer.other_units += 1
            continue
        actual = _NUMBER.search(r["actual"].value)
        answer.targets.append(Target(r["department"].value, int(r["year"].value), r["project"].value,
                                     r["indicator"].value, r["comparator"].value, float(r["value"].value),
                                     float(actual.group()) if actual else None, r["met"].value if "met" in r else ""))
    answer.targets.sort(key=lambda t: (t.department, t.year, t.project, t.indicator))
    return answer


@dataclass(frozen=True)
class Fall:
    concept: str
    department: str
    unit: str
    year_before: int
    target_before: float
    year_after: int
    target_after: float

    @property
    def change(self) -> float | None:
        """The fall as a share of the earlier target (-0.11 for 4500 → 4000); None from 0."""
        return (self.target_after - self.target_before) / self.target_before if self.target_before else None

    def as_json(self) -> dict:
        return {**asdict(self), "change": self.change}


def falling_targets(reader: Reader, concept: str | None = None) -> list[Fall]:
    """Each unit's highest at-least target for a concept (or every concept) that fell from one
    year to the next, the largest fall first."""
    bindings = {"concept": ox.NamedNode(GTC + concept)} if concept else None
    falls = [Fall(r["concept_slug"].value, r["department"].value, r["unit"].value, int(r["year_before"].value),
                  float(r["target_before"].value), int(r["year_after"].value), float(r["target_after"].value))
             for r in reader.run("falling-targets", bindings)]
    return sorted(falls, key=lambda f: (f.change if f.change is not None else 0, f.department, f.concept))


@dataclass(frozen=True)
class Profile:
    department: str
    region: str
    year: int
    indicators: int
    projects: int
    outcomes_judged: int
    shares: dict  # quantitative, benefit, satisfaction, met: a share from 0 to 1, or None where nothing was counted

    def as_json(self) -> dict:
        return asdict(self)


def quality_profile(reader: Reader) -> list[Profile]:
    """Each declaration's shares of quantitative targets, of projects with benefit and with
    satisfaction indicators, and of self-evaluated targets met."""
    profiles = []
    for r in reader.run("declaration-quality-profile"):
        def count(name: str, r=r) -> int:
            return int(r[name].value) if name in r and r[name].value else 0

        shares = {name.removesuffix("_share"): float(r[name].value) if name in r and r[name].value else None
                  for name in SHARES}
        profiles.append(Profile(r["department"].value, r["region"].value, int(r["year"].value), count("indicators"),
                                count("projects"), count("outcomes_judged"), shares))
    return profiles
