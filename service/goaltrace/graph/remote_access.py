"""Whether a SPARQL operation would make the engine reach outside the store.

Oxigraph fetches for SERVICE (queries and updates) and for LOAD (updates), and offers no hook
to refuse such a call, so an operation that could contain one is refused before it runs.
Scanning the text alone is not enough: SPARQL's lexical rules depend on context (``<`` is an
IRI's start or an operator; ``\\#`` and ``\\'`` are escapes inside a prefixed name; a comment
ends at CR as well as LF). Two independent readings therefore have to agree that the
operation holds no such keyword:

1. a tokenizer that follows the grammar's terminals (IRIs, the four kinds of string, comments,
   prefixed names with their escapes) and flags the keyword wherever it stands as a word;
2. the parse tree of a full SPARQL parser (rdflib's), walked for SERVICE patterns and LOAD
   operations.

An operation the parser cannot read while the keyword's letters appear in it is refused too:
what cannot be checked is not run. An operation without the letters at all (the common case,
checked first) cannot hold the keyword, since keywords take no escapes.
"""

import re
import threading

from pyparsing import ParseResults
from rdflib.plugins.sparql import parser as _parser
from rdflib.plugins.sparql.parserutils import CompValue

# The grammar's character classes (SPARQL 1.1, section 19.8).
_PN_CHARS_BASE = (
    "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)"
_PN_LOCAL = rf"(?:(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)"

_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*"
    rf"|{_PN_PREFIX}?:{_PN_LOCAL}?"
    rf"|[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)"
    r"|(?P<word>[A-Za-z]+)",
    re.DOTALL,
)

_PARSING = threading.Lock()  # rdflib's parser is not thread-safe; the web app checks on many threads
_KEYWORDS = {"query": ("SERVICE",), "update": ("SERVICE", "LOAD")}
_TREE_NAMES = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def remote_access(text: str, operation: str = "query") -> str | None:
    """The keyword (SERVICE or LOAD) by which `text`, a query or an update, would make the
    engine connect elsewhere, or None when it cannot. The text is checked as written and with
    its \\u escapes expanded, as the standard reads it (Oxigraph does not, today)."""
    try:
        expanded = _parser.expandUnicodeEscapes(text)
    except Exception:
        expanded = text
    return next(filter(None, (_keyword(candidate, operation) for candidate in dict.fromkeys((text, expanded)))), None)


def _keyword(text: str, operation: str) -> str | None:
    keywords = [k for k in _KEYWORDS[operation] if re.search(k, text, re.IGNORECASE)]
    if not keywords:
        return None
    for match in _TOKENS.finditer(text):
        word = match.group("word")
        if word:  # a keyword run into other letters still counts: no word boundary is trusted
            for keyword in keywords:
                if keyword in word.upper():
                    return keyword
    try:
        with _PARSING:
            tree = _parser.parseUpdate(text) if operation == "update" else _parser.parseQuery(text)
    except Exception:
        return keywords[0]
    return _in_tree(tree)


def _in_tree(tree) -> str | None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in _TREE_NAMES:
                return _TREE_NAMES[node.name]
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return None
