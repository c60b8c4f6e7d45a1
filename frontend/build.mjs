// Builds frontend/build/, which Django serves as static files. Never committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "build");
const modules = join(here, "node_modules");

rmSync(out, { recursive: true, force: true });
for (const dir of ["css", "js", "assets"]) mkdirSync(join(out, dir), { recursive: true });

const css = sass.compile(join(here, "src", "evident.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  loadPaths: [here, modules],
  quietDeps: true,
  silenceDeprecations: ["import"],
  // GOV.UK Frontend deprecation notices about its own internals: not ours to act on.
  logger: { warn() {}, debug() {} },
});
writeFileSync(join(out, "css", "evident.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "js/govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "js/moj-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "js/htmx.min.js"],
  ["chart.js/dist/chart.umd.min.js", "js/chart.umd.min.js"],
  ["govuk-frontend/dist/govuk/assets/images", "assets/images"],
  ["@ministryofjustice/frontend/moj/assets/images", "assets/images"],
];
for (const [from, to] of copies) cpSync(join(modules, from), join(out, to), { recursive: true });
cpSync(join(here, "src", "js"), join(out, "js"), { recursive: true });

console.log(`Front end built into ${out}`);
