#!/usr/bin/env bash
# Times full builds of generated sites: equipe (a first build, into an empty folder with no
# build cache; a second one with nothing changed, which finds its stamp current and stops;
# one after a source file was touched; one after a line was added to a page's text, which
# makes that page's file again from its body's record; one after a heading was added to a
# page, which makes that page's file and its table of contents again the same way, as no
# link names its sections; one after a role's title was edited, which takes what did not
# change from the build cache and renders the pages that show the title; one after a
# role's page was added or removed, in turn, which renders the pages that list it; one
# after an image was replaced, which copies it again)
# against the floor program, Zola and Hugo, and measures peak memory.
#
#   benches/run.sh                 # 200, 2000 and 20000 pages
#   benches/run.sh 50              # one small site (what CI could run to keep this working)
#
# Each argument is a number of role pages (half French, half English); the site also has
# outside teams, homes and section pages. Sites and outputs live on tmpfs (BENCH_DIR,
# default /dev/shm/equipe-bench) so that the disk is not what is measured. Needs hyperfine;
# Hugo, Zola and GNU time (/usr/bin/time) are used when installed and skipped otherwise.
# Zola is not packaged: build it from its source (tag v0.22.1, `cargo build --release
# --locked`) and put it on the PATH or name it with ZOLA=/path/to/zola.
# Results: a Markdown table on stdout and in $BENCH_DIR/results.md.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000 20000)
work=${BENCH_DIR:-/dev/shm/equipe-bench}
command -v hyperfine >/dev/null || { echo "run.sh: needs hyperfine" >&2; exit 1; }

cargo build --release --quiet --bin equipe --example gen_site --example floor --example serve_latency
bin=$PWD/target/release
have_hugo=$(command -v hugo >/dev/null && echo yes || echo no)
zola=${ZOLA:-$(command -v zola || true)}
have_zola=$([ -n "$zola" ] && [ -x "$zola" ] && echo yes || echo no)
have_time=$([ -x /usr/bin/time ] && echo yes || echo no)

rm -rf "$work"
mkdir -p "$work"
results=$work/results.md
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "equipe $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(hugo version 2>/dev/null | cut -d' ' -f2 || echo 'no hugo'), $([ "$have_zola" = yes ] && "$zola" --version || echo 'no zola'), $(hyperfine --version)"
  echo
  echo "| pages | program | mean (s) | ± (s) | pages/s | peak RSS (MiB) |"
  echo "|---:|---|---:|---:|---:|---:|"
} >"$results"

# Peak resident memory of one run, in MiB ("-" without GNU time).
peak_mib() {
  if [ "$have_time" = yes ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}'
  else
    echo "-"
  fi
}

# Median peak of three first builds into $out/equipe: one run's peak varies by about
# 10 MiB with how the two threads' work interleaves.
first_build_peak() {
  for _ in 1 2 3; do
    rm -rf "$out/equipe" "$out"/.equipe.equipe-*
    peak_mib $equipe
    echo
  done | sort -n | sed -n 2p
}

# mean and stddev of command number $2 in hyperfine's CSV (command,mean,stddev,...).
stat() { awk -F, -v row="$2" 'NR == row + 2 { print $2, ($3 == "" ? 0 : $3) }' "$1"; }

row() { # pages program csv index peak
  read -r mean sd < <(stat "$3" "$4")
  awk -v p="$1" -v n="$2" -v m="$mean" -v s="$sd" -v r="$5" \
    'BEGIN { printf "| %d | %s | %.3f | %.3f | %.0f | %s |\n", p, n, m, s, p / m, r }' >>"$results"
}

for pages in "${sizes[@]}"; do
  roles=$(( (pages + 1) / 2 ))
  site=$work/site-$pages
  out=$work/out-$pages
  # Anew: a run leaves its sites edited (a page added, lines appended), and gen_site
  # writes its files over the folder without removing what else is there.
  rm -rf "$site"
  "$bin/examples/gen_site" "$roles" "$site"
  # Role pages only, the issue's unit; the whole output also has teams, homes and sections.
  role_pages=$(( roles * 2 ))
  equipe="$bin/equipe build --source $site/equipe --output $out/equipe"
  floor="$bin/examples/floor $site/equipe/content $out/floor"
  hugo_cmd="hugo --quiet --source $site/hugo --destination $out/hugo"
  zola_cmd="$zola --root $site/zola build --output-dir $out/zola"

  edited=$site/equipe/content/roles/role-00001.en.md
  headed=$site/equipe/content/roles/role-00002.en.md
  titled=$site/equipe/content/roles/role-00003.en.md
  retitle="sed -i '/^title: /s/\"\$/ x\"/' $titled"
  # A copy of a role under a new name and with checklist ids of its own, there one run
  # and gone the next.
  added=$site/equipe/content/roles/role-added.en.md
  toggle="sh -c 'if [ -e $added ]; then rm $added; else sed s/role-00004/role-added/g $site/equipe/content/roles/role-00004.en.md >$added; fi'"
  # An image beside the roles (20 kB, the site's only one), a byte longer at each run: a
  # screenshot replaced.
  picture=$site/equipe/content/roles/assets/diagram.png
  mkdir -p "$(dirname "$picture")"
  awk 'BEGIN { for (i = 0; i < 2500; i++) print "diagram" }' >"$picture"
  commands=(--prepare "rm -rf $out/floor" -n floor "$floor"
    --prepare "sh -c 'rm -rf $out/equipe $out/.equipe.equipe-*'" -n "equipe (first build)" "$equipe"
    --prepare "true" -n "equipe (nothing changed)" "$equipe"
    --prepare "touch $site/equipe/content/roles/role-00000.en.md" -n "equipe (one file touched)" "$equipe"
    --prepare "sh -c 'echo Edited. >>$edited'" -n "equipe (one page edited)" "$equipe"
    --prepare "sh -c 'printf \"\\n## Edited\\n\" >>$headed'" -n "equipe (one heading edited)" "$equipe"
    --prepare "$retitle" -n "equipe (one title edited)" "$equipe"
    --prepare "$toggle" -n "equipe (one page added or removed)" "$equipe"
    --prepare "sh -c 'printf x >>$picture'" -n "equipe (one image replaced)" "$equipe")
  [ "$have_zola" = yes ] && commands+=(--prepare "rm -rf $out/zola" -n "zola" "$zola_cmd")
  [ "$have_hugo" = yes ] && commands+=(--prepare "rm -rf $out/hugo" -n "hugo" "$hugo_cmd")
  hyperfine --style basic --warmup 1 --min-runs 3 --max-runs 10 \
    --export-csv "$work/hyperfine-$pages.csv" "${commands[@]}"

  rm -rf "$out/floor" "$out/equipe" "$out"/.equipe.equipe-* "$out/hugo" "$out/zola"
  row "$role_pages" floor "$work/hyperfine-$pages.csv" 0 "$(peak_mib $floor)"
  row "$role_pages" "equipe (first build)" "$work/hyperfine-$pages.csv" 1 "$(first_build_peak)"
  row "$role_pages" "equipe (nothing changed)" "$work/hyperfine-$pages.csv" 2 "$(peak_mib $equipe)"
  row "$role_pages" "equipe (one file touched)" "$work/hyperfine-$pages.csv" 3 "-"
  echo Edited. >>"$edited"
  row "$role_pages" "equipe (one page edited)" "$work/hyperfine-$pages.csv" 4 "$(peak_mib $equipe)"
  printf '\n## Edited\n' >>"$headed"
  row "$role_pages" "equipe (one heading edited)" "$work/hyperfine-$pages.csv" 5 "$(peak_mib $equipe)"
  sh -c "$retitle"
  row "$role_pages" "equipe (one title edited)" "$work/hyperfine-$pages.csv" 6 "$(peak_mib $equipe)"
  sh -c "$toggle"
  row "$role_pages" "equipe (one page added or removed)" "$work/hyperfine-$pages.csv" 7 "$(peak_mib $equipe)"
  printf x >>"$picture"
  row "$role_pages" "equipe (one image replaced)" "$work/hyperfine-$pages.csv" 8 "$(peak_mib $equipe)"
  next=9
  if [ "$have_zola" = yes ]; then
    row "$role_pages" zola "$work/hyperfine-$pages.csv" $next "$(peak_mib $zola_cmd)"
    next=$((next + 1))
  fi
  [ "$have_hugo" = yes ] && row "$role_pages" hugo "$work/hyperfine-$pages.csv" $next "$(peak_mib $hugo_cmd)"

  # Save-to-served-page latency of `equipe serve` (in memory), up to 2,000 pages.
  if [ "$pages" -le 2000 ]; then
    echo >>"$work/serve.md"
    echo "serve, $role_pages role pages:" >>"$work/serve.md"
    "$bin/examples/serve_latency" --binary "$bin/equipe" --site "$site/equipe" --runs 20 | tee -a "$work/serve.md"
    # A title edited: a rebuild at each save (a page's text is put in place without one).
    echo "serve, $role_pages role pages, a title edited:" >>"$work/serve.md"
    "$bin/examples/serve_latency" --binary "$bin/equipe" --site "$site/equipe" --runs 20 --edit title | tee -a "$work/serve.md"
  fi
done

[ -f "$work/serve.md" ] && cat "$work/serve.md" >>"$results"

# The speed issue's goals, read back from the table: each says its numbers and whether it holds.
python3 - "$results" >>"$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 6 and cells[0].isdigit():
        rows[(int(cells[0]), cells[1])] = (float(cells[2]), cells[5])
sizes = sorted({p for p, _ in rows})
def t(p, n): return rows.get((p, n), (None, None))[0]
print("\ngoals:")
def say(goal, value, holds):
    print(f"- {goal}: {value} -> {'holds' if holds else 'does not hold'}")
big = max(sizes)
first, floor = t(big, "equipe (first build)"), t(big, "floor")
if first and floor:
    say(f"{big} pages within 3x the floor", f"{first / floor:.1f}x", first / floor <= 3)
for p in sizes:
    z, e = t(p, "zola"), t(p, "equipe (first build)")
    if z and e and p >= 2000:
        say(f"{p} pages at least 5x faster than Zola", f"{z / e:.1f}x", z / e >= 5)
peak = rows.get((big, "equipe (first build)"), (None, "-"))[1]
if peak not in ("-", None):
    say(f"peak memory at {big} pages under 300 MiB", f"{peak} MiB", float(peak) < 300)
for what in ("one file touched", "one page edited", "one heading edited", "one title edited",
             "one page added or removed", "one image replaced"):
    after = t(big, f"equipe ({what})")
    if after and first:
        say(f"{what} at {big} pages at most 10% of a first build", f"{100 * after / first:.0f}%", after <= first * 0.1)
per_page = [t(p, "equipe (first build)") / p for p in sizes if t(p, "equipe (first build)")]
if len(per_page) > 1:
    say("time per page flat (within 1.5x)", f"{max(per_page) / min(per_page):.2f}x apart", max(per_page) / min(per_page) <= 1.5)
PY
echo
cat "$results"
