// Headless Chromium checks of a built framewright site: search (by id, word, text and
// cited standard; keyboard and mouse), table filters, the sidebar by keyboard, links
// from the file system, highlighting in both colour schemes, the print media, and no
// console errors, both from the file system and over HTTP under a sub-path.
//
//   node tests/browser/check.mjs SITE_DIR BASE_PATH ARTIFACTS_DIR
//
// SITE_DIR was built with `--base-url BASE_PATH` (e.g. /some/sub/path/) from the
// project that tests/browser.rs writes. Needs `npm ci` in tests/browser/ and Chromium
// (CHROMIUM, default /usr/bin/chromium). Exits 1 with a list of failures; a screenshot
// of the page at each failure goes to ARTIFACTS_DIR.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serveStatic, CHROMIUM, CHROMIUM_ARGS } from "./static-server.mjs";

const [site, basePath = "/", artifacts = "target/browser-artifacts"] = process.argv.slice(2);
if (!site) {
  console.error("usage: check.mjs SITE_DIR BASE_PATH ARTIFACTS_DIR");
  process.exit(2);
}
const failures = [];
const fail = (what) => { failures.push(what); console.log("FAIL " + what); screenshot(failures.length); };
const ok = (what) => console.log("ok   " + what);
const expect = (cond, what) => (cond ? ok(what) : fail(what));

fs.mkdirSync(artifacts, { recursive: true });
const { server, base: httpBase } = await serveStatic(site, basePath);
const fileBase = pathToFileURL(path.resolve(site)).href + "/";
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

// The pages open when a check fails, photographed into the artifacts folder.
const openPages = [];
function screenshot(n) {
  const page = openPages[openPages.length - 1];
  if (page && !page.isClosed()) {
    page.screenshot({ path: path.join(artifacts, `check-${n}.png`) }).catch(() => {});
  }
}

// A page that records console errors, uncaught exceptions and failed requests.
async function openPage(context, url, label) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => requests.push(r.url()));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  openPages.push(page);
  await page.goto(url, { waitUntil: "load" });
  page.problems = problems;
  page.requests = requests;
  page.label = label;
  return page;
}

function pageUrl(base, rel, fileMode) {
  if (!fileMode) { return base + rel; }
  const [p, hash] = rel.split("#");
  const withIndex = p === "" || p.endsWith("/") ? p + "index.html" : p;
  return base + withIndex + (hash ? "#" + hash : "");
}

async function searchFor(page, selector, query) {
  await page.fill(selector, "");
  await page.type(selector, query, { delay: 5 });
  await page.waitForFunction(
    ([sel, q]) => {
      const form = document.querySelector(sel).closest("form");
      return form.querySelector("[data-search-results]").getAttribute("data-query") === q;
    },
    [selector, query],
    { timeout: 15000 },
  );
  return page.$$eval(`${selector} ~ [data-search-results] [role=option], ${selector} ~ * [role=option]`, (items) =>
    items.map((li) => ({
      id: li.querySelector(".item-id").textContent,
      html: li.innerHTML,
      href: li.dataset.href,
      optionId: li.id,
    })));
}

async function checkMode(mode) {
  const fileMode = mode === "file";
  const base = fileMode ? fileBase : httpBase;
  const context = await browser.newContext();
  const pages = [];
  const tag = (what) => `[${mode}] ${what}`;

  // 1. Search from the header: "/" focuses it; the index loads only then.
  const page = await openPage(context, pageUrl(base, "identify/asset-management/", fileMode), "category");
  pages.push(page);
  const loadedEarly = page.requests.some((u) => /search-index\.js|minisearch\.js/.test(u));
  expect(!loadedEarly, tag("the search index is not loaded with the page"));
  await page.keyboard.press("/");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  expect(focused === "site-search-input", tag(`"/" focuses the search box (${focused})`));

  let results = await searchFor(page, "#site-search-input", "ID.AM-01");
  expect(results[0] && results[0].id === "ID.AM-01", tag(`typing ID.AM-01 lists it first (${results.map((r) => r.id).join(", ")})`));
  expect(page.requests.some((u) => /search-index\.js/.test(u)), tag("the index is loaded on first use"));

  results = await searchFor(page, "#site-search-input", "ID.AM");
  expect(results[0] && results[0].id === "ID.AM", tag(`typing ID.AM lists the category first (${results.map((r) => r.id).slice(0, 4).join(", ")})`));
  expect(results.some((r) => r.id === "ID.AM-02"), tag("…and its subcategories"));

  results = await searchFor(page, "#site-search-input", "27035");
  const cites27035 = results.filter((r) => /<mark>27035<\/mark>/.test(r.html));
  expect(cites27035.length >= 2, tag(`27035 finds the items citing it, highlighted (${results.map((r) => r.id).join(", ")})`));

  results = await searchFor(page, "#site-search-input", "inventoried");
  expect(results.some((r) => r.id === "ID.AM-01") && results.some((r) => r.id === "ID.AM-02"),
    tag(`a word of a description finds the items (${results.map((r) => r.id).join(", ")})`));
  expect(results.every((r) => /<mark>inventoried<\/mark>/i.test(r.html)), tag("snippets mark the match"));
  expect(results.every((r) => /search-result-meta">Subcategory · Identify/.test(r.html)), tag("results show kind and concept"));

  results = await searchFor(page, "#site-search-input", "retention");
  expect(results.some((r) => r.id === "PR.DS-90"), tag(`a word of the body text finds the item (${results.map((r) => r.id).join(", ")})`));

  // Keyboard: down, down, Enter opens the second result.
  results = await searchFor(page, "#site-search-input", "ID.AM");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const active = await page.$eval("#site-search-input", (i) => i.getAttribute("aria-activedescendant"));
  expect(active === results[1].optionId, tag(`arrow keys move through the results (${active})`));
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const landed = decodeURIComponent(page.url());
  expect(landed.includes("identify/asset-management/") && landed.endsWith("#" + results[1].id),
    tag(`Enter opens the active result (${landed})`));

  // A click on a result opens it.
  results = await searchFor(page, "#site-search-input", "PR.DS-90");
  await Promise.all([page.waitForNavigation(), page.click("[data-search-results] [role=option]")]);
  expect(decodeURIComponent(page.url()).includes("protect/data-security/"), tag(`a click opens the result (${page.url()})`));

  // 2. The search page, with ?q=.
  const searchPage = await openPage(context, pageUrl(base, "search/", fileMode) + "?q=ID.RA", "search page");
  pages.push(searchPage);
  await searchPage.waitForSelector(".search-page-results [role=option]", { timeout: 15000 });
  const first = await searchPage.$eval(".search-page-results [role=option] .item-id", (e) => e.textContent);
  expect(first === "ID.RA", tag(`search/?q=ID.RA lists ID.RA first (${first})`));

  // 3. Table filter on a category table: by cited document, then by text.
  const cat = await openPage(context, pageUrl(base, "protect/data-security/", fileMode), "filter");
  pages.push(cat);
  const options = await cat.$$eval(".table-filter select option", (os) => os.map((o) => o.value));
  expect(options.includes("s:iso-iec-27035") && options.includes("d:iso-iec-27035-2"),
    tag(`the filter offers series and parts (${options.join(" ")})`));
  await cat.selectOption(".table-filter select", "s:iso-iec-27035");
  let state = await cat.$$eval("tr[data-documents]", (rows) => rows.map((r) => ({ id: r.id, docs: r.dataset.documents, hidden: r.hidden })));
  expect(state.length >= 4 && state.every((r) => r.hidden === !/iso-iec-27035/.test(r.docs)) && state.some((r) => r.hidden),
    tag("a series filter hides the rows that do not cite it"));
  const visibleHidden = await cat.$$eval("tr[data-documents][hidden]", (rows) => rows.filter((r) => r.offsetParent !== null).length);
  expect(visibleHidden === 0, tag("hidden rows are not displayed"));
  await cat.selectOption(".table-filter select", "d:iso-iec-27035-2");
  state = await cat.$$eval("tr[data-documents]", (rows) => rows.map((r) => ({ docs: r.dataset.documents.split(" "), hidden: r.hidden })));
  expect(state.every((r) => r.hidden === !r.docs.includes("iso-iec-27035-2")), tag("a document filter hides the rows that do not cite it"));
  await cat.selectOption(".table-filter select", "");
  await cat.fill(".table-filter input", "PR.DS-91");
  state = await cat.$$eval("tr[data-documents]", (rows) => rows.filter((r) => !r.hidden).map((r) => r.id));
  expect(state.length === 1 && state[0] === "PR.DS-91", tag(`the text filter narrows the rows (${state})`));
  const status = await cat.$eval(".table-filter-status", (s) => s.textContent);
  expect(/Showing 1 of/.test(status), tag(`the filter says how many rows show (${status})`));
  await cat.fill(".table-filter input", "");
  state = await cat.$$eval("tr[data-documents]", (rows) => rows.filter((r) => r.hidden || r.offsetParent === null).map((r) => r.id));
  expect(state.length === 0, tag(`clearing the filters shows every row again (${state})`));

  // Every table with a filter bar, on concept and category pages: the text filter keeps
  // exactly the row it names, and clearing it shows them all again.
  for (const rel of ["identify/", "protect/", "identify/asset-management/", "protect/data-security/"]) {
    const p = await openPage(context, pageUrl(base, rel, fileMode), `filters ${rel}`);
    pages.push(p);
    const count = await p.$$eval(".table-filter", (bars) => bars.length);
    let good = 0;
    // The bar stands just before its table (or the table's scrolling wrapper).
    const rows = (bar, visibleOnly) => bar.evaluate((b, only) => {
      const next = b.nextElementSibling;
      const table = next.matches("table") ? next : next.querySelector("table");
      return [...table.querySelectorAll("tr[data-documents]")].filter((r) => !only || !r.hidden).map((r) => r.id);
    }, visibleOnly);
    for (let i = 0; i < count; i++) {
      const bar = p.locator(".table-filter").nth(i);
      const ids = await rows(bar, false);
      const last = ids[ids.length - 1];
      await bar.locator("input").fill(last);
      const shown = await rows(bar, true);
      await bar.locator("input").fill("");
      const all = await rows(bar, true);
      if (shown.length === 1 && shown[0] === last && all.length === ids.length) { good += 1; }
    }
    expect(count > 0 && good === count, tag(`${rel}: each of the ${count} table filters narrows to the named row and clears (${good} good)`));
  }

  // 3b. The sidebar by keyboard: a concept's link and the control that shows its
  // categories are separate stops; Enter on the control toggles it, on the link follows it.
  const nav = await openPage(context, pageUrl(base, "", fileMode), "sidebar");
  pages.push(nav);
  const toggle = "#sidebar .nav-concept:has(a[href*='protect']) > details > summary";
  const before = await nav.$eval(toggle, (s) => s.parentElement.open);
  await nav.focus(toggle);
  await nav.keyboard.press("Enter");
  const after = await nav.$eval(toggle, (s) => s.parentElement.open);
  expect(before === false && after === true, tag(`Enter on a concept's toggle opens its categories (${before} -> ${after})`));
  await nav.keyboard.press("Shift+Tab");
  const link = await nav.evaluate(() => document.activeElement.getAttribute("href"));
  await Promise.all([nav.waitForNavigation(), nav.keyboard.press("Enter")]);
  const concept = await nav.$eval("h1", (h) => h.textContent);
  expect(/protect/.test(link || "") && concept === "Protect", tag(`the concept's link is its own stop and opens the concept (${link} -> ${concept})`));

  // 3c. Keyboard basics: the first Tab reaches the skip link, which moves focus to the
  // main content; focus is visible; reduced motion turns transitions off.
  const kb = await openPage(context, pageUrl(base, "identify/", fileMode), "keyboard");
  pages.push(kb);
  await kb.keyboard.press("Tab");
  const skip = await kb.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: el.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth), top: el.getBoundingClientRect().top };
  });
  expect(skip.text === "Skip to content" && skip.outline !== "none" && skip.width >= 2 && skip.top >= 0,
    tag(`the first Tab shows the skip link, with a visible focus (${JSON.stringify(skip)})`));
  await kb.keyboard.press("Enter");
  await kb.keyboard.press("Tab");
  const inMain = await kb.evaluate(() => {
    const el = document.activeElement;
    return { inMain: !!el.closest("main"), outline: getComputedStyle(el).outlineStyle };
  });
  expect(inMain.inMain && inMain.outline !== "none", tag(`the skip link leads into the main content, focus visible there (${JSON.stringify(inMain)})`));
  await kb.emulateMedia({ reducedMotion: "reduce" });
  const motion = await kb.$eval("#sidebar .nav-concept > details > summary", (s) => getComputedStyle(s, "::before").transitionDuration);
  expect(motion === "0s", tag(`prefers-reduced-motion turns transitions off (${motion})`));

  // 3d. From the file system, every link of a page points at a file, and following one
  // opens the page (not a folder listing).
  if (fileMode) {
    const p = await openPage(context, pageUrl(base, "identify/asset-management/", fileMode), "file links");
    pages.push(p);
    const hrefs = await p.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    const folders = hrefs.filter((h) => !/^(#|[a-z]+:)/i.test(h) && /(\/|^\.\.?)(#.*)?$/.test(h));
    expect(hrefs.length > 20 && folders.length === 0, tag(`file:// links point at index.html (${folders.slice(0, 5).join(" ")})`));
    for (const selector of [".breadcrumbs a", "#sidebar .nav-concept a[href*='protect']", ".pager a"]) {
      await Promise.all([p.waitForNavigation(), p.click(selector)]);
      const h1 = await p.$eval("h1", (h) => h.textContent).catch(() => null);
      expect(p.url().endsWith(".html") && h1, tag(`following ${selector} from file:// opens a page (${p.url().slice(-40)}: ${h1})`));
      await p.goBack();
    }
  }

  // 4. Highlighting in both colour schemes.
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ colorScheme: scheme });
    const code = await openPage(ctx, pageUrl(base, "identify/code-samples/", fileMode), `code ${scheme}`);
    pages.push(code);
    const info = await code.evaluate(() => {
      const colours = (lang) => {
        const spans = document.querySelectorAll(`code.language-${lang} span[class^="hl-"]`);
        const set = new Set();
        spans.forEach((s) => set.add(getComputedStyle(s).color));
        return { spans: spans.length, colours: set.size };
      };
      const pre = document.querySelector("pre.hl-code");
      return { yaml: colours("yaml"), rust: colours("rust"), text: getComputedStyle(pre).color, bg: getComputedStyle(pre).backgroundColor };
    });
    expect(info.yaml.spans > 0 && info.yaml.colours > 1 && info.rust.colours > 1,
      tag(`${scheme}: yaml and rust come out as coloured hl- spans (${JSON.stringify(info)})`));
    code.schemeInfo = info;
    if (scheme === "dark") {
      const light = pages.find((p) => p.label === "code light").schemeInfo;
      expect(light.text !== info.text && light.bg !== info.bg, tag(`the code colours follow the colour scheme (${light.text} / ${info.text})`));
    }
  }

  // 5. Every kind of page loads without console errors.
  for (const rel of ["", "identify/", "identify/risk-assessment/id.ra-01/", "references/", "references/iso-iec-27002/",
    "print/", "id/ID.AM-01/", "search/"]) {
    const p = await openPage(context, pageUrl(base, rel, fileMode), rel || "home");
    await p.focus("[data-search-input]").catch(() => {});
    await p.waitForTimeout(150);
    pages.push(p);
  }
  if (!fileMode) {
    const p = await openPage(context, base + "no/such/page/", "404");
    pages.push(p);
  }
  // The 404 page itself answers 404, which Chromium logs; nothing else may fail.
  const expected404 = (p, x) => p.label === "404" &&
    (/HTTP 404: .*no\/such/.test(x) || /status of 404/.test(x)) &&
    p.problems.filter((y) => /^HTTP 404/.test(y)).length === 1;
  const problems = pages.flatMap((p) => p.problems.filter((x) => !expected404(p, x)).map((x) => `${p.label}: ${x}`));
  expect(problems.length === 0, tag(`no console errors or failed requests${problems.length ? ":\n  " + problems.join("\n  ") : ""}`));

  // 6. The print edition has a print stylesheet that keeps table headers.
  const print = await openPage(context, pageUrl(base, "print/", fileMode), "print");
  await print.emulateMedia({ media: "print" });
  const printInfo = await print.evaluate(() => ({
    thead: getComputedStyle(document.querySelector(".framework-table thead")).display,
    sidebar: getComputedStyle(document.querySelector(".sidebar")).display,
    concept: getComputedStyle(document.querySelector(".print-concept")).breakBefore,
  }));
  expect(printInfo.thead === "table-header-group" && printInfo.sidebar === "none" && printInfo.concept === "page",
    tag(`print media: repeated headers, no navigation, concepts on new pages (${JSON.stringify(printInfo)})`));
  const controls = await print.$$eval("button, input, select, textarea, summary, .table-filter",
    (els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 60)));
  expect(controls.length === 0, tag(`no interactive controls on paper (${controls.join(" | ")})`));
  // Printed to PDF, the page breaks before each concept take effect: the same page
  // printed with them turned off has fewer pages.
  if (!fileMode) {
    const sheets = async () => ((await print.pdf({ format: "A4" })).toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    const withBreaks = await sheets();
    await print.addStyleTag({ content: "@media print { .print-concept { break-before: auto !important; page-break-before: auto !important; } }" });
    const withoutBreaks = await sheets();
    expect(withBreaks > withoutBreaks && withoutBreaks > 1,
      tag(`the print edition prints to PDF with a page break before each concept (${withBreaks} pages, ${withoutBreaks} without the breaks)`));
  }
  await context.close();
}

try {
  await checkMode("http");
  await checkMode("file");
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall browser checks passed");
