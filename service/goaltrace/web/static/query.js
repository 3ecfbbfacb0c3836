// The query workbench: a SPARQL editor (CodeMirror) that completes the predeclared prefixes and
// the vocabulary's terms, runs the query against /sparql, and shows a SELECT as a sortable,
// paged table, an ASK as its answer and a CONSTRUCT or DESCRIBE as Turtle. The query lives in
// the URL (/query?query=…): such a URL runs its query when opened. Queries run are kept in this
// browser's localStorage as a history.
(function () {
  "use strict";

  const LOCAL = "https://w3id.org/goaltrace/id/";
  const PAGE_SIZE = 50;
  const HISTORY_KEY = "goaltrace.query-history";
  const HISTORY_SIZE = 30;
  const HINTS_SHOWN = 80;
  const KEYWORDS = [
    "SELECT", "DISTINCT", "REDUCED", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "FROM", "NAMED", "PREFIX", "BASE",
    "OPTIONAL", "FILTER", "UNION", "MINUS", "GRAPH", "BIND", "VALUES", "EXISTS", "NOT", "AS", "IN",
    "GROUP BY", "HAVING", "ORDER BY", "ASC", "DESC", "LIMIT", "OFFSET",
    "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR",
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "BNODE", "COALESCE", "IF", "REGEX", "CONTAINS",
    "STRSTARTS", "STRENDS", "STRLEN", "SUBSTR", "UCASE", "LCASE", "CONCAT", "REPLACE", "ROUND", "ABS",
    "isIRI", "isLiteral", "isBlank", "isNumeric",
  ];
  const NUMERIC = /^http:\/\/www\.w3\.org\/2001\/XMLSchema#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|nonPositiveInteger|negativeInteger|positiveInteger|unsignedLong|unsignedInt|unsignedShort|unsignedByte)$/;
  const WORD_CHAR = /[\p{L}\p{N}_\-:]/u;

  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const errorLine = document.getElementById("error");
  const downloads = document.querySelectorAll("#downloads a");
  const timing = document.getElementById("timing");
  const description = document.getElementById("query-description");
  const historyList = document.getElementById("history");
  const historyEmpty = document.getElementById("history-empty");

  let vocabulary = { prefixes: [], terms: [] };
  let markedLine = null;
  let running = 0; // the number of the latest run: an older answer arriving late is dropped

  // ---- the editor ---------------------------------------------------------------------------
  const editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query",
    lineNumbers: true,
    indentUnit: 2,
    viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Space": function (cm) { cm.showHint({ hint: complete, completeSingle: true }); },
      "Ctrl-Enter": function () { run(true); },
      "Cmd-Enter": function () { run(true); },
    },
  });
  window.queryEditor = editor; // for the page's own tests and for a user's console

  editor.on("change", function () {
    editor.save(); // the textarea keeps the text too: the form still works as a plain GET
    updateDownloads();
    unmarkError();
  });
  editor.on("inputRead", function (cm, change) {
    // a prefixed name being typed (gt:…) or a PREFIX declaration: offer completions as one types
    if (cm.state.completionActive || change.origin !== "+input") return;
    const token = cm.getTokenAt(cm.getCursor());
    if (token.type === "comment" || token.type === "string") return;
    const context = wordAt(cm);
    if (context.word.indexOf(":") > 0 || (context.declaring && context.word)) {
      cm.showHint({ hint: complete, completeSingle: false });
    }
  });

  // The downloads the query's form allows: results (CSV, TSV, JSON, XML) for SELECT and ASK,
  // RDF (Turtle, N-Triples, JSON-LD, RDF/XML) for CONSTRUCT and DESCRIBE.
  const DOWNLOAD_FORMATS = { csv: "csv", tsv: "tsv", json: "json", xml: "xml", ttl: "turtle", nt: "ntriples",
    jsonld: "jsonld", rdfxml: "rdfxml" };
  function queryForm(text) {
    const code = text.replace(/<[^<>\s]*>/g, " ").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/#[^\n]*/g, " ");
    const form = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(code);
    return form ? form[1].toUpperCase() : "SELECT";
  }
  function updateDownloads() {
    const text = editor.getValue();
    const graph = /^(CONSTRUCT|DESCRIBE)$/.test(queryForm(text));
    downloads.forEach(function (link) {
      link.hidden = link.classList.contains("graph") !== graph;
      link.href = "/sparql?format=" + DOWNLOAD_FORMATS[link.id] + "&download=1&query=" + encodeURIComponent(text);
    });
  }
  updateDownloads();

  // How long a query took: the endpoint's Server-Timing header, or the round trip without one.
  function showTiming(response, started) {
    const header = /query;dur=([0-9.]+)/.exec(response.headers.get("Server-Timing") || "");
    const ms = header ? Number(header[1]) : performance.now() - started;
    timing.textContent = "· 用时 took " + (ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(2) + " s");
  }

  fetch("/api/vocabulary", { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data) vocabulary = data; })
    .catch(function () { /* completion then offers keywords only */ });

  // ---- completion ---------------------------------------------------------------------------
  function wordAt(cm) {
    const cursor = cm.getCursor();
    const line = cm.getLine(cursor.line);
    let start = cursor.ch;
    while (start > 0 && WORD_CHAR.test(line.charAt(start - 1))) start--;
    return {
      line: cursor.line, start: start, end: cursor.ch, word: line.slice(start, cursor.ch),
      declaring: /\bPREFIX\s+$/i.test(line.slice(0, start)),
    };
  }

  function labelOf(term) {
    return [term.zh, term.en].filter(Boolean).join(" · ");
  }

  function renderHint(element, self, data) {
    const name = document.createElement("span");
    name.className = "hint-name";
    name.textContent = data.displayText || data.text;
    element.appendChild(name);
    if (data.label) {
      const label = document.createElement("span");
      label.className = "hint-label";
      label.textContent = data.label;
      element.appendChild(label);
    }
    if (data.kind) {
      const kind = document.createElement("span");
      kind.className = "hint-kind";
      kind.textContent = data.kind;
      element.appendChild(kind);
    }
  }

  function prefixHint(p, declaring) {
    return {
      text: declaring ? p.prefix + ": <" + p.iri + ">" : p.prefix + ":",
      displayText: p.prefix + ":", label: p.iri, kind: "prefix", render: renderHint,
      hint: declaring ? undefined : function (cm, self, data) {
        cm.replaceRange(data.text, self.from, self.to, "complete");
        setTimeout(function () { cm.showHint({ hint: complete, completeSingle: false }); }, 0); // then its terms
      },
    };
  }

  function termHint(t) {
    return { text: t.name, label: labelOf(t), kind: t.kind, render: renderHint };
  }

  // Suggestions for the word before the cursor: after PREFIX, whole declarations; in a prefixed
  // name, the terms of that namespace; otherwise prefixes, terms found by name or label (中文
  // or English), then keywords.
  function complete(cm) {
    const at = wordAt(cm);
    const word = at.word;
    const lower = word.toLowerCase();
    let list = [];
    if (at.declaring) {
      list = vocabulary.prefixes.filter(function (p) { return (p.prefix + ":").indexOf(lower) === 0; })
        .map(function (p) { return prefixHint(p, true); });
    } else if (word.indexOf(":") > 0) {
      const namespace = lower.slice(0, lower.indexOf(":") + 1);
      const local = lower.slice(namespace.length);
      const starting = [], containing = [];
      vocabulary.terms.forEach(function (t) {
        const name = t.name.toLowerCase();
        if (name.indexOf(namespace) !== 0) return;
        if (name.indexOf(lower) === 0) starting.push(t);
        else if (local && (name.indexOf(local, namespace.length) >= 0 || labelOf(t).toLowerCase().indexOf(local) >= 0)) containing.push(t);
      });
      starting.sort(function (a, b) { return a.name.length - b.name.length || a.name.localeCompare(b.name); });
      list = starting.concat(containing).map(termHint);
    } else {
      list = vocabulary.prefixes.filter(function (p) { return p.prefix.indexOf(lower) === 0; })
        .map(function (p) { return prefixHint(p, false); });
      if (word) { // by name or label: whole, then at the start, then anywhere; shorter first
        const tiers = [[], [], []];
        vocabulary.terms.forEach(function (t) {
          const names = [t.name.slice(t.name.indexOf(":") + 1), t.zh, t.en].map(function (n) { return n.toLowerCase(); });
          if (names.indexOf(lower) >= 0) tiers[0].push(t);
          else if (names.some(function (n) { return n.indexOf(lower) === 0; })) tiers[1].push(t);
          else if (names.some(function (n) { return n.indexOf(lower) > 0; })) tiers[2].push(t);
        });
        tiers.forEach(function (tier) {
          tier.sort(function (a, b) { return (a.zh.length + a.name.length) - (b.zh.length + b.name.length); });
          list = list.concat(tier.map(termHint));
        });
      }
      list = list.concat(KEYWORDS.filter(function (k) { return k.toLowerCase().indexOf(lower) === 0 && k.toLowerCase() !== lower; })
        .map(function (k) { return { text: k, kind: "keyword", render: renderHint }; }));
    }
    return {
      list: list.slice(0, HINTS_SHOWN),
      from: CodeMirror.Pos(at.line, at.start),
      to: CodeMirror.Pos(at.line, at.end),
    };
  }

  // ---- the panel: examples, prefixes and terms put into the editor ----------------------------
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      editor.setValue(document.getElementById("q-" + button.dataset.name).content.textContent);
      description.textContent = button.title;
      editor.focus();
    });
  });
  document.querySelectorAll(".side button.insert").forEach(function (button) {
    button.addEventListener("click", function () {
      editor.replaceSelection(button.dataset.insert);
      editor.focus();
    });
  });
  const filter = document.getElementById("schema-filter");
  filter.addEventListener("input", function () {
    const text = filter.value.trim().toLowerCase();
    document.querySelectorAll("#schema-panel details.kind").forEach(function (group) {
      let shown = 0;
      group.querySelectorAll("li").forEach(function (item) {
        item.hidden = text !== "" && item.dataset.search.indexOf(text) < 0;
        if (!item.hidden) shown++;
      });
      if (text) group.open = shown > 0;
    });
  });

  // ---- history --------------------------------------------------------------------------------
  function readHistory() {
    try {
      const list = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (q) { return typeof q === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function remember(text) {
    const list = [text].concat(readHistory().filter(function (q) { return q !== text; })).slice(0, HISTORY_SIZE);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list)); } catch (e) { /* storage off or full */ }
    showHistory();
  }

  function headline(text) {
    // a named query's title, or the query on one line without its comments and prologue
    const title = /^\s*#\s*title:\s*(.+)$/im.exec(text);
    if (title) return title[1];
    return text.replace(/^\s*#.*$/gm, "").replace(/^\s*(PREFIX|BASE)\b.*$/gim, "").replace(/\s+/g, " ").trim() || text.trim();
  }

  function showHistory() {
    const list = readHistory();
    historyList.textContent = "";
    list.forEach(function (text) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "history-entry";
      button.textContent = headline(text);
      button.title = text;
      button.addEventListener("click", function () {
        editor.setValue(text);
        run(true);
      });
      item.appendChild(button);
      historyList.appendChild(item);
    });
    historyEmpty.hidden = list.length > 0;
  }
  document.getElementById("clear-history").addEventListener("click", function () {
    try { localStorage.removeItem(HISTORY_KEY); } catch (e) { /* nothing kept */ }
    showHistory();
  });
  showHistory();

  // ---- the URL --------------------------------------------------------------------------------
  function queryInUrl() {
    return new URLSearchParams(window.location.search).get("query");
  }

  function putInUrl(text, push) {
    const url = "/query?query=" + encodeURIComponent(text);
    if (push && queryInUrl() !== text) history.pushState({ query: text }, "", url);
    else history.replaceState({ query: text }, "", url);
  }

  window.addEventListener("popstate", function () {
    const text = queryInUrl();
    if (text === null) return;
    editor.setValue(text);
    run(false);
  });

  // ---- errors ---------------------------------------------------------------------------------
  function unmarkError() {
    if (markedLine !== null) {
      editor.removeLineClass(markedLine, "background", "error-line");
      markedLine = null;
    }
  }

  // An error as the endpoint words it, whole: a syntax error ("query syntax error at L:C: …",
  // one line already) keeps its place, for the editor to mark.
  function shortError(body, statusCode) {
    const text = body.trim() || "HTTP " + statusCode;
    const at = /syntax error at (\d+):(\d+): (.*)/.exec(text);
    if (at) {
      return { line: Number(at[1]), column: Number(at[2]), text: "语法错误 syntax error at " + at[1] + ":" + at[2] + ": " + at[3] };
    }
    return { line: null, text: text };
  }

  function showError(body, statusCode) {
    const error = shortError(body, statusCode);
    errorLine.textContent = error.text;
    errorLine.title = body.trim();
    errorLine.hidden = false;
    status.textContent = "";
    if (error.line !== null && error.line >= 1 && error.line <= editor.lineCount()) {
      markedLine = error.line - 1;
      editor.addLineClass(markedLine, "background", "error-line");
      editor.setCursor({ line: markedLine, ch: Math.max(0, error.column - 1) });
    }
  }

  // ---- results --------------------------------------------------------------------------------
  function isNumber(term) {
    return !!term && term.type === "literal" && NUMERIC.test(term.datatype || "") && !isNaN(Number(term.value));
  }

  // A name as a query accepts it back: prefix:local where the local part is one SPARQL allows
  // as it is (PN_LOCAL), else <IRI>.
  const BASE = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D" +
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
  const CHARS = BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040";
  const PERCENT = "%[0-9A-Fa-f]{2}";
  const LOCAL_NAME = new RegExp("^(?:(?:[" + BASE + "_:0-9]|" + PERCENT + ")(?:(?:[" + CHARS + ".:]|" + PERCENT +
    ")*(?:[" + CHARS + ":]|" + PERCENT + "))?)?$", "u");

  function shortIri(iri) {
    let best = null;
    vocabulary.prefixes.forEach(function (p) {
      if (iri.indexOf(p.iri) === 0 && LOCAL_NAME.test(iri.slice(p.iri.length)) && (!best || p.iri.length > best.iri.length)) best = p;
    });
    return best ? best.prefix + ":" + iri.slice(best.iri.length) : "<" + iri + ">";
  }

  function cell(term, numeric) {
    const td = document.createElement("td");
    if (numeric) td.className = "num";
    if (!term) return td;
    if (term.type === "uri" && term.value.indexOf(LOCAL) === 0) {
      const a = document.createElement("a");
      a.href = "/id/" + term.value.substring(LOCAL.length);
      a.textContent = term.value.substring(LOCAL.length);
      a.title = "<" + term.value + ">"; // the name as a query takes it back
      td.appendChild(a);
    } else if (term.type === "uri") {
      td.textContent = shortIri(term.value);
      td.title = term.value;
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = shortIri(term.datatype);
    }
    return td;
  }

  function compareTerms(a, b) {
    if (!a || !b) return !a && !b ? 0 : (a ? -1 : 1); // unbound last
    if (isNumber(a) && isNumber(b)) return Number(a.value) - Number(b.value);
    return a.value.localeCompare(b.value, "zh-CN", { numeric: true });
  }

  // A SELECT's answer on screen: its rows in the order chosen, one page at a time.
  function Table(data) {
    this.vars = data.head.vars;
    this.rows = data.results.bindings;
    this.order = this.rows.slice();
    this.sortedBy = null;
    this.descending = false;
    this.page = 0;
    const rows = this.rows;
    this.numeric = this.vars.map(function (v) {
      const bound = rows.filter(function (r) { return r[v]; });
      return bound.length > 0 && bound.every(function (r) { return isNumber(r[v]); });
    });
  }

  Table.prototype.sortBy = function (variable) {
    this.descending = this.sortedBy === variable ? !this.descending : false;
    this.sortedBy = variable;
    const sign = this.descending ? -1 : 1;
    this.order = this.rows.slice().sort(function (a, b) {
      const unboundA = !a[variable], unboundB = !b[variable];
      if (unboundA || unboundB) return compareTerms(a[variable], b[variable]); // unbound last either way
      return sign * compareTerms(a[variable], b[variable]);
    });
    this.page = 0;
    this.draw();
  };

  Table.prototype.pages = function () {
    return Math.max(1, Math.ceil(this.rows.length / PAGE_SIZE));
  };

  Table.prototype.draw = function () {
    const self = this;
    results.textContent = "";
    const table = document.createElement("table");
    table.id = "result-table";
    const head = table.createTHead().insertRow();
    this.vars.forEach(function (v, i) {
      const th = document.createElement("th");
      if (self.numeric[i]) th.className = "num";
      if (self.sortedBy === v) th.setAttribute("aria-sort", self.descending ? "descending" : "ascending");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = v;
      button.title = "排序 sort by " + v;
      button.addEventListener("click", function () { self.sortBy(v); });
      th.appendChild(button);
      head.appendChild(th);
    });
    const body = table.createTBody();
    const start = this.page * PAGE_SIZE;
    this.order.slice(start, start + PAGE_SIZE).forEach(function (row) {
      const tr = body.insertRow();
      self.vars.forEach(function (v, i) { tr.appendChild(cell(row[v], self.numeric[i])); });
    });
    if (this.pages() > 1) results.appendChild(this.pager());
    results.appendChild(table);
  };

  Table.prototype.pager = function () {
    const self = this;
    const nav = document.createElement("nav");
    nav.className = "pager small";
    nav.setAttribute("aria-label", "pages");
    function step(label, id, to) {
      const button = document.createElement("button");
      button.type = "button";
      button.id = id;
      button.textContent = label;
      button.disabled = to < 0 || to >= self.pages();
      button.addEventListener("click", function () { self.page = to; self.draw(); });
      return button;
    }
    const info = document.createElement("span");
    info.id = "page-info";
    const first = this.page * PAGE_SIZE + 1;
    info.textContent = "第 " + (this.page + 1) + " / " + this.pages() + " 页 page · " + first + "–" +
      Math.min(first + PAGE_SIZE - 1, this.rows.length) + " / " + this.rows.length;
    nav.appendChild(step("‹ 上一页 Previous", "previous-page", this.page - 1));
    nav.appendChild(info);
    nav.appendChild(step("下一页 Next ›", "next-page", this.page + 1));
    return nav;
  };

  function truncatedNote(header) {
    const limit = /limit=(\d+)/.exec(header || "");
    return header ? " (truncated at " + (limit ? limit[1] : "the row limit") + " 已截断)" : "";
  }

  function showTurtle(text, truncated) {
    const pre = document.createElement("pre");
    pre.id = "turtle";
    pre.className = "rdf cm-s-default";
    CodeMirror.runMode(text, "text/turtle", pre);
    results.appendChild(pre);
    status.textContent = "Turtle" + truncatedNote(truncated);
  }

  // ---- running --------------------------------------------------------------------------------
  function run(push) {
    const text = editor.getValue();
    const number = ++running;
    putInUrl(text, push);
    remember(text);
    unmarkError();
    errorLine.hidden = true;
    errorLine.textContent = "";
    status.textContent = "…";
    timing.textContent = "";
    const started = performance.now();
    results.textContent = "";
    fetch("/sparql", {
      method: "POST",
      body: new URLSearchParams({ query: text }),
      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
    })
      .then(function (response) {
        return response.text().then(function (body) { return { response: response, body: body }; });
      })
      .then(function (reply) {
        if (number !== running) return;
        const response = reply.response;
        showTiming(response, started);
        if (!response.ok) { showError(reply.body, response.status); return; }
        const truncated = response.headers.get("X-Goaltrace-Truncated");
        if ((response.headers.get("Content-Type") || "").indexOf("text/turtle") === 0) {
          showTurtle(reply.body, truncated);
          return;
        }
        const data = JSON.parse(reply.body);
        if (data.boolean !== undefined) { status.textContent = "ASK: " + data.boolean; return; }
        new Table(data).draw();
        status.textContent = data.results.bindings.length + " 行 rows" + truncatedNote(truncated);
      })
      .catch(function (error) {
        if (number === running) showError(String(error), 0);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(true);
  });

  if (queryInUrl()) run(false); // a shared link: run what it holds
})();
