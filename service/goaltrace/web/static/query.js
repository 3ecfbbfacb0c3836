// The query page: example buttons fill the editor; Run posts to /sparql and shows a table.
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const csv = document.getElementById("csv");
  const description = document.getElementById("query-description");

  function updateCsv() {
    csv.href = "/sparql?format=csv&query=" + encodeURIComponent(editor.value);
  }
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      editor.value = document.getElementById("q-" + button.dataset.name).innerHTML
        .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      description.textContent = button.title;
      updateCsv();
    });
  });
  editor.addEventListener("input", updateCsv);
  updateCsv();

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && term.value.indexOf("https://w3id.org/goaltrace/id/") === 0) {
      const a = document.createElement("a");
      a.href = "/id/" + term.value.substring("https://w3id.org/goaltrace/id/".length);
      a.textContent = term.value.substring("https://w3id.org/goaltrace/id/".length);
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "…";
    results.textContent = "";
    const body = new URLSearchParams({ query: editor.value });
    fetch("/sparql", { method: "POST", body: body, headers: { "Accept": "application/sparql-results+json" } })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, text: text }; });
      })
      .then(function (reply) {
        if (!reply.ok) { status.textContent = reply.text; return; }
        const data = JSON.parse(reply.text);
        if (data.boolean !== undefined) { status.textContent = "ASK: " + data.boolean; return; }
        const table = document.createElement("table");
        table.id = "result-table";
        const head = table.createTHead().insertRow();
        data.head.vars.forEach(function (v) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
        const tbody = table.createTBody();
        data.results.bindings.forEach(function (row) {
          const tr = tbody.insertRow();
          data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
        });
        results.appendChild(table);
        status.textContent = data.results.bindings.length + " 行 rows" + (reply.text && data.truncated ? " (truncated)" : "");
      })
      .catch(function (error) { status.textContent = String(error); });
  });
})();
