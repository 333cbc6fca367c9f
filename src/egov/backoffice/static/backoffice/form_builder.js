// The e-form designer's enhancements: drag ordering (SortableJS), settings shown for the chosen
// kind of answer only, and a preview refreshed from the server as the editor types. Without
// this script the page still works: every setting shows, "Move up/down" submit, and the preview
// shows the saved form.
(function () {
  "use strict";

  const ONLY_FOR = {
    options: ["choice", "choices"],
    radio: ["choice"],
    minimum: ["number"],
    maximum: ["number"],
    decimals: ["number"],
    columns: ["table"],
    rows: ["table"],
  };

  const FEE_ONLY_FOR = {
    field: ["per_unit", "tiered", "cases"],
    copies_field: ["per_unit", "tiered"],
    tiers: ["tiered"],
    max: ["tiered"],
    cases: ["cases"],
    extra_field: ["per_unit", "tiered", "cases"],
    extra_from: ["per_unit", "tiered", "cases"],
    extra_amount: ["per_unit", "tiered", "cases"],
  };

  function showSettings(card) {
    const rule = card.querySelector('select[name$="-rule_type"]');
    const kind = rule || card.querySelector('select[name$="-kind"][name^="f-"]');
    if (!kind) return;
    const table = rule ? FEE_ONLY_FOR : ONLY_FOR;
    card.querySelectorAll("[data-setting]").forEach(function (setting) {
      const kinds = table[setting.dataset.setting];
      setting.hidden = Boolean(kinds) && !kinds.includes(kind.value);
    });
  }

  function renumber(list) {
    list.querySelectorAll(".builder-card").forEach(function (card, index) {
      const order = card.querySelector('input[name$="-ORDER"]');
      if (order) order.value = index + 1;
    });
  }

  let timer = null;
  function refreshPreview(form) {
    if (!form.dataset.previewUrl) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          document.getElementById("builder-preview").innerHTML = html;
          if (window.egovEform) window.egovEform.bindAll();
        });
    }, 400);
  }

  function start() {
    const form = document.getElementById("builder-form");
    const list = document.getElementById("builder-list");
    if (!form || !list) return;
    list.querySelectorAll(".builder-card").forEach(showSettings);
    form.addEventListener("change", function (event) {
      const card = event.target.closest(".builder-card");
      if (card) showSettings(card);
      refreshPreview(form);
    });
    form.addEventListener("input", function () { refreshPreview(form); });
    if (window.Sortable) {
      window.Sortable.create(list, {
        handle: ".drag-handle",
        animation: 150,
        onEnd: function () { renumber(list); refreshPreview(form); },
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
