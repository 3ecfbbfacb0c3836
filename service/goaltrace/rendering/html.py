"""HTML from the templates shared by the web app and the standalone files (a report or a goal
saved to disk, with its CSS inline, that loads nothing from the network)."""

from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape

from . import ACHIEVEMENT_LABEL, BASIS_LABEL, local_path, pictures, target_label

TEMPLATES = files("goaltrace.rendering") / "templates"
STATIC = files("goaltrace.rendering") / "static"


def register_filters(env: Environment):
    env.filters["local"] = local_path
    env.filters["target"] = target_label
    env.globals["basis_label"] = BASIS_LABEL
    env.globals["achievement_label"] = ACHIEVEMENT_LABEL
    env.filters["achievement_bar"] = pictures.achievement


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("goaltrace.rendering", "templates"), autoescape=select_autoescape(["html"]))
    register_filters(env)
    return env


def standalone(template: str, **data) -> str:
    """A page as one self-contained file."""
    css = (STATIC / "goaltrace.css").read_text(encoding="utf-8")
    return _environment().get_template(template).render(**data, css=css, standalone=True)


def report_context(data: dict) -> dict:
    """The report's data with its pictures drawn, for the report template."""
    return {**data, "funds_flow": pictures.funds_flow(data["funds_flow"]), "coverage": pictures.coverage(data["coverage"])}


def report(data: dict) -> str:
    return standalone("report.html", **report_context(data))


def goal_answer(answer: dict) -> str:
    return standalone("goal.html", answer=answer)
