#!/usr/bin/env python3
"""Prints the `crate::` graph between the top-level modules of src/ (code lines only, not
doc comments, not unit tests), its cycles, and the imports that go against the layer order
of pipeline.rs. Run from the repository root: `python3 tools/module_graph.py`."""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else "src"
mods = {}
for dp, dn, fn in os.walk(root):
    for f in fn:
        if not f.endswith(".rs"): continue
        p = os.path.join(dp, f)
        rel = os.path.relpath(p, root)
        top = rel.split(os.sep)[0].removesuffix(".rs")
        if top in ("lib", "main"): continue
        txt = open(p).read()
        # drop #[cfg(test)] mod tests blocks roughly: cut at "#[cfg(test)]\nmod tests"
        i = txt.find("#[cfg(test)]\nmod tests")
        if i >= 0: txt = txt[:i]
        # Code only: a doc comment naming a module is not an import.
        txt = "\n".join(l for l in txt.split("\n") if not l.lstrip().startswith("//"))
        deps = mods.setdefault(top, set())
        # crate::x paths, including in `use crate::{a, b::c}`
        for m in re.finditer(r"crate::\{([^;]*?)\};", txt, re.S):
            for part in re.split(r",(?![^{]*\})", m.group(1)):
                name = part.strip().split("::")[0].strip()
                if name and name not in ("self",): deps.add(name)
        for m in re.finditer(r"crate::([a-z_][a-z0-9_]*)", txt):
            deps.add(m.group(1))
        # binary: equipe::x
        for m in re.finditer(r"equipe::([a-z_][a-z0-9_]*)", txt):
            deps.add("lib:" + m.group(1))
        deps.discard(top)
for k in sorted(mods):
    print(f"{k:14} -> {', '.join(sorted(d for d in mods[k] if d in mods or d.startswith('lib:')))}")
# cycles via Tarjan SCC
idx = {}; low = {}; st = []; on = set(); sccs = []; c = [0]
def sc(v):
    idx[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
    for w in mods.get(v, ()):
        if w not in mods: continue
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        s = []
        while True:
            w = st.pop(); on.discard(w); s.append(w)
            if w == v: break
        if len(s) > 1: sccs.append(sorted(s))
sys.setrecursionlimit(10000)
for v in sorted(mods):
    if v not in idx: sc(v)
print("cycles (strongly connected groups):", sccs if sccs else "none")
# Upward imports: the order of layers, bottom first (modules of one layer may not import each other upward either).
ORDER = ["diagnostics", "typography", "sanitize", "yaml", "json_text", "hash", "chunked", "mapped", "swap", "files", "text",
         "checklist_item", "config", "markdown", "body_ids", "theme", "content", "site", "search", "edit_records",
         "bodies", "anchors", "checklist", "teammap", "assets", "render", "collisions", "output_folder",
         "output", "body_edit", "incremental", "build_cache", "pipeline", "scaffold", "translations", "internals",
         "cmd"]
rank = {m: i for i, m in enumerate(ORDER)}
missing = [m for m in mods if m not in rank]
if missing: print("not placed in a layer:", missing)
# "Stage order": a module that runs before another in the pipeline but imports it.
RUNS_BEFORE = {"collisions": ["render"]}
up = [(a, b) for a in mods for b in mods[a] if b in rank and a in rank and rank[b] > rank[a]]
print("imports against the layer order:", up if up else "none")
print("imports against the run order (a runs before b but imports it):",
      [(a, b) for a, bs in RUNS_BEFORE.items() for b in bs if b in mods.get(a, ())])
