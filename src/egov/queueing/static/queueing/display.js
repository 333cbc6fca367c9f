// Keeps a desk's display current: polls the desk's JSON state and redraws the numbers being
// called; a new call is flashed and announced in the live region. Without JavaScript the page
// reloads itself (meta refresh in <noscript>).
document.addEventListener("DOMContentLoaded", () => {
  const board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  const interval = (parseInt(board.dataset.interval, 10) || 5) * 1000;
  const find = (name) => board.querySelector(`[data-${name}]`);
  let lastCall = board.dataset.lastCall || "";

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function redraw(state) {
    const now = state.calling[0];
    find("now-ticket").textContent = now ? now.ticket : "—";
    find("now-counter").textContent = now ? now.counter : "—";
    find("waiting").textContent = String(state.waiting);
    const rows = find("rows");
    rows.replaceChildren();
    for (const call of state.calling) {
      const tr = document.createElement("tr");
      const field = cell(call.field);
      field.className = "board-field";
      tr.append(cell(call.ticket), cell(call.counter), field);
      rows.append(tr);
    }
    if (!state.calling.length) {
      rows.append(find("empty-row").content.cloneNode(true));
    }
    const key = now ? `${now.ticket}|${now.call_count}` : "";
    if (key && key !== lastCall) {
      find("live").textContent = board.dataset.announce
        .replace("{ticket}", now.ticket)
        .replace("{counter}", now.counter);
      board.classList.remove("is-new");
      void board.offsetWidth; // restarts the flash when two calls follow closely
      board.classList.add("is-new");
    }
    lastCall = key;
  }

  async function poll() {
    try {
      const response = await fetch(board.dataset.source, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      redraw(await response.json());
      find("stale").hidden = true;
    } catch (error) {
      find("stale").hidden = false;
    }
    window.setTimeout(poll, interval);
  }

  window.setTimeout(poll, interval);
});
