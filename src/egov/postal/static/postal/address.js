// Lists the communes of the province just chosen. Without this script the page offers a button
// that does the same by reloading the form.
"use strict";
document.querySelectorAll("select[data-communes-for]").forEach((province) => {
  const commune = document.getElementById("id_" + province.dataset.communesFor);
  if (!commune) return;
  province.addEventListener("change", async () => {
    const url = province.dataset.unitsUrl + "?level=3&parent=" + encodeURIComponent(province.value);
    commune.disabled = true;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const units = await response.json();
      units.sort((a, b) => a.name.localeCompare(b.name, "vi"));
      const placeholder = commune.options[0];
      commune.replaceChildren(placeholder, ...units.map((u) => new Option(u.name, u.code)));
      commune.value = "";
    } finally {
      commune.disabled = false;
    }
  });
});
