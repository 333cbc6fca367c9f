// Copies the pinned browser libraries from node_modules into the static folder, where they are
// committed: `make run` and CI serve them without Node. Run after `npm ci` when package.json
// changes (docs/development.md).
import { copyFileSync, mkdirSync } from "node:fs";

const files = [
  ["node_modules/sortablejs/Sortable.min.js", "src/egov/backoffice/static/backoffice/vendor/sortablejs/Sortable.min.js"],
  ["node_modules/sortablejs/LICENSE", "src/egov/backoffice/static/backoffice/vendor/sortablejs/LICENSE"],
];
for (const [from, to] of files) {
  mkdirSync(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  copyFileSync(from, to);
  console.log(`${from} -> ${to}`);
}
