// Browser checks of a checklist page split into parts, opened from file:// (where fetch
// does not work): a tick on one part counts in the site-wide progress of every part, the
// CSV export holds every item of the language, and axe-core finds no violation.
//
// Run by tests/browser.rs:  node tests/browser/checklist_parts.mjs file:///.../public/
// Exit status 0 when every check passes; each failure is printed.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { check, failures, launch } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const base = process.argv[2];
const total = Number(process.argv[3]);
if (!base || !total) {
  console.error("usage: node checklist_parts.mjs BASE_URL ITEMS");
  process.exit(2);
}

const browser = await launch();

try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const summary = () => page.locator(".checklist-summary .progress-text").textContent();
  const bar = () => page.locator(".checklist-summary progress").evaluate((p) => [p.value, p.max]);

  // On the second part: the summary counts every item of the language, once the ids
  // script has run; ticking a box counts at once.
  await page.goto(new URL("fr/checklist/2/index.html", base).href);
  await page.waitForFunction(() => window.equipeChecklistIds);
  // Built hidden (without the script, no part knows the language's count): shown once counted.
  check(await page.locator(".checklist-summary .progress").isVisible(), "part 2's summary shows once counted");
  check(JSON.stringify(await bar()) === JSON.stringify([1, total]), `part 2 starts at 1 of ${total}: ${await bar()}`);
  const box = page.locator("input.check").first();
  const id = await box.getAttribute("data-check");
  await box.check();
  check(JSON.stringify(await bar()) === JSON.stringify([2, total]), `a tick on part 2 counts: ${await summary()}`);

  // The first part, reached by its link in the folded list of parts, shows the tick of
  // the second in its summary.
  check(!(await page.locator(".checklist-parts a").first().isVisible()), "the list of parts is folded");
  await page.locator(".checklist-parts summary").click();
  await page.locator(".checklist-parts a").first().click();
  await page.waitForFunction(() => window.equipeChecklistIds);
  check(page.url().endsWith("fr/checklist/index.html"), `the parts list leads to part 1: ${page.url()}`);
  check(JSON.stringify(await bar()) === JSON.stringify([2, total]), `part 1 counts the tick made on part 2: ${await summary()}`);
  check(!(await page.locator(`input.check[data-check="${id}"]`).count()), "the ticked item is not on part 1");

  // CSV export from part 1: every item of the language once, the tick as done.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-checklist-export=csv]").click(),
  ]);
  const lines = (await readFile(await download.path(), "utf8")).trim().split("\r\n");
  check(lines.length - 1 === total, `CSV has every item of the language: ${lines.length - 1} of ${total}`);
  check(new Set(lines).size === lines.length, "CSV has no line twice");
  check(lines.some((l) => l.startsWith(`"${id}",`) && l.endsWith(',"yes"')), `CSV has ${id} (ticked on part 2) as done`);
  check(lines.filter((l) => l.endsWith(',"yes"')).length === 2, "CSV: the ticked item and the one done by default");
  check(errors.length === 0, `no JavaScript errors ${errors.join("; ")}`);

  // Accessibility of a part, with its list of parts and its link to the next.
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return { passes: r.passes.length, violations: r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`) };
  });
  check(result.passes > 10 && result.violations.length === 0, `axe part 1: ${result.violations.join("; ")}`);
  await context.close();
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log("FAIL", e);
} finally {
  await browser.close();
}

console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
