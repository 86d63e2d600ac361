// The review workspace, keyboard first. Without this script every form still works.
(function () {
  "use strict";
  const root = document.getElementById("workspace");
  if (!root) return;
  const canEdit = root.dataset.canEdit === "true";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const rows = Array.from(document.querySelectorAll("tr.seg"));
  const sheet = document.getElementById("shortcuts");
  let filter = "all";

  const editorOf = (row) => row.querySelector("textarea.editor");
  const rowOf = (el) => (el && el.closest ? el.closest("tr.seg") : null);
  const visible = (row) => row.style.display !== "none";
  let current = rows[0] || null;

  function focusRow(row) {
    if (!row) return;
    rows.forEach((r) => r.classList.toggle("current", r === row));
    current = row;
    const editor = editorOf(row);
    if (editor) { editor.focus(); editor.setSelectionRange(editor.value.length, editor.value.length); }
    row.scrollIntoView({ block: "nearest" });
  }

  function step(from, delta, predicate) {
    const start = rows.indexOf(from);
    for (let i = 1; i <= rows.length; i++) {
      const row = rows[(start + delta * i + rows.length * i) % rows.length];
      if (visible(row) && (!predicate || predicate(row))) return row;
    }
    return null;
  }

  const unconfirmed = (row) => row.dataset.state !== "confirmed";

  // The page's words for what this script writes (data-messages), English when absent.
  const words = JSON.parse(root.dataset.messages || "{}");
  function say(key, fallback, values) {
    let text = words[key] || fallback;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.replace("%(" + name + ")s", value);
    }
    return text;
  }

  // Latin digits, as the server's Babel formatting writes them in every desk locale.
  const count = new Intl.NumberFormat(document.documentElement.lang || "en",
                                      { numberingSystem: "latn" });

  function setStatus(row, text) { row.querySelector(".status").textContent = text; }

  function renderIssues(row, issues) {
    const list = row.querySelector("ul.qa");
    list.textContent = "";
    for (const issue of issues) {
      const li = document.createElement("li");
      li.className = issue.severity;
      li.dataset.check = issue.check;
      li.textContent = (issue.label || issue.severity) + ": " + issue.message;
      list.appendChild(li);
    }
    const errors = issues.some((i) => i.severity === "error");
    row.dataset.qa = errors ? "error" : (issues.length ? "warning" : "");
  }

  function updateProgress(progress) {
    const bar = document.getElementById("progress");
    bar.value = progress.confirmed; bar.max = progress.total;
    document.getElementById("progress-text").textContent =
      say("progress", "%(done)s / %(total)s confirmed",
          { done: count.format(progress.confirmed), total: count.format(progress.total) });
  }

  function showConflict(row, data) {
    const box = row.querySelector(".conflict-box");
    box.textContent = "";
    const note = document.createElement("p");
    note.className = "error conflict";
    note.setAttribute("role", "alert");
    note.textContent = data.message + " (" +
      say("their_revision", "their revision %(revision)s", { revision: data.current_revision }) + ")";
    const theirs = document.createElement("p");
    theirs.className = "theirs";
    theirs.textContent = data.current_text;
    box.append(note, theirs);
    // The editor keeps this person's text; saving again means they have seen the other's.
    row.querySelector('input[name="revision"]').value = data.current_revision;
  }

  async function save(row, confirm) {
    const editor = editorOf(row);
    if (!editor) return false;
    const revision = parseInt(row.querySelector('input[name="revision"]').value, 10);
    setStatus(row, say("saving", "saving…"));
    let response;
    try {
      response = await fetch(row.dataset.saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ text: editor.value, revision: revision, confirm: confirm }),
      });
    } catch (err) {
      setStatus(row, say("unreachable",
        "not saved: the desk cannot be reached; your text is still here"));
      return false;
    }
    const data = await response.json().catch(() => ({ message: say("unexpected", "unexpected answer") }));
    if (response.status === 409 && data.error === "conflict") {
      showConflict(row, data);
      setStatus(row, say("conflict", "not saved: conflict"));
      return false;
    }
    if (!response.ok) {
      setStatus(row, say("not_saved", "not saved: %(reason)s", { reason: data.message }));
      return false;
    }
    const seg = data.segment;
    row.querySelector(".conflict-box").textContent = "";
    row.querySelector('input[name="revision"]').value = seg.revision;
    row.querySelector(".rev").textContent = seg.revision;
    row.dataset.state = seg.state;
    const badge = row.querySelector(".seg-state");
    badge.className = "seg-state seg-state-" + seg.state;
    badge.textContent = seg.label;
    if (seg.diff !== null) row.querySelector(".mt-diff").innerHTML = say("mt", "MT:") + " " + seg.diff;
    renderIssues(row, seg.issues);
    updateProgress(data.progress);
    const state = document.getElementById("translation-state");
    state.className = "state state-" + data.translation_state;
    state.textContent = data.translation_state === "in_review" ? say("in_review", "In review") : state.textContent;
    setStatus(row, confirm ? say("confirmed", "confirmed") : say("saved", "saved"));
    applyFilter();
    return true;
  }

  const confidence = (row) => (row.dataset.confidence === "" ? null : Number(row.dataset.confidence));
  // The least confident fifth of the segments that have a confidence (at least one).
  function leastConfident() {
    const scored = rows.filter((r) => confidence(r) !== null)
      .sort((a, b) => confidence(a) - confidence(b));
    return new Set(scored.slice(0, Math.max(1, Math.round(scored.length / 5))));
  }

  function applyFilter() {
    const least = filter === "least" ? leastConfident() : new Set();
    for (const row of rows) {
      const show = filter === "all"
        || (filter === "unconfirmed" && unconfirmed(row))
        || (filter === "qa" && row.dataset.qa !== "")
        || (filter === "outdated" && row.dataset.state === "outdated")
        || (filter === "least" && least.has(row));
      row.style.display = show || row === current ? "" : "none";
    }
  }

  document.querySelectorAll("#filters button[data-filter]").forEach((button) => {
    button.addEventListener("click", () => {
      filter = button.dataset.filter;
      document.querySelectorAll("#filters button[data-filter]").forEach((b) =>
        b.setAttribute("aria-pressed", String(b === button)));
      applyFilter();
    });
  });

  // Least confident first (segments without a confidence last), and back to the article's order.
  const documentOrder = rows.slice();
  const sortButton = document.getElementById("sort-confidence");
  sortButton.addEventListener("click", () => {
    const on = sortButton.getAttribute("aria-pressed") !== "true";
    sortButton.setAttribute("aria-pressed", String(on));
    const order = on ? documentOrder.slice().sort((a, b) => {
      const ca = confidence(a), cb = confidence(b);
      if (ca === null || cb === null) return (ca === null) - (cb === null);
      return ca - cb;
    }) : documentOrder;
    const body = rows[0] ? rows[0].parentNode : null;
    rows.length = 0;
    for (const row of order) { rows.push(row); if (body) body.appendChild(row); }
  });

  function toggleSheet() {
    if (sheet.open) sheet.close(); else sheet.showModal();
  }
  document.getElementById("show-shortcuts").addEventListener("click", toggleSheet);

  document.addEventListener("focusin", (event) => {
    const row = rowOf(event.target);
    if (row) { current = row; rows.forEach((r) => r.classList.toggle("current", r === row)); }
  });

  document.addEventListener("keydown", async (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.code === "Slash") { event.preventDefault(); toggleSheet(); return; }
    if (ctrl && event.shiftKey && event.code === "KeyA") {
      const form = document.getElementById("approve-form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      focusRow(step(current, event.key === "ArrowDown" ? 1 : -1));
      return;
    }
    const row = rowOf(document.activeElement) || current;
    if (!row || !canEdit) return;
    const editor = editorOf(row);
    if (ctrl && event.shiftKey && event.code === "KeyS") {
      event.preventDefault(); editor.value = row.dataset.source; focusRow(row); return;
    }
    if (ctrl && event.shiftKey && event.code === "KeyM") {
      event.preventDefault(); editor.value = row.dataset.suggestion; focusRow(row); return;
    }
    if (ctrl && !event.shiftKey && event.code === "KeyS") {
      event.preventDefault(); await save(row, false); return;
    }
    if (ctrl && event.key === "Enter") {
      event.preventDefault();
      if (await save(row, true)) {
        const next = step(row, 1, unconfirmed);
        if (next) focusRow(next);
        else { setStatus(row, "confirmed · every segment is confirmed"); focusRow(row); }
      }
    }
  });

  if (canEdit) {
    const target = location.hash ? document.querySelector(location.hash) : null;
    focusRow(target && target.classList.contains("seg") ? target : (rows.find(unconfirmed) || rows[0]));
  }
})();
