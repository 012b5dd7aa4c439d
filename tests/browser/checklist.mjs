// Browser checks of the built example site: checklists that persist, progress, reset,
// export, no-JavaScript fallback, and axe-core accessibility on the main page types.
//
// Run by tests/browser.rs:  node tests/browser/checklist.mjs http://127.0.0.1:PORT/
// Exit status 0 when every check passes; each failure is printed.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { check, failures, launch } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const base = process.argv[2];
if (!base) {
  console.error("usage: node checklist.mjs BASE_URL");
  process.exit(2);
}

const browser = await launch();

try {
  // Where things are, from the site's own export rather than hard-coded slugs.
  // checklists.json lists groups, each with its items: one item per entry here.
  const exported = await (await fetch(new URL("checklists.json", base))).json();
  exported.items = exported.groups.flatMap((group) =>
    group.items.map((item) => ({ ...item, language: group.language, group, path: group.path })));
  const pathOf = (key, lang) =>
    exported.items.find((i) => i.group.key === key && i.language === lang)?.path;
  const shared = exported.items.find((i) => i.group.kind === "team");
  check(shared && exported.items.filter((i) => i.id === shared.id).length >= 2,
    `checklists.json has item ${shared?.id} in more than one language`);
  const teamKey = shared.group.key;
  const roleKey = exported.items.find((i) => i.group.kind === "role").group.key;
  const url = (path) => new URL(path, base).href;
  const pages = {
    frHome: url("fr/index.html"), enHome: url("en/index.html"),
    frChecklist: url("fr/checklist/index.html"), enChecklist: url("en/checklist/index.html"),
    frTeam: url(pathOf(teamKey, "fr")), enTeam: url(pathOf(teamKey, "en")),
    frRole: url(pathOf(roleKey, "fr")), enRole: url(pathOf(roleKey, "en")),
  };

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const box = (id) => page.locator(`input.check[data-check="${id}"]`).first();
  const total = () => page.locator(".checklist-summary .progress-text").textContent();

  // Tick, reload, still ticked; the progress text follows.
  await page.goto(pages.frChecklist);
  const before = await total();
  check(!(await box(shared.id).isChecked()), "item starts unticked");
  check(await page.locator("[data-checklist-actions]").isVisible(), "reset and export buttons shown with JavaScript");
  await box(shared.id).check();
  const after = await total();
  check(before !== after && /\b1\b/.test(after), `progress text changes: "${before}" -> "${after}"`);
  const groupText = await page.locator(`.checklist-group:has([data-check="${shared.id}"]) .progress-text`).textContent();
  check(/^\s*1\b/.test(groupText), `group progress counts the tick: "${groupText}"`);
  const bar = await page.locator(".checklist-summary progress").evaluate((p) => [p.value, p.max]);
  check(bar[0] === 1 && bar[1] === exported.items.filter((i) => i.language === "fr").length,
    `progress bar value/max ${bar}`);
  await page.reload();
  check(await box(shared.id).isChecked(), "tick survives a reload");
  check((await total()) === after, "progress survives a reload");
  const keys = await page.evaluate(() => Object.keys(localStorage));
  check(keys.some((k) => k.includes(exported.site) && k.endsWith(":" + shared.id)),
    `localStorage key holds the site identity and the item id: ${keys.join(", ")}`);

  // The same item elsewhere: the English checklist page, team page and a role page.
  for (const [name, target] of [["English checklist", pages.enChecklist], ["English team", pages.enTeam], ["French team", pages.frTeam]]) {
    await page.goto(target);
    check(await box(shared.id).isChecked(), `${name} page shows the same item ticked`);
  }
  // Tick in English, see it in French.
  const roleItem = exported.items.find((i) => i.group.key === roleKey && i.language === "en");
  await page.goto(pages.enRole);
  await box(roleItem.id).check();
  await page.goto(pages.frRole);
  check(await box(roleItem.id).isChecked(), "a box ticked on the English role page is ticked on the French one");
  // Untick on one page, unticked everywhere.
  await box(roleItem.id).uncheck();
  await page.goto(pages.enRole);
  check(!(await box(roleItem.id).isChecked()), "unticking carries across languages too");
  await box(roleItem.id).check();

  // Export: a JSON download with the ticked items.
  await page.goto(pages.enChecklist);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-checklist-export]:not([data-checklist-export=csv])").click(),
  ]);
  const data = JSON.parse(await readFile(await download.path(), "utf8"));
  check(data.site === exported.site && data.items[shared.id] === true && data.items[roleItem.id] === true,
    `export holds the ticks: ${JSON.stringify(data.items)}`);
  // The same as CSV, one line per item of the page, for a spreadsheet.
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-checklist-export=csv]").click(),
  ]);
  const csv = await readFile(await csvDownload.path(), "utf8");
  const lines = csv.trim().split("\r\n");
  check(lines[0] === '"id","text","done"', `CSV header: ${lines[0]}`);
  check(lines.some((l) => l.startsWith(`"${shared.id}",`) && l.endsWith(',"yes"')), "CSV has the ticked item as done");
  check(lines.length - 1 === exported.items.filter((i) => i.language === "en").length, `CSV has every item once: ${lines.length - 1}`);

  // Reset: dismissing the confirmation keeps the ticks; accepting clears them.
  page.once("dialog", (d) => d.dismiss());
  await page.locator("[data-checklist-reset]").click();
  check(await box(shared.id).isChecked(), "reset cancelled keeps the ticks");
  let message = "";
  page.once("dialog", (d) => { message = d.message(); d.accept(); });
  await page.locator("[data-checklist-reset]").click();
  check(message.length > 0, `reset asks first: "${message}"`);
  check(!(await box(shared.id).isChecked()), "reset clears the ticks");
  check(/^\s*0\b/.test(await total()), `progress back to zero: "${await total()}"`);
  await page.goto(pages.frChecklist);
  check(!(await box(shared.id).isChecked()) && !(await box(roleItem.id).isChecked()), "reset holds after loading another page");
  check(errors.length === 0, `no JavaScript errors ${errors.join("; ")}`);
  await context.close();

  // Without JavaScript: plain checkboxes, no dead buttons.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(pages.frChecklist);
  const count = await plain.locator("input.check").count();
  check(count === exported.items.filter((i) => i.language === "fr").length, `without JavaScript every item is a checkbox (${count})`);
  check(!(await plain.locator("[data-checklist-actions]").isVisible()), "without JavaScript the buttons are hidden");
  await plain.locator("input.check").first().check();
  check(await plain.locator("input.check").first().isChecked(), "without JavaScript a box can still be ticked");
  await noJs.close();

  // The team map on the home pages: every role a row that links to its page, named for
  // screen readers with its relations; every outside team a column.
  const mapPage = await browser.newPage();
  for (const home of [pages.frHome, pages.enHome]) {
    await mapPage.goto(home);
    // Two drawings, wide and narrow: CSS shows the one that fits.
    const svg = mapPage.locator("svg.team-map-svg:visible");
    check(await svg.count() === 1, `${home}: one team map shown on a wide screen`);
    const links = await svg.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const cards = await mapPage.locator(".role-card a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    check(links.length > 0 && cards.every((c) => links.includes(c)), `${home}: every role card is a row of the map (${links.length})`);
    const teams = await mapPage.locator(".team-card").count();
    check(await svg.locator(".map-column-team").count() === teams, `${home}: every outside team is a column of the map`);
    // Keyboard: Tab reaches the rows in order, and a focused row names its relations.
    await svg.locator("a").first().focus();
    const named = await mapPage.evaluate(() => document.activeElement.getAttribute("aria-label"));
    check(named && named.includes(":"), `${home}: a focused row says its relations (${named})`);
    await mapPage.keyboard.press("Tab");
    const second = await mapPage.evaluate(() => document.activeElement.getAttribute("href"));
    check(second === links[1], `${home}: Tab goes to the next row`);
    const box = await svg.boundingBox();
    check(box && box.width > 300, `${home}: the map has room (${box?.width}px wide)`);
    const first = links[0];
    await svg.locator("a").first().click();
    check(mapPage.url() === new URL(first, home).href, `${home}: a node leads to its page`);
  }
  // A phone: the narrow drawing fits the screen, nothing scrolls sideways, and its text
  // is drawn at 12 px or more.
  await mapPage.setViewportSize({ width: 390, height: 844 });
  await mapPage.goto(pages.frHome);
  const overflow = await mapPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `phone: the page itself does not scroll sideways (${overflow}px)`);
  const narrow = mapPage.locator("svg.team-map-svg:visible");
  check(await narrow.count() === 1 && (await narrow.getAttribute("aria-labelledby")) === "team-map-narrow-title",
    "phone: the narrow team map is the one shown");
  const fits = await narrow.evaluate((svg) => {
    const frame = svg.closest(".team-map-frame");
    const text = svg.querySelector(".map-row-label");
    const rendered = text.getBoundingClientRect().height / text.getBBox().height * parseFloat(getComputedStyle(text).fontSize);
    return { fits: frame.scrollWidth <= frame.clientWidth, px: rendered };
  });
  check(fits.fits, "phone: the map fits its frame without scrolling");
  check(fits.px >= 11.95, `phone: map labels are drawn at ${fits.px.toFixed(1)}px`);
  await mapPage.close();

  // Accessibility: axe-core, zero violations.
  const axePage = await browser.newPage();
  for (const [name, target] of Object.entries(pages)) {
    await axePage.goto(target);
    await axePage.addScriptTag({ path: axePath });
    const result = await axePage.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return {
        passes: r.passes.length,
        violations: r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
      };
    });
    const found = result.violations;
    check(result.passes > 10 && found.length === 0,
      `axe ${name}: ${result.passes} rules pass, ${found.length} violations${found.length ? "\n      " + found.join("\n      ") : ""}`);
  }
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log("FAIL", e);
} finally {
  await browser.close();
}

console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
