#!/usr/bin/env bash
# Times full builds of generated sites: equipe (a first build; a second one with nothing
# changed, which finds its stamp current and stops; one after a source file was touched,
# which renders everything and writes nothing) against the floor program and Hugo, and
# measures peak memory.
#
#   benches/run.sh                 # 200, 2000 and 20000 pages
#   benches/run.sh 50              # one small site (what CI could run to keep this working)
#
# Each argument is a number of role pages (half French, half English); the site also has
# outside teams, homes and section pages. Sites and outputs live on tmpfs (BENCH_DIR,
# default /dev/shm/equipe-bench) so that the disk is not what is measured. Needs hyperfine;
# Hugo and GNU time (/usr/bin/time) are used when installed and skipped otherwise.
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
have_time=$([ -x /usr/bin/time ] && echo yes || echo no)

rm -rf "$work"
mkdir -p "$work"
results=$work/results.md
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "equipe $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(hugo version 2>/dev/null | cut -d' ' -f2 || echo 'no hugo'), $(hyperfine --version)"
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
  "$bin/examples/gen_site" "$roles" "$site"
  # Role pages only, the issue's unit; the whole output also has teams, homes and sections.
  role_pages=$(( roles * 2 ))
  equipe="$bin/equipe build --source $site/equipe --output $out/equipe"
  floor="$bin/examples/floor $site/equipe/content $out/floor"
  hugo_cmd="hugo --quiet --source $site/hugo --destination $out/hugo"

  commands=(--prepare "rm -rf $out/floor" -n floor "$floor"
    --prepare "rm -rf $out/equipe" -n "equipe (first build)" "$equipe"
    --prepare "true" -n "equipe (nothing changed)" "$equipe"
    --prepare "touch $site/equipe/content/roles/role-00000.en.md" -n "equipe (one file touched)" "$equipe")
  [ "$have_hugo" = yes ] && commands+=(--prepare "rm -rf $out/hugo" -n "hugo" "$hugo_cmd")
  hyperfine --style basic --warmup 1 --min-runs 3 --max-runs 10 \
    --export-csv "$work/hyperfine-$pages.csv" "${commands[@]}"

  rm -rf "$out/floor" "$out/equipe" "$out/hugo"
  row "$role_pages" floor "$work/hyperfine-$pages.csv" 0 "$(peak_mib $floor)"
  row "$role_pages" "equipe (first build)" "$work/hyperfine-$pages.csv" 1 "$(peak_mib $equipe)"
  row "$role_pages" "equipe (nothing changed)" "$work/hyperfine-$pages.csv" 2 "$(peak_mib $equipe)"
  row "$role_pages" "equipe (one file touched)" "$work/hyperfine-$pages.csv" 3 "-"
  [ "$have_hugo" = yes ] && row "$role_pages" hugo "$work/hyperfine-$pages.csv" 4 "$(peak_mib $hugo_cmd)"

  # Save-to-served-page latency of `equipe serve` (in memory), up to 2,000 pages.
  if [ "$pages" -le 2000 ]; then
    echo >>"$work/serve.md"
    echo "serve, $role_pages role pages:" >>"$work/serve.md"
    "$bin/examples/serve_latency" --binary "$bin/equipe" --site "$site/equipe" --runs 20 | tee -a "$work/serve.md"
  fi
done

[ -f "$work/serve.md" ] && cat "$work/serve.md" >>"$results"
echo
cat "$results"
