// The live preview in headless Chromium against a running `framewright serve`: an edit
// reloads the open page at the same scroll position; a broken edit shows the error
// overlay naming path:line over the last good page; fixing the file clears it; and no
// page logs a console error.
//
//   node tests/browser/live.mjs SERVER_URL PROJECT_DIR ARTIFACTS_DIR
//
// PROJECT_DIR is the project being served (a copy of tests/fixtures/basic): this script
// edits content/identify/asset-management.md and puts it back. Exits 1 with a list of
// failures; screenshots of the page at each failure go to ARTIFACTS_DIR.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { CHROMIUM, CHROMIUM_ARGS } from "./static-server.mjs";

const [server, project, artifacts] = process.argv.slice(2);
if (!server || !project || !artifacts) {
  console.error("usage: live.mjs SERVER_URL PROJECT_DIR ARTIFACTS_DIR");
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });
const failures = [];
let page;
async function expect(cond, what) {
  if (cond) { console.log("ok   " + what); return; }
  failures.push(what);
  console.log("FAIL " + what);
  const shot = path.join(artifacts, "live-" + failures.length + ".png");
  await page.screenshot({ path: shot }).catch(() => {});
}

const file = path.join(project, "content/identify/asset-management.md");
const original = fs.readFileSync(file, "utf8");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  // A phone-sized window, so that the category page (its table as cards) scrolls.
  const context = await browser.newContext({ viewport: { width: 390, height: 400 } });
  page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const url = server.replace(/\/?$/, "/") + "identify/asset-management/";
  await page.goto(url, { waitUntil: "load" });
  // The reload script connects over Server-Sent Events: wait for its first message.
  await page.waitForTimeout(500);

  // 1. An edit reloads the page where it was.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const target = Math.min(600, height - 500);
  await page.evaluate((y) => window.scrollTo(0, y), target);
  await page.waitForTimeout(100);
  let reloaded = page.waitForEvent("load", { timeout: 20000 });
  fs.writeFileSync(file, original.replace("Devices are inventoried.", "Every crane controller is listed."));
  await reloaded.catch(() => {});
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(200);
  const text = await page.evaluate(() => document.body.textContent);
  await expect(text.includes("Every crane controller is listed."), "an edit reloads the open page with the new text");
  const y = await page.evaluate(() => window.scrollY);
  await expect(target >= 200 && Math.abs(y - target) <= 2, `the reload keeps the scroll position (${y} after ${target})`);

  // 2. A broken edit shows the error over the last good page, naming path:line.
  fs.writeFileSync(file, original.replace("related: [PR.DS-01]", "related: [PR.DS-99]"));
  const overlay = await page.waitForSelector("#framewright-error-overlay", { timeout: 20000 }).catch(() => null);
  const message = overlay ? await overlay.textContent() : "";
  await expect(/content\/identify\/asset-management\.md:20(:\d+)?/.test(message) && message.includes("PR.DS-99"),
    `a broken edit shows the overlay naming path:line (${message.slice(0, 200).replace(/\s+/g, " ")})`);
  await expect(await page.evaluate(() => document.body.textContent.includes("Every crane controller is listed.")),
    "the last good page stays under the overlay");

  // 3. Fixing the file clears the overlay (the page reloads with the good build).
  reloaded = page.waitForEvent("load", { timeout: 20000 });
  fs.writeFileSync(file, original);
  await reloaded.catch(() => {});
  await page.waitForTimeout(300);
  await expect(await page.$("#framewright-error-overlay") === null, "fixing the file clears the overlay");
  await expect(await page.evaluate(() => document.body.textContent.includes("Devices are inventoried.")),
    "the fixed text is shown");

  // 4. Nothing went wrong in the page itself.
  await expect(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
}
if (failures.length) {
  console.log(`\n${failures.length} live preview check(s) failed`);
  process.exit(1);
}
console.log("\nall live preview checks passed");
