// The result template designer: format buttons and fields inserted at the cursor. Without
// JavaScript the editor types the same markup and copies the codes shown beside the fields.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("result-template-form");
    if (!form) return;
    var area = form.querySelector("textarea[name=body]");
    var toolbar = form.querySelector(".markup-toolbar");
    if (!area) return;
    if (toolbar) toolbar.hidden = false;

    function replace(start, end, text, caretStart, caretEnd) {
      area.focus();
      area.setRangeText(text, start, end, "end");
      if (caretStart !== undefined) area.setSelectionRange(caretStart, caretEnd);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function lineStart(position) {
      return area.value.lastIndexOf("\n", position - 1) + 1;
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-insert], button[data-line], button[data-wrap], button[data-block]");
      if (!button) return;
      event.preventDefault();
      var start = area.selectionStart, end = area.selectionEnd;
      if (button.dataset.insert) {
        replace(start, end, button.dataset.insert);
      } else if (button.dataset.wrap) {
        var mark = button.dataset.wrap, chosen = area.value.slice(start, end);
        replace(start, end, mark + chosen + mark, start + mark.length, start + mark.length + chosen.length);
      } else if (button.dataset.line) {
        var at = lineStart(start), prefix = button.dataset.line;
        var rest = area.value.slice(at).replace(/^(#{1,2} |- )/, "");
        var old = area.value.length - at - rest.length;
        replace(at, at + old, prefix);
      } else if (button.dataset.block) {
        // A new row after the current line; its first "…" is selected, so typing replaces it.
        var lineEnd = area.value.indexOf("\n", start);
        if (lineEnd < 0) lineEnd = area.value.length;
        var empty = lineStart(start) === lineEnd;
        var row = (empty ? "" : "\n") + button.dataset.block;
        var cell = lineEnd + row.indexOf("…");
        replace(lineEnd, lineEnd, row, cell, cell + 1);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
