// The reading view: a passage selected in the article becomes a citation at exactly its offsets.
// Offsets are counted in code points, as Python indexes the stored text (JavaScript strings count UTF-16 units).
(function () {
  "use strict";
  const root = document.getElementById("reading");
  const form = document.getElementById("cite-form");
  if (!root || !form) return;
  const text = document.getElementById("reading-text");
  const search = document.getElementById("cite-record-search");
  const records = document.getElementById("cite-record");
  const message = document.getElementById("cite-message");
  const quoteShown = document.getElementById("cite-quote");
  const fields = {
    start: document.getElementById("cite-start"),
    end: document.getElementById("cite-end"),
    quote: document.getElementById("cite-quote-value"),
  };

  const codePoints = (s) => Array.from(s).length;

  // The piece of text (a span or mark with data-start) a DOM node is in, or null.
  function pieceOf(node) {
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return element ? element.closest("[data-start]") : null;
  }

  // The offset in the stored text of a boundary point (node, offset) inside the article.
  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const piece = pieceOf(node);
      if (piece) return Number(piece.dataset.start) + codePoints(node.data.slice(0, offset));
    } else if (node.dataset && node.dataset.start !== undefined) {
      return Number(node.dataset.start) + (offset ? codePoints(node.textContent) : 0);
    }
    // A point between elements: the start of the next piece, or the end of the previous one.
    const pieces = Array.from(text.querySelectorAll("[data-start]"));
    const probe = document.createRange();
    probe.setStart(node, offset);
    for (const piece of pieces) {
      if (probe.comparePoint(piece, 0) >= 0) {
        return Number(piece.dataset.start);
      }
    }
    const last = pieces[pieces.length - 1];
    return last ? Number(last.dataset.start) + codePoints(last.textContent) : 0;
  }

  // The selection as [start, end, quote] in the stored text, or null when nothing in the article is selected.
  function selected() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(text)) return null;
    // A selection reaching outside the article is cut to the article.
    if (!text.contains(range.startContainer)) range.setStart(text, 0);
    if (!text.contains(range.endContainer)) range.setEnd(text, text.childNodes.length);
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    const quote = range.toString();
    if (end <= start || !quote) return null;
    return [start, end, quote];
  }

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("error", Boolean(isError));
  }

  document.addEventListener("selectionchange", function () {
    const found = selected();
    if (!found) return; // clicking into the panel keeps the passage chosen
    [fields.start.value, fields.end.value, fields.quote.value] = found.map(String);
    quoteShown.textContent = found[2];
    say("");
  });

  // The DOM point of an offset in the stored text (the inverse of offsetOf), or null outside the text.
  function pointAt(offset) {
    for (const piece of text.querySelectorAll("[data-start]")) {
      const chars = Array.from(piece.textContent);
      const from = Number(piece.dataset.start);
      if (offset >= from && offset <= from + chars.length && piece.firstChild) {
        return [piece.firstChild, chars.slice(0, offset - from).join("").length];
      }
    }
    return null;
  }

  // A passage named in the address (a suggestion's “Cite this passage”) comes selected.
  if (root.dataset.selectStart !== undefined) {
    const from = pointAt(Number(root.dataset.selectStart));
    const to = pointAt(Number(root.dataset.selectEnd));
    if (from && to) {
      const range = document.createRange();
      range.setStart(...from);
      range.setEnd(...to);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
      from[0].parentElement.scrollIntoView({ block: "center" });
    }
  }

  // One search box over commitments, statements and discrepancies; the choice stays until another is picked.
  let pending = null;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      const url = root.dataset.recordsUrl + "?q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin" })
        .then((response) => response.json())
        .then(function (data) {
          const kept = records.value;
          records.replaceChildren(
            ...data.results.map(function (result) {
              const option = new Option(result.label, result.key);
              option.selected = result.key === kept;
              return option;
            })
          );
          if (data.results.length === 1) records.value = data.results[0].key;
        });
    }, 200);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && records.options.length) {
      event.preventDefault();
      records.focus();
      if (!records.value) records.selectedIndex = 0;
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!fields.quote.value) return say("Select a passage of the text first.", true);
    if (!records.value) return say("Choose the record this passage backs.", true);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => response.json().then((data) => [response.ok, data]))
      .then(function ([ok, data]) {
        if (!ok) return say((data.errors || ["The citation was not saved."]).join(" "), true);
        text.innerHTML = data.text_html;
        document.getElementById("reading-citations").innerHTML = data.citations_html;
        for (const field of Object.values(fields)) field.value = "";
        quoteShown.textContent = "Select the next passage.";
        document.getElementById("cite-note").value = "";
        document.getSelection().removeAllRanges();
        say(data.message);
      })
      .catch(() => say("The citation was not saved: the server could not be reached.", true))
      .finally(() => (button.disabled = false));
  });
})();

// A click on a highlighted passage (without selecting) shows the citations it belongs to in the list.
(function () {
  "use strict";
  const text = document.getElementById("reading-text");
  if (!text) return;
  text.addEventListener("click", function (event) {
    const mark = event.target.closest("mark[data-citations]");
    if (!mark || !document.getSelection().isCollapsed) return;
    document.querySelectorAll(".reading-citations .current").forEach((item) => item.classList.remove("current"));
    for (const id of mark.dataset.citations.split(" ")) {
      const item = document.getElementById("citation-" + id);
      if (item) {
        item.classList.add("current");
        item.scrollIntoView({ block: "nearest" });
      }
    }
  });
})();
