// Live progress: while a translation on the page is queued or translating, ask the desk
// how it stands every two seconds and update its state, bar and sentence count in place.
(function () {
  const ACTIVE = new Set(["queued", "translating"]);
  const EVERY_MS = 2000;

  function watched() {
    return Array.from(document.querySelectorAll("[data-translation][data-state]"));
  }

  function show(el, t) {
    el.dataset.state = t.state;
    const state = el.querySelector(".state");
    if (state) {
      state.textContent = t.label;
      state.className = "state state-" + t.state;
    }
    const bar = el.querySelector(".bar > span");
    if (bar) bar.className = "p" + t.percent;
    const outer = el.querySelector(".bar");
    if (outer) outer.title = t.label;
    const sentences = el.querySelector(".sentences");
    if (sentences) {
      // The page's words for it (data-words), in its language.
      const words = sentences.dataset.words || "%(done)s / %(total)s sentences";
      sentences.textContent = t.total
        ? words.replace("%(done)s", t.done).replace("%(total)s", t.total) : "";
    }
  }

  function poll() {
    const active = watched().filter((el) => ACTIVE.has(el.dataset.state));
    if (!active.length) return;
    const ids = Array.from(new Set(active.map((el) => el.dataset.translation))).slice(0, 200);
    fetch("/progress.json?ids=" + ids.join(","), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((r) => (r.ok ? r.json() : { translations: [] }))
      .then((data) => {
        for (const t of data.translations) {
          for (const el of watched()) {
            if (el.dataset.translation === String(t.id)) show(el, t);
          }
        }
      })
      .catch(() => {})
      .finally(() => window.setTimeout(poll, EVERY_MS));
  }

  window.setTimeout(poll, EVERY_MS);
})();
