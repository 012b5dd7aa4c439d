// The dev server in a real browser, as a writer uses it: edit a role page (saved the
// way vim saves: write a temporary file, rename it over), edit a stylesheet (swapped
// without a reload), edit a template, break the YAML (an overlay says where), fix it
// (the overlay goes). The page follows every step without a manual reload.
//
// Run by tests/live_reload.rs:  node tests/browser/live_reload.mjs BASE_URL SITE_DIR
import { readFile, writeFile, rename, mkdir } from "node:fs/promises";
import path from "node:path";
import { check, failures, launch } from "./harness.mjs";

const [base, site] = process.argv.slice(2);
if (!base || !site) {
  console.error("usage: node live_reload.mjs BASE_URL SITE_DIR");
  process.exit(2);
}

// vim's way: write beside, then rename over the original.
async function saveLikeVim(file, text) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  await writeFile(temp, text);
  await rename(temp, file);
}

async function waitFor(page, what, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: 15000, polling: 50 });
    check(true, what);
  } catch (e) {
    check(false, `${what}: ${e.message.split("\n")[0]}`);
  }
}

const browser = await launch();
try {
  const page = await browser.newPage();
  const rolePath = path.join(site, "content/roles/project-manager.fr.md");
  const original = await readFile(rolePath, "utf8");
  await page.goto(new URL("fr/roles/chef-de-projet/", base).href);
  check((await page.locator("h1").textContent()).trim() === "Chef de projet", "role page served");
  // Wait until the live-reload stream is connected before the first edit.
  await page.waitForTimeout(300);

  // 1. Edit the Markdown, saved with a rename over the file.
  await saveLikeVim(rolePath, original + "\nUn paragraphe ajouté en direct.\n");
  await waitFor(page, "the edit shows without a manual reload",
    () => document.body.innerText.includes("Un paragraphe ajouté en direct."));

  // 2. A stylesheet edit is swapped in place: the page is not reloaded.
  await page.evaluate(() => { window.__notReloaded = true; });
  const themeCss = await readFile(path.join(site, "themes-copy/style.css"), "utf8");
  await mkdir(path.join(site, "static/assets"), { recursive: true });
  await writeFile(path.join(site, "static/assets/style.css"), themeCss + "\nbody { outline: 3px solid rgb(200, 0, 0); }\n");
  await waitFor(page, "the stylesheet change applies",
    () => getComputedStyle(document.body).outlineStyle === "solid");
  check(await page.evaluate(() => window.__notReloaded === true), "the page was not reloaded for a CSS change");

  // 3. A template edit reloads the page with the new template.
  const roleTemplate = await readFile(path.join(site, "themes-copy/role.html"), "utf8");
  await mkdir(path.join(site, "templates"), { recursive: true });
  await writeFile(path.join(site, "templates/role.html"),
    roleTemplate.replace("{% block content %}", '{% block content %}<p id="template-marker">modèle modifié</p>'));
  await waitFor(page, "the template edit shows", () => !!document.getElementById("template-marker"));

  // 4. Broken YAML: the page stays, an overlay names the file and line.
  await saveLikeVim(rolePath, original.replace(/^title: .*$/m, "title: [pas fermé"));
  await waitFor(page, "an overlay shows the error",
    () => { const o = document.getElementById("equipe-errors"); return !!o && o.innerText.includes("project-manager.fr.md:"); });
  check((await page.locator("h1").first().textContent()).includes("Chef de projet"), "the last good page is still shown under the overlay");

  // 5. The fix removes the overlay and shows the new title.
  await saveLikeVim(rolePath, original.replace(/^title: .*$/m, "title: Cheffe de projet"));
  await waitFor(page, "the fix removes the overlay and shows the change",
    () => !document.getElementById("equipe-errors") && document.querySelector("h1").textContent.includes("Cheffe de projet"));
} catch (e) {
  check(false, `unexpected: ${e.stack || e}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} live reload check(s) failed`);
  process.exit(1);
}
