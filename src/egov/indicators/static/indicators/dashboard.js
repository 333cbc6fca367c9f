// Keeps the operations dashboard current: fetches the figures' fragment (the same server-side
// template the page was drawn with) every few seconds and swaps it in. Without JavaScript the
// page reloads itself (meta refresh in <noscript>) and has a reload link.
document.addEventListener("DOMContentLoaded", () => {
  const board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  const interval = (parseFloat(board.dataset.interval) || 20) * 1000;
  const body = board.querySelector("[data-board-body]");
  const stale = board.querySelector("[data-stale]");
  const parser = new DOMParser();

  async function refresh() {
    try {
      const response = await fetch(board.dataset.source + window.location.search, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      // Parsed into an inert document, then moved in: the fragment is our own escaped HTML.
      const fresh = parser.parseFromString(await response.text(), "text/html");
      body.replaceChildren(...fresh.body.childNodes);
      stale.hidden = true;
    } catch (error) {
      stale.hidden = false;
    }
    window.setTimeout(refresh, interval);
  }

  window.setTimeout(refresh, interval);
});
