// Builds build/static from the npm packages: compiled CSS, the fonts and images both
// frameworks reference, and their JavaScript bundles. Nothing here is downloaded at run time.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { compile } from "sass";

const out = "build/static";
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });

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
cpSync("node_modules/govuk-frontend/dist/govuk/all.bundle.js", `${out}/js/govuk-frontend.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/all.bundle.js", `${out}/js/moj-frontend.js`);
console.log(`built ${out}`);
