// Accessibility audit of built framewright sites with axe-core in headless Chromium:
// every listed page in light and dark colour schemes, at a desktop and a phone width,
// must have no serious or critical violation of the WCAG 2.1 A and AA rules, log no
// console error and request nothing from outside the site.
//
//   node tests/browser/audit.mjs ARTIFACTS_DIR SITE_DIR=PAGE,PAGE,... [SITE_DIR=...]
//
// A PAGE is a path below the site root ("" is the home page); a page with `?q=` is a
// search page and is audited once its results show. A page ending in `:2` (a very large
// one, such as the print edition of a whole catalog) is audited in two of the four
// variants, light at desktop width and dark at phone width: what depends on the colour
// scheme or the width comes from the theme, which the other pages cover in all four. Screenshots of failing pages go to
// ARTIFACTS_DIR. Exits 1 with one line per failure.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serveStatic, CHROMIUM, CHROMIUM_ARGS } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [artifacts, ...siteArgs] = process.argv.slice(2);
if (!artifacts || siteArgs.length === 0) {
  console.error("usage: audit.mjs ARTIFACTS_DIR SITE_DIR=PAGE,PAGE,...");
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });

const VARIANTS = [
  { scheme: "light", width: 1280, height: 900 },
  { scheme: "dark", width: 1280, height: 900 },
  { scheme: "light", width: 390, height: 844 },
  { scheme: "dark", width: 390, height: 844 },
];
const failures = [];
let audited = 0;
const started = Date.now();

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const arg of siteArgs) {
    const at = arg.indexOf("=");
    const site = arg.slice(0, at);
    const pages = arg.slice(at + 1).split(",");
    const { server, base } = await serveStatic(site);
    try {
      for (const variant of VARIANTS) {
        await auditVariant(site, base, pages, variant);
      }
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
}

async function auditVariant(site, base, pages, variant) {
  const context = await browser.newContext({
    colorScheme: variant.scheme,
    viewport: { width: variant.width, height: variant.height },
  });
  const page = await context.newPage();
  let errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`exception: ${e}`));
  // The site promises no external requests: everything comes from the site itself.
  const origin = new URL(base).origin;
  page.on("request", (r) => {
    if (!r.url().startsWith(origin + "/") && !r.url().startsWith("data:")) { errors.push(`external request: ${r.url()}`); }
  });
  for (const spec of pages) {
    const colon = spec.lastIndexOf(":");
    const [rel, only] = colon >= 0 ? [spec.slice(0, colon), spec.slice(colon + 1)] : [spec, ""];
    if (only === "2" && (variant.scheme === "light") !== (variant.width > 500)) { continue; }
    errors = [];
    const label = `${path.basename(site)}/${rel} [${variant.scheme} ${variant.width}px]`;
    await page.goto(base + rel, { waitUntil: "load" });
    if (rel.includes("?q=")) {
      await page.waitForSelector("[data-search-results] [role=option]", { timeout: 15000 })
        .catch(() => errors.push("search showed no results"));
    }
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    audited += 1;
    const problems = [
      ...bad.map((v) => `axe ${v.impact} ${v.id} ×${v.nodes.length}: ${v.help} (e.g. ${v.nodes[0].target.join(" ")}${v.nodes[0].any[0] ? ": " + v.nodes[0].any[0].message : ""})`),
      ...errors,
    ];
    if (problems.length) {
      for (const p of problems) { failures.push(`${label}: ${p}`); console.log(`FAIL ${label}: ${p}`); }
      const shot = path.join(artifacts, label.replace(/[^a-z0-9.-]+/gi, "_") + ".png");
      await page.screenshot({ path: shot, fullPage: false }).catch(() => {});
    }
  }
  await context.close();
}

console.log(`audited ${audited} page views in ${Math.round((Date.now() - started) / 1000)} s, ${failures.length} problem(s)`);
process.exit(failures.length ? 1 : 0);
