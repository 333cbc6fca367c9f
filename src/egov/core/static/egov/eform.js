// Shows an e-form field only while the field it depends on has the wanted answer. Without this
// script every field shows, and the server ignores the answer of a field whose condition fails.
(function () {
  "use strict";

  function answer(form, name) {
    const inputs = Array.from(form.querySelectorAll('[name="' + name + '"]'));
    if (!inputs.length) return null;
    const first = inputs[0];
    if (first.type === "checkbox" && inputs.length === 1) return first.checked;
    if (first.type === "checkbox") return inputs.filter((i) => i.checked).map((i) => i.value);
    if (first.type === "radio") {
      const chosen = inputs.find((i) => i.checked);
      return chosen ? chosen.value : "";
    }
    return first.value;
  }

  function shown(value, wanted) {
    if (wanted === undefined) {
      return Array.isArray(value) ? value.length > 0 : value !== "" && value !== false && value !== null;
    }
    return Array.isArray(value) ? value.includes(wanted) : value === wanted;
  }

  function update(root) {
    root.querySelectorAll("[data-show-field]").forEach(function (field) {
      const raw = field.dataset.showEquals;
      const wanted = raw === undefined ? undefined : JSON.parse(raw);
      field.hidden = !shown(answer(root, field.dataset.showField), wanted);
    });
  }

  function bind(root) {
    if (root.dataset.eformBound) return;
    root.dataset.eformBound = "1";
    const scope = root.closest("form") || root;
    scope.addEventListener("change", function () { update(root); });
    scope.addEventListener("input", function () { update(root); });
    update(root);
  }

  function bindAll() { document.querySelectorAll("[data-eform]").forEach(bind); }
  window.egovEform = { bindAll: bindAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
