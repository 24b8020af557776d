#!/usr/bin/env bash
# The quickstart's 6-run grid (ConvNova width 32 and the CNN baseline, 3 seeds, 2 epochs) through
# `dnalab run`, with --jobs 1 (in process, all cores) and --jobs 2 (two workers, cores split),
# side by side in one script run, each from an empty cache; prints the wall times and their ratio
# (issue 15's goal: --jobs 2 takes <= 0.75 of --jobs 1). Usage: bench/jobs.sh [SPEC] [REPEATS]
# (CP = the CLI's classpath; default: this checkout's runtime-java/target/classes + cli.classpath)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="${1:-$ROOT/bench/specs/quickstart.json}"
REPEATS="${2:-1}"
JAVA="${JAVA:-java}"
CP="${CP:-$ROOT/runtime-java/target/classes:$(cat "$ROOT/runtime-java/target/cli.classpath")}"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/dnalab/djl}"
unset DNALAB_THREADS DNALAB_RESULTS

measure() {
  local jobs="$1" cache start end load
  cache="$(mktemp -d)"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  start="$(date +%s.%N)"
  DNALAB_CACHE="$cache" "$JAVA" -cp "$CP" io.dnalab.cli.DnalabCli run "$SPEC" --quiet \
    --jobs "$jobs" --out "$cache/runs.csv" > "$cache/out.log" 2>&1 || { cat "$cache/out.log" >&2; exit 1; }
  end="$(date +%s.%N)"
  # The test MCC of each run, in plan order: the same spec and seeds on other thread counts.
  local mcc
  mcc="$(python3 - "$cache/runs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(" ".join(f"{r['model'].split('-')[0]}/s{r['seed']}:{float(r['test_mcc']):.4f}" for r in rows))
PY
)"
  rm -rf "$cache"
  printf '%s %.1f %s | %s\n' "$jobs" "$(echo "$end - $start" | bc)" "$load" "$mcc"
}

echo "# spec: $SPEC; $(nproc) cores; $(date -u +%FT%TZ)"
for r in $(seq 1 "$REPEATS"); do
  one="$(measure 1)"
  two="$(measure 2)"
  echo "jobs 1: $one"
  echo "jobs 2: $two"
  t1="$(echo "$one" | cut -d' ' -f2)"
  t2="$(echo "$two" | cut -d' ' -f2)"
  printf 'ratio jobs 2 / jobs 1: %.2f\n' "$(echo "$t2 / $t1" | bc -l)"
done
