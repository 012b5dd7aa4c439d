import { createRequire } from "node:module";
import { launch } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const root = process.argv[2]; const every = parseInt(process.argv[3] || "10");
const files = [];
(function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name === "index.html") files.push(p); } })(root);
files.sort();
const browser = await launch();
const counts = {};
for (const width of [1280, 390]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  for (let i = 0; i < files.length; i += every) {
    await page.goto("file://" + files[i]);
    await page.addScriptTag({ path: axePath });
    const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => `${v.id}: ${v.nodes.slice(0,2).map((n) => n.target.join(" ")).join(" | ")}`));
    for (const x of v) { const id = x.split(":")[0]; counts[id] = (counts[id] || 0) + 1; if (counts[id] <= 2) console.log(width, files[i].slice(root.length), x.slice(0, 200)); }
  }
  await ctx.close();
}
console.log(JSON.stringify(counts));
await browser.close();
