#!/usr/bin/env bash
# Times a first build of real guides (site folders made as README.md's "Guides and their
# menus" section says: each language's repository in its folder of content/) against the
# floor program on the same Markdown, alone and copying the guide's other files too
# (`--files`: its images), the way issue 14's goal reads (within 4x of the floor).
#
#   benches/guides.sh SITE...          # RUNS=30 by default
#
# The output and every file beside it are removed before each run by hyperfine's
# --prepare, so that deleting the last output (48 MB of images for a guide) is not timed.
# Outputs go to tmpfs (BENCH_DIR, default /dev/shm/equipe-bench) so that the disk is not
# what is measured. Needs hyperfine. Results: a line per guide on stdout.
set -euo pipefail

cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: benches/guides.sh SITE..." >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "guides.sh: needs hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin equipe --example floor
bin=$PWD/target/release
out=${BENCH_DIR:-/dev/shm/equipe-bench}/guides
mkdir -p "$out"

for site in "$@"; do
  site=$(cd "$site" && pwd)
  name=$(basename "$site")
  hyperfine -N --style basic --warmup 3 --runs "${RUNS:-30}" --export-csv "$out/$name.csv" \
    --prepare "rm -rf $out/floor" -n floor "$bin/examples/floor $site/content $out/floor" \
    --prepare "rm -rf $out/floor" -n "floor --files" \
    "$bin/examples/floor $site/content $out/floor --files" \
    --prepare "sh -c 'rm -rf $out/equipe $out/.equipe.equipe-*'" -n "equipe (first build)" \
    "$bin/equipe build --source $site --output $out/equipe" >&2
  # hyperfine's CSV: command,mean,stddev,... in seconds, one row per command in order.
  awk -F, -v name="$name" '
    NR == 2 { floor = $2 } NR == 3 { files = $2 } NR == 4 { equipe = $2; sd = $3 }
    END {
      printf "%s: floor %.1f ms, floor --files %.1f ms, equipe %.1f ms ± %.1f: %.1fx the floor, %.1fx the floor --files\n",
        name, floor * 1000, files * 1000, equipe * 1000, sd * 1000, equipe / floor, equipe / files
    }' "$out/$name.csv"
  rm -rf "$out/floor" "$out/equipe" "$out"/.equipe.equipe-*
done
