// The submit form: when the source language changes, say again what will translate each
// target (the notes come with the page, from what the workers recorded).
(function () {
  const list = document.getElementById("targets");
  const source = document.getElementById("source_language");
  if (!list || !source) return;
  const notes = JSON.parse(list.dataset.notes || "{}");
  function show() {
    const mine = notes[source.value] || {};
    for (const note of list.querySelectorAll(".engine-note")) {
      note.textContent = mine[note.dataset.language] || "";
    }
  }
  source.addEventListener("change", show);
})();
