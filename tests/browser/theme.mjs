// Browser checks of the default theme at desktop and phone widths, light and dark:
// one header row, the phone menu, search results inside the screen (French and a
// right-to-left language), checkbox target sizes, axe-core in both colour schemes, and
// the 404 page under `equipe serve` (a deep unknown address) and from file://.
//
// Run by tests/it/theme.rs:  node tests/browser/theme.mjs SERVE_URL BUILT_OUTPUT_DIR
// Exit status 0 when every check passes; each failure is printed.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { check, failures, launch } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const [base, built] = process.argv.slice(2);
if (!base || !built) {
  console.error("usage: node theme.mjs SERVE_URL BUILT_OUTPUT_DIR");
  process.exit(2);
}

const browser = await launch();
const open = async (url, width, options = {}) => {
  const context = await browser.newContext({
    viewport: { width, height: width >= 1024 ? 900 : 844 },
    colorScheme: options.dark ? "dark" : "light",
    javaScriptEnabled: options.js !== false,
  });
  const page = await context.newPage();
  const response = await page.goto(url);
  return { page, response, close: () => context.close() };
};

try {
  // One header row at desktop widths, whatever the language's label lengths.
  for (const path of ["fr/", "fr/roles/chef-de-projet/", "en/checklist/", "ar/"]) {
    const { page, close } = await open(base + path, 1280);
    const h = await page.locator(".site-header").evaluate((e) => e.getBoundingClientRect().height);
    check(h <= 64, `header at 1280 px on ${path}: ${h} px high`);
    const navVisible = await page.locator(".site-nav").isVisible();
    const button = await page.locator(".site-menu > summary").isVisible();
    check(navVisible && !button, `${path} at 1280 px: menu in the header row, no menu button`);
    // The search box's placeholder is read whole ("Rechercher dans le site" was cut
    // after "sit").
    const fit = await page.locator("#search-input").evaluate((input) => {
      const style = getComputedStyle(input);
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = style.font;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: Math.ceil(ctx.measureText(input.placeholder).width), room: Math.floor(room) };
    });
    check(fit.text <= fit.room, `${path} at 1280 px: the search placeholder needs ${fit.text} px, has ${fit.room}`);
    await close();
    // At the narrowest width with the menu in the header row, the title and the search box
    // give up room before the menu: every entry is seen, none scrolled out of sight.
    const narrow = await open(base + path, 1024);
    const nav = await narrow.page.locator(".site-nav").evaluate((e) => ({ needs: e.scrollWidth, has: e.clientWidth }));
    // (scrollWidth rounds a fraction of a pixel up, clientWidth down.)
    check(nav.needs <= nav.has + 1, `${path} at 1024 px: the menu needs ${nav.needs} px, has ${nav.has}`);
    await narrow.close();
  }

  // The phone menu: closed with JavaScript until the button is pressed; open without.
  {
    const { page, close } = await open(base + "fr/", 390);
    check(!(await page.locator(".site-nav").isVisible()), "390 px: the menu starts closed");
    await page.locator(".site-menu > summary").click();
    check(await page.locator(".site-nav").isVisible(), "390 px: the menu button opens the menu");
    await close();
    const nojs = await open(base + "fr/", 390, { js: false });
    check(await nojs.page.locator(".site-nav").isVisible(), "390 px without JavaScript: the menu is open");
    await nojs.page.locator(".site-menu > summary").click();
    check(!(await nojs.page.locator(".site-nav").isVisible()), "390 px without JavaScript: the button closes it");
    await nojs.close();
  }

  // The table of contents: beside the text and open at 1280 px; before the text on a
  // phone, folded to one line with JavaScript (open without), unfolded by a tap.
  {
    const path = base + "fr/roles/chef-de-projet/";
    const toc = ".toc-fold > ul";
    const wide = await open(path, 1280);
    check(await wide.page.locator(toc).isVisible(), "1280 px: the table of contents is open");
    await wide.close();
    const phone = await open(path, 390);
    check(!(await phone.page.locator(toc).isVisible()), "390 px: the table of contents starts folded");
    const height = await phone.page.locator(".toc").evaluate((e) => e.getBoundingClientRect().height);
    check(height <= 64, `390 px: the folded table of contents is one line (${Math.round(height)} px)`);
    await phone.page.locator(".toc-fold > summary").click();
    check(await phone.page.locator(toc).isVisible(), "390 px: a tap unfolds the table of contents");
    await phone.close();
    const nojs = await open(path, 390, { js: false });
    check(await nojs.page.locator(toc).isVisible(), "390 px without JavaScript: the table of contents is open");
    await nojs.close();
  }

  // Search results inside the viewport, in both reading directions, at both widths.
  for (const [path, query] of [["fr/", "chef"], ["ar/", "مدير"]]) {
    for (const width of [1280, 390]) {
      const { page, close } = await open(base + path, width);
      if (width < 1024) await page.locator(".site-menu > summary").click();
      await page.locator("#search-input").fill(query);
      const list = page.locator(".search-results");
      await list.waitFor({ state: "visible", timeout: 5000 });
      const box = await list.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, vw: document.documentElement.clientWidth, n: e.children.length };
      });
      check(box.n > 0 && box.left >= 0 && box.right <= box.vw,
        `search results of "${query}" on ${path} at ${width} px: ${box.n} shown, ${Math.round(box.left)}..${Math.round(box.right)} within 0..${box.vw}`);
      await close();
    }
  }

  // Checkboxes are targets of 24 px at least (WCAG 2.2, 2.5.8).
  for (const path of ["fr/checklist/", "fr/roles/chef-de-projet/", "fr/teams/entrepot/"]) {
    for (const width of [1280, 390]) {
      const { page, close } = await open(base + path, width);
      const sizes = await page.locator("input[type=checkbox]").evaluateAll((boxes) =>
        boxes.map((b) => { const r = b.getBoundingClientRect(); return Math.min(r.width, r.height); }));
      const smallest = Math.min(...sizes);
      check(sizes.length > 0 && smallest >= 24, `${path} at ${width} px: ${sizes.length} checkboxes, smallest ${smallest} px`);
      await close();
    }
  }

  // The checklist page: a jump list to every group, groups that fold.
  {
    const { page, close } = await open(base + "fr/checklist/", 1280);
    const jumps = await page.locator(".checklist-jump li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const groups = await page.locator(".checklist-group").evaluateAll((gs) => gs.map((g) => "#" + g.id));
    check(jumps.length > 0 && JSON.stringify(jumps) === JSON.stringify(groups), `jump list names the ${groups.length} groups in order`);
    const lefts = await page.locator(".checklist-group input[type=checkbox]").evaluateAll((bs) =>
      [...new Set(bs.map((b) => Math.round(b.getBoundingClientRect().left)))]);
    check(lefts.length === 1, `checkboxes of every group line up: left edges ${lefts.join(", ")}`);
    const first = page.locator(".checklist-group").first();
    await first.locator("summary").click();
    check(!(await first.locator(".checklist").isVisible()), "a group folds when its summary is pressed");
    check(await page.locator(".checklist-jump li a").first().isVisible(), "1280 px: the jump list is open");
    await close();
    // On a phone the jump list, one group a line, starts folded: the checklists come first.
    const phone = await open(base + "fr/checklist/", 390);
    const jump = phone.page.locator(".checklist-jump li a").first();
    check(!(await jump.isVisible()), "390 px: the jump list starts folded");
    await phone.page.locator(".checklist-jump summary").click();
    check(await jump.isVisible(), "390 px: its summary unfolds it");
    await phone.close();
  }

  // Heading anchors: hidden until the heading is hovered or the anchor focused; Tab
  // reaches them, and each is named by its heading.
  {
    const { page, close } = await open(base + "fr/roles/chef-de-projet/", 1280);
    const anchor = page.locator(".prose h2 .anchor").first();
    const hidden = await anchor.evaluate((a) => getComputedStyle(a).color);
    await anchor.focus();
    const shown = await anchor.evaluate((a) => ({
      focused: document.activeElement === a,
      color: getComputedStyle(a).color,
      tabIndex: a.tabIndex,
      name: document.getElementById(a.getAttribute("aria-labelledby"))?.textContent.replace("#", "").trim(),
    }));
    check(hidden === "rgba(0, 0, 0, 0)" && shown.focused && shown.tabIndex === 0 && shown.color !== hidden,
      `a heading anchor is reachable with Tab and shows on focus (${hidden} -> ${shown.color})`);
    check(shown.name && shown.name.length > 0, `a heading anchor is named by its heading (${shown.name})`);
    await close();
  }

  // The table of contents follows the reader in the right column at 1280 px.
  {
    const { page, close } = await open(base + "fr/roles/chef-de-projet/", 1280);
    await page.mouse.wheel(0, 2000);
    await page.waitForTimeout(200);
    const toc = await page.locator(".toc").evaluate((e) => {
      const r = e.getBoundingClientRect();
      const prose = document.querySelector(".prose").getBoundingClientRect();
      return { top: r.top, left: r.left, proseRight: prose.right };
    });
    check(toc.top >= 0 && toc.top < 100 && toc.left > toc.proseRight,
      `toc sticky at the right of the text after scrolling (top ${Math.round(toc.top)}, left ${Math.round(toc.left)} > ${Math.round(toc.proseRight)})`);
    await close();
  }

  // On a phone no page scrolls sideways: not for a heading whose last word ends the line,
  // whose `#` anchor comes after it (it widened the page by 4 px).
  for (const path of ["fr/", "fr/equipe/", "fr/roles/chef-de-projet/", "fr/teams/entrepot/", "fr/checklist/", "ar/", "en/"]) {
    const { page, close } = await open(base + path, 390);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(sideways <= 0, `390 px: ${path} does not scroll sideways (${sideways} px too wide)`);
    await close();
  }

  // axe-core: zero violations, light and dark at 1280 px, and light on a phone (the
  // menu button, the folded table of contents, the guide menu).
  for (const [dark, width] of [[false, 1280], [true, 1280], [false, 390]]) {
    for (const path of ["fr/", "fr/roles/chef-de-projet/", "fr/teams/entrepot/", "fr/checklist/", "ar/", "en/"]) {
      const { page, close } = await open(base + path, width, { dark });
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return {
          passes: r.passes.length,
          violations: r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
        };
      });
      const scheme = (dark ? "dark" : "light") + (width < 1024 ? ` ${width} px` : "");
      if (dark) {
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        check(bg !== "rgb(255, 255, 255)", `dark ${path}: the page is dark (${bg})`);
      }
      check(result.passes > 10 && result.violations.length === 0,
        `axe ${scheme} ${path}: ${result.passes} rules pass, ${result.violations.length} violations${result.violations.length ? "\n      " + result.violations.join("\n      ") : ""}`);
      await close();
    }
  }

  // The 404 page: styled, with links that lead to existing pages.
  const styled = (page) => page.evaluate(() => ({
    // A loaded stylesheet has a `sheet` (its rules are not readable from file://) and
    // draws the theme's frames around each language's text.
    sheets: [...document.querySelectorAll("link[rel=stylesheet]")].filter((l) => l.sheet).length,
    font: getComputedStyle(document.body).fontFamily,
    framed: getComputedStyle(document.querySelector(".language-option")).borderTopStyle === "solid",
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  }));
  {
    const { page, response, close } = await open(base + "fr/roles/pas/la/du/tout/", 1280);
    check(response.status() === 404, `serve: a deep unknown address answers 404 (${response.status()})`);
    const s = await styled(page);
    check(s.sheets === 1 && s.framed && !/times/i.test(s.font), `serve: the 404 page is styled (${s.sheets} stylesheet, ${s.font})`);
    for (const href of s.links) {
      const status = (await page.request.get(href)).status();
      check(href.startsWith(base) && status === 200, `serve: 404 link ${href} answers ${status}`);
    }
    await close();
  }
  {
    const url = pathToFileURL(join(built, "404.html")).href;
    const { page, close } = await open(url, 390);
    const s = await styled(page);
    check(s.sheets === 1 && s.framed && !/times/i.test(s.font), `file://: the 404 page is styled (${s.sheets} stylesheet, ${s.font})`);
    check(s.links.length > 0, `file://: the 404 page has ${s.links.length} links`);
    for (const href of s.links) {
      const file = href.startsWith("file:") ? fileURLToPath(href) : "";
      const target = file.endsWith("/") ? join(file, "index.html") : file;
      check(existsSync(target), `file://: 404 link ${href} leads to a file`);
    }
    await close();
  }
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log("FAIL", e);
} finally {
  await browser.close();
}

console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
