// The bell: ask every minute how many notifications are unread and show the count.
(function () {
  const bell = document.getElementById("bell");
  const count = document.getElementById("bell-count");
  if (!bell || !count) return;
  const EVERY_MS = 60000;

  function poll() {
    fetch("/notifications/unread.json", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        count.textContent = data.unread ? String(data.unread) : "";
        bell.classList.toggle("lit", data.unread > 0);
        const words = bell.dataset.label || "Notifications: %(count)s unread";
        bell.setAttribute("aria-label", words.replace("%(count)s", String(data.unread)));
      })
      .catch(() => {})
      .finally(() => window.setTimeout(poll, EVERY_MS));
  }

  window.setTimeout(poll, EVERY_MS);
})();
