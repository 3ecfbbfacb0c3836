"""SPARQL as a person writes it: names that can be pasted back into a query, and the query
engine's syntax errors told in one line.

A prefixed name is written only where its local part is one the SPARQL grammar accepts as it
is (PN_LOCAL, SPARQL 1.1 §19.8); otherwise the full ``<IRI>``: an entity's local part holds
slashes (``秀山…/2023/goal/3``), which a prefixed name may hold only escaped.

Oxigraph reports a syntax error as ``error at LINE:COLUMN: expected one of …`` followed by
every character range the grammar allows there; `syntax_error_message` keeps the place, names
an unknown prefix with the prefixes that are known, and lists only the words and signs that
could come next.
"""

import re

from .namespaces import PREFIXES

_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PERCENT = "%[0-9A-Fa-f]{2}"
_LOCAL = re.compile(rf"(?:[{_CHARS_U}:0-9]|{_PERCENT})(?:(?:[{_CHARS}.:]|{_PERCENT})*(?:[{_CHARS}:]|{_PERCENT}))?")
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
# a prefixed name in query text: a prefix (or none) and ':' not inside a variable or a longer name
_PREFIXED_NAME = re.compile(rf"(?<![{_CHARS}.:?$\\%])({_PREFIX})?:((?:[{_CHARS}.:]|{_PERCENT}|\\.)*)")
# a prefixed name followed by a slash and what cannot begin a property path's next step (a
# name, <IRI>, ^, !, (, or a): a path pasted as a name (id:秀山…/2023/goal/3)
_SLASHED_NAME = re.compile(rf"(?<![{_CHARS}.:?$\\%])(?:{_PREFIX})?:(?:[{_CHARS}.:]|{_PERCENT})+"
                           rf"/(?!a\b)(?![^\s{{}}()<>,;/]*:)[^\s{{}}()<>,;^!]*")
_DECLARATION = re.compile(rf"(?i)\bPREFIX\s+({_PREFIX})?:")
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
# what is not code: literals, IRIs and comments (blanked, each character by one space, to keep places)
_NOT_CODE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" r'|"(?:[^"\\\n]|\\.)*"'
                       rf"|'(?:[^'\\\n]|\\.)*'|{_IRI}|#[^\n]*")
_PLACE = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)
_CHARACTER_SET = re.compile(r"\[(?:'(?:\\.|[^'\\])*'|[^\]'])*\]")


def is_local_name(text: str) -> bool:
    """Whether `text` can follow ``prefix:`` in a query as it is (the empty local name can)."""
    return text == "" or _LOCAL.fullmatch(text) is not None


def sparql_name(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``gt:Project`` where a prefix covers the IRI and the rest is a valid local name, else
    ``<IRI>``: either way, text a query accepts."""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and is_local_name(iri[len(namespace):]):
            return f"{name}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _code(text: str) -> str:
    """The text with literals, IRIs and comments blanked out, every place kept."""
    return _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _offset(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and column (columns count characters)."""
    lines = text.split("\n")
    line = max(1, min(line, len(lines)))
    return sum(len(earlier) + 1 for earlier in lines[:line - 1]) + max(0, column - 1)


def _place(text: str, index: int) -> str:
    before = text[:index]
    return f"{before.count(chr(10)) + 1}:{index - (before.rfind(chr(10)) + 1) + 1}"


def _known(text: str, prefixes: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([*prefixes, *(m.group(1) or "" for m in _DECLARATION.finditer(_code(text)))]))


def _unknown_prefixes(text: str, prefixes: dict[str, str]):
    """(index, prefix, name) of each prefixed name whose prefix neither `prefixes` nor the
    query's own PREFIX declarations declare."""
    code = _code(text)
    known = set(_known(text, prefixes))
    declared = {m.start(1) if m.group(1) else m.end() - 1 for m in _DECLARATION.finditer(code)}
    for match in _PREFIXED_NAME.finditer(code):
        prefix = match.group(1) or ""
        if match.start() in declared or prefix in known or prefix == "_" or code[match.end():].startswith("/"):
            continue  # a declaration, a known prefix, a blank node, or not a name at all (http://…)
        yield match.start(), prefix, match.group(0)


def _expected(detail: str) -> str:
    """The parser's list of what could come next, without its character ranges."""
    detail = " ".join(detail.split())
    if not detail.startswith("expected"):
        return detail
    ranges = bool(_CHARACTER_SET.search(detail))
    words = _CHARACTER_SET.sub("", detail.removeprefix("expected").removeprefix(" one of"))
    words = [w.strip() for w in re.findall(r'"(?:[^"\\]|\\.)*"|[^,"\s][^,"]*', words)]
    words = [w for w in words if w and w != "Prefix not found"]
    if ranges:
        words.append("a name")
    if words == ["IRI parsing failed"]:
        return "not a valid IRI"
    return "expected " + (words[0] if len(words) == 1 else "one of " + ", ".join(words)) if words else detail


def _found(text: str, index: int) -> str:
    """The word at the place of an error (all of it, where the place is inside one), or the next."""
    while 0 < index < len(text) and not text[index - 1].isspace() and not text[index].isspace():
        index -= 1
    rest = text[index:].lstrip(" \t")
    token = rest.split(None, 1)[0] if rest.strip() else ""
    if not token:
        return "; found the end of the query"
    return f"; found {token[:40] + ('…' if len(token) > 40 else '')!r}"


def syntax_error_message(error: Exception, text: str, prefixes: dict[str, str] = PREFIXES,
                         what: str = "query") -> str:
    """The engine's syntax error in the `what` (a query or an update) as one line:
    ``query syntax error at 1:21: unknown prefix 'foo:'; known: gt:, gtf:, …``."""
    message = str(error.args[0] if error.args else error)
    match = _PLACE.match(message.strip())
    if not match:
        return f"{what} syntax error: {' '.join(message.split())}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    index = _offset(text, line, column)
    known = ", ".join(f"{p}:" for p in _known(text, prefixes))
    unknown = list(_unknown_prefixes(text, prefixes))
    if unknown:
        # the parser reports the place after the name; the name that ends nearest before it is meant
        before = [u for u in unknown if u[0] < index] or unknown
        start, prefix, _ = max(before, key=lambda u: u[0]) if "Prefix not found" in detail else min(unknown)
        return f"{what} syntax error at {_place(text, start)}: unknown prefix '{prefix}:'; known: {known}"
    for slashed in _SLASHED_NAME.finditer(_code(text)):
        if slashed.start() <= index <= slashed.end():
            return (f"{what} syntax error at {_place(text, slashed.start())}: {slashed.group(0)[:60]!r} is not a "
                    f"prefixed name (its local part cannot hold '/' as it is): write the full <IRI>, or \\/")
    return f"{what} syntax error at {line}:{column}: {_expected(detail)}{_found(text, index)}"
