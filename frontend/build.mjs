// Builds build/static from the npm packages: compiled CSS, the fonts and images both
// frameworks reference, and their JavaScript bundles. Nothing here is downloaded at run time.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { compile } from "sass";

const out = "build/static";
mkdirSync(`${out}/css`, { recursive: true });

const { css } = compile("frontend/app.scss", {
  loadPaths: ["."],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  logger: { warn() {} },
});
writeFileSync(`${out}/css/app.css`, css);

cpSync("node_modules/govuk-frontend/dist/govuk/assets", `${out}/assets`, { recursive: true });
cpSync("node_modules/@ministryofjustice/frontend/moj/assets", `${out}/assets`, { recursive: true });
// Each bundle keeps its own name so that its source map reference still resolves.
for (const [from, to] of [
  ["node_modules/govuk-frontend/dist/govuk", `${out}/js/govuk`],
  ["node_modules/@ministryofjustice/frontend/moj", `${out}/js/moj`],
]) {
  mkdirSync(to, { recursive: true });
  for (const file of ["all.bundle.js", "all.bundle.js.map"]) {
    cpSync(`${from}/${file}`, `${to}/${file}`);
  }
}
// htmx: results that update as the user types. The pages work without it.
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/js/htmx.min.js`);
// GOV.UK's accessible autocomplete: a list of schools becomes a box to type in.
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"]) {
  cpSync(`node_modules/accessible-autocomplete/dist/${file}`, `${out}/js/${file}`);
}
console.log(`built ${out}`);
