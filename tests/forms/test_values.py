"""The value/unit parser: examples from real forms and properties over generated cells."""

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from goaltrace.forms.text import fold
from goaltrace.forms.units import UNITS
from goaltrace.forms.values import format_number, parse_number, parse_target

FULL_WIDTH = str.maketrans("0123456789.%,()", "０１２３４５６７８９．％，（）")


def test_examples():
    t = parse_target("268村居（社区）")
    assert (t.number, t.unit, t.qualifier, t.text) == (268, "村居(社区)", None, "268村居（社区）")
    t = parse_target("覆盖63社区")
    assert (t.number, t.unit, t.qualifier) == (63, "社区", "覆盖")
    assert (parse_target("5万份").number, parse_target("5万份").unit) == (5, "万份")
    assert (parse_target("600元/人").number, parse_target("600元/人").unit) == (600, "元/人")
    assert parse_target("800万").unit == "万"
    assert parse_target("268个村居(社区)").qualifier == "村居(社区)"
    t = parse_target("268村居（社区）", "个")
    assert (t.number, t.unit, t.qualifier) == (268, "个", "村居(社区)")
    assert parse_target("良好").number is None
    assert parse_target("１，０００ 人次").number == 1000


def test_numbers():
    assert parse_number("1,598.17") == Decimal("1598.17")
    assert parse_number(" ２０ ") == 20
    assert parse_number("20万") is None
    assert parse_number("") is None
    assert format_number(Decimal("20.00")) == "20"
    assert format_number(Decimal("100")) == "100"
    assert format_number(Decimal("0.050")) == "0.05"


numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
units = st.sampled_from([u.label for u in UNITS])


@given(numbers, units, st.booleans(), st.sampled_from(["", " "]))
def test_number_and_unit_round_trip(number, unit, full_width, space):
    cell = f"{format_number(number)}{space}{unit}"
    if full_width:
        cell = cell.translate(FULL_WIDTH)
    target = parse_target(cell)
    assert target.number == number
    assert target.unit == unit
    assert target.qualifier is None
    assert target.text == cell


@given(numbers, st.sampled_from(["覆盖", "约", "不少于"]), units)
def test_leading_words_are_a_qualifier(number, words, unit):
    target = parse_target(f"{words}{format_number(number)}{unit}")
    assert (target.number, target.unit, target.qualifier) == (number, unit, words)


@given(numbers, units, st.text(min_size=1, max_size=6).filter(lambda s: s.strip()))
def test_separate_unit_column_wins(number, unit, words):
    target = parse_target(f"{format_number(number)}", unit)
    assert (target.number, target.unit) == (number, unit)


@given(st.text(max_size=40))
def test_never_raises_and_keeps_the_text(text):
    target = parse_target(text)
    assert target.text == text
    if target.number is not None:
        assert any(c in "0123456789" for c in fold(text))


@given(st.text(min_size=1, max_size=30))
@example("\U000E0000")  # a tag character: outside RFC 3987's ucschar
@example("\ufffd\ue000\U0010fffd")
def test_any_name_makes_a_valid_iri(name):
    import pyoxigraph as ox

    from goaltrace.graph import iris

    ox.NamedNode(iris.declaration(name, 2023))  # raises on an invalid IRI
    assert iris.segment("法律援助") == "法律援助" and iris.segment("a b/c") == "a-b-c"


def test_every_code_point_makes_a_valid_iri():
    import pyoxigraph as ox

    from goaltrace.graph import iris

    bad = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:  # surrogates never reach here: text decoded from UTF-8 has none
            continue
        try:
            ox.NamedNode("https://w3id.org/goaltrace/id/" + iris.segment("a" + chr(code)))
        except ValueError:
            bad.append(hex(code))
    assert bad == []
