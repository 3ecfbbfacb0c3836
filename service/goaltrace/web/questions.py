"""The questions across the corpus as pages: each drawn as a chart, with its figures as JSON beside it (``?format=json``)."""

from flask import Blueprint, abort, jsonify, render_template, request

from ..answers import questions
from ..rendering import question_charts
from .context import current
from .limited import QueryLimitExceeded

blueprint = Blueprint("questions", __name__)

DEFAULT_CONCEPT = "service-recipient-satisfaction"
# what each question may be asked with, beside format=
_PARAMETERS = {"concept-across-units": {"concept", "year"}, "falling-targets": {"concept"}}


@blueprint.get("/questions")
def index():
    return render_template("questions.html", questions=questions.QUESTIONS, name=None)


@blueprint.get("/questions/<name>")
def question(name: str):
    """A question's chart (HTML) or its figures (JSON); `concept=` a concept's slug and `year=`
    a budget year where the question takes them."""
    if name not in questions.QUESTIONS:
        abort(404, f"no question {name!r}; the questions are {', '.join(questions.QUESTIONS)}")
    allowed = {"format", *_PARAMETERS.get(name, ())}
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        abort(400, f"unknown parameter {', '.join(unknown)}; allowed here: {', '.join(sorted(allowed))}")
    concept = request.args.get("concept", DEFAULT_CONCEPT if name == "concept-across-units" else "").removeprefix("gtc:")
    if concept and not questions.SLUG.match(concept):
        abort(400, f"concept must be a concept's slug such as {DEFAULT_CONCEPT}, not {concept!r}")
    year = request.args.get("year", "")
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        abort(400, f"year must be a budget year such as 2023, not {year!r}")
    reader = current().reader
    if name == "concept-across-units":
        try:
            answer = questions.concept_targets(reader, concept, int(year) if year else None)
        except QueryLimitExceeded as cut:
            if year:
                raise
            raise QueryLimitExceeded(f"{cut}: ask for one budget year with year= (year=2023)", cut.status) from None
        data, chart = answer.as_json(), question_charts.concept_targets(answer)
    elif name == "falling-targets":
        falls = questions.falling_targets(reader, concept or None)
        data, chart = {"concept": concept or None, "falls": [f.as_json() for f in falls]}, question_charts.falling_targets(falls)
    else:
        profiles = questions.quality_profile(reader)
        data, chart = {"declarations": [p.as_json() for p in profiles]}, question_charts.quality_profile(profiles)
    if request.args.get("format") == "json":
        return jsonify(data)
    return render_template("questions.html", questions=questions.QUESTIONS, name=name, chart=chart, concept=concept,
                           year=year, asks_concept="concept" in allowed, asks_year="year" in allowed)
