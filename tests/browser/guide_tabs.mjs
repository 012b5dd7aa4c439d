// Browser checks of a guide page on a phone (390 px wide): Adobe tabs become a working
// tablist (click, arrow keys, Home/End, a #link into a tab), the page reads as sections
// without JavaScript, and the guide sidebar, closed at first, opens from its summary.
//
// Run by tests/it/guides_browser.rs:  node tests/browser/guide_tabs.mjs PAGE_URL
// Exit status 0 when every check passes; each failure is printed.
import { createRequire } from "node:module";
import { check, failures, launch } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const url = process.argv[2];
if (!url) {
  console.error("usage: node guide_tabs.mjs PAGE_URL");
  process.exit(2);
}

const browser = await launch();
try {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const page = await (await browser.newContext(phone)).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);

  const tabs = page.getByRole("tab");
  check(await page.getByRole("tablist").count() === 1, "one tablist");
  check(await tabs.count() === 3, `three tabs: ${await tabs.allTextContents()}`);
  const selected = async () =>
    page.locator("[role=tab][aria-selected=true]").allTextContents();
  const shownPanels = async () =>
    page.locator("[role=tabpanel]:visible").allTextContents();
  check(JSON.stringify(await selected()) === '["macOS"]', `first tab selected: ${await selected()}`);
  let shown = await shownPanels();
  check(shown.length === 1 && shown[0].includes("brew"), `only the first panel shown: ${shown}`);

  await page.getByRole("tab", { name: "Windows" }).tap();
  shown = await shownPanels();
  check(JSON.stringify(await selected()) === '["Windows"]', "a tap selects the tab");
  check(shown.length === 1 && shown[0].includes("winget"), `its panel is the one shown: ${shown}`);
  const panel = page.getByRole("tabpanel");
  check(await panel.getAttribute("aria-labelledby") === await page.getByRole("tab", { name: "Windows" }).getAttribute("id"),
    "the panel is labelled by its tab");

  await page.getByRole("tab", { name: "Windows" }).focus();
  await page.keyboard.press("ArrowRight");
  check(JSON.stringify(await selected()) === '["Linux"]', "ArrowRight moves to the next tab");
  check(await page.evaluate(() => document.activeElement.textContent) === "Linux", "and focuses it");
  await page.keyboard.press("ArrowRight");
  check(JSON.stringify(await selected()) === '["macOS"]', "ArrowRight wraps to the first");
  await page.keyboard.press("End");
  check(JSON.stringify(await selected()) === '["Linux"]', "End goes to the last");
  await page.keyboard.press("Home");
  check(JSON.stringify(await selected()) === '["macOS"]', "Home goes to the first");
  await page.keyboard.press("ArrowLeft");
  check(JSON.stringify(await selected()) === '["Linux"]', "ArrowLeft wraps to the last");
  const tabIndexes = await tabs.evaluateAll((ts) => ts.map((t) => t.tabIndex));
  check(JSON.stringify(tabIndexes) === "[-1,-1,0]", `only the selected tab is in the tab order: ${tabIndexes}`);

  // A link to a heading inside a tab shows that tab.
  const windowsId = await page.locator(".afm-tab-title", { hasText: "Windows" }).getAttribute("id");
  await page.goto(`${url}#${windowsId}`);
  check(JSON.stringify(await selected()) === '["Windows"]', `#${windowsId} opens its tab`);

  // The guide sidebar: closed on a phone, opened from its summary.
  await page.goto(url);
  const nav = page.locator("details.guide-nav");
  check(!(await nav.evaluate((d) => d.open)), "the guide sidebar starts closed on a phone");
  check(!(await page.locator("details.guide-nav nav a").first().isVisible()), "its links are hidden");
  await page.locator("details.guide-nav > summary").tap();
  check(await nav.evaluate((d) => d.open), "a tap on its summary opens it");
  check(await page.locator("details.guide-nav nav a").first().isVisible(), "its links are visible");
  // A large menu's group that does not hold the page is a link beside its marker, even
  // when its label wraps: not alone on the line after it.
  const branch = await page.evaluate(() => {
    const a = document.querySelector(".guide-nav li.menu-branch > a");
    return a && a.getBoundingClientRect().top - a.parentElement.getBoundingClientRect().top;
  });
  check(branch !== null && branch < 8, `a long group's link starts on its marker's line (${branch} px below its top)`);
  check(errors.length === 0, `no script errors: ${errors}`);

  // Without JavaScript every tab reads as a titled section.
  const plain = await (await browser.newContext({ ...phone, javaScriptEnabled: false })).newPage();
  await plain.goto(url);
  check(await plain.getByRole("tablist").count() === 0, "no tablist without JavaScript");
  const sections = await plain.locator("section.afm-tab:visible").count();
  check(sections === 3, `all three sections shown without JavaScript: ${sections}`);
  check(await plain.locator("h3.afm-tab-title", { hasText: "Windows" }).isVisible(), "with their titles");

  // A table and a code block wider than the phone scroll sideways on their own, and each
  // is reachable by keyboard (axe-core: scrollable-region-focusable); the short code block
  // is not a stop of the keyboard's.
  const other = await (await browser.newContext(phone)).newPage();
  await other.goto(url.replace("/install/", "/other/"));
  const regions = await other.locator(".prose pre, .prose table").evaluateAll((rs) =>
    rs.map((r) => `${r.tagName.toLowerCase()}:${r.scrollWidth > r.clientWidth}:${r.getAttribute("tabindex")}`));
  check(JSON.stringify(regions) === '["table:true:0","table:false:null","pre:true:0","pre:false:null"]', `wide regions focusable, the narrow ones not: ${regions}`);
  // Words longer than the line break: only the wide table and code block scroll, not the page.
  // (The phone's width, not innerWidth: a mobile viewport zooms out to a wider page.)
  const sideways = await other.evaluate(() => document.documentElement.scrollWidth - 390);
  check(sideways <= 0, `the page does not scroll sideways (${sideways} px too wide)`);
  const hash = await other.locator(".prose p code", { hasText: "475a3bca" }).evaluate((c) => c.getClientRects().length);
  check(hash > 1, `the hash in code breaks onto ${hash} lines`);
  // The table of names in code fits the phone, its prose column the wider.
  const names = await other.locator(".prose table").nth(1).evaluate((t) => {
    const cells = t.querySelectorAll("tr:nth-child(1) td");
    return { table: t.getBoundingClientRect().width, prose: cells[2].getBoundingClientRect().width };
  });
  check(names.prose >= names.table / 2, `the prose column has ${Math.round(names.prose)} px of the table's ${Math.round(names.table)}`);
  // An author's `class="card"` in the text is not the theme's card: no box on its links;
  // the theme's own cards (the home's guides) keep theirs.
  const borders = await other.locator(".prose .card a").evaluateAll((as) =>
    as.map((a) => getComputedStyle(a).borderTopWidth));
  check(borders.length === 2 && borders.every((b) => b === "0px"), `an author's card's links are not boxed: ${borders}`);
  const home = await (await browser.newContext(phone)).newPage();
  await home.goto(url.replace(/help\/demo\/install\/index\.html$/, "index.html"));
  const own = await home.locator(".cards .card a").evaluateAll((as) =>
    as.map((a) => getComputedStyle(a).borderTopWidth));
  check(own.length > 0 && own.every((b) => b === "1px"), `the theme's cards are boxed: ${own}`);
  await home.close();
  await other.keyboard.press("Tab");
  const stops = [];
  for (let i = 0; i < 12 && stops.length < 2; i++) {
    const tag = await other.evaluate(() => document.activeElement && document.activeElement.tagName);
    if (tag === "TABLE" || tag === "PRE") stops.push(tag);
    await other.keyboard.press("Tab");
  }
  check(JSON.stringify(stops) === '["TABLE","PRE"]', `Tab reaches the table, then the code: ${stops}`);
  await other.addScriptTag({ path: axePath });
  const violations = await other.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id));
  check(violations.length === 0, `axe on the page with wide regions at 390 px: ${violations.join(", ") || "no violations"}`);
} finally {
  await browser.close();
}

if (failures.length) {
  console.log(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
