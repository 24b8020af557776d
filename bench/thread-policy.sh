#!/usr/bin/env bash
# One epoch of ConvNova width 32 on the built-in task through `dnalab run`, under the thread
# policies of issue 15, conditions interleaved and repeated: prints one row per measurement with
# the load average before it. Usage: bench/thread-policy.sh [REPEATS]   (CP=classpath of the CLI;
# default: this checkout's runtime-java/target/classes + target/cli.classpath).
# The "busy" conditions start one `yes > /dev/null` (one core fully used by another process).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPEATS="${1:-3}"
JAVA="${JAVA:-java}"
CP="${CP:-$ROOT/runtime-java/target/classes:$(cat "$ROOT/runtime-java/target/cli.classpath")}"
SPEC="${SPEC:-$ROOT/bench/specs/thread-policy.json}"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/dnalab/djl}"

# condition name, other process (idle|busy), DNALAB_THREADS, OMP_WAIT_POLICY (- = unset)
CONDITIONS=(
  "idle-2 idle 2 -"
  "idle-2-passive idle 2 PASSIVE"
  "idle-1 idle 1 -"
  "busy-2 busy 2 -"
  "busy-2-passive busy 2 PASSIVE"
  "busy-1 busy 1 -"
)

measure() {
  local name="$1" other="$2" threads="$3" policy="$4" cache busy_pid="" start end line
  cache="$(mktemp -d)"
  if [ "$other" = busy ]; then
    yes > /dev/null &
    busy_pid=$!
  fi
  local load
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  start="$(date +%s.%N)"
  local envs=(-u OMP_WAIT_POLICY DNALAB_THREADS="$threads" DNALAB_CACHE="$cache")
  [ "$policy" != - ] && envs+=(OMP_WAIT_POLICY="$policy")
  line="$(env "${envs[@]}" "$JAVA" -cp "$CP" io.dnalab.cli.DnalabCli run "$SPEC" --quiet \
    2>/dev/null | grep '^done' || true)"
  end="$(date +%s.%N)"
  [ -n "$busy_pid" ] && kill "$busy_pid"
  rm -rf "$cache"
  # The run's own wall seconds (training + evaluation), as the done line reports it.
  local run_s
  run_s="$(printf '%s' "$line" | sed -n 's/.* \([0-9.]*\) s  on .*/\1/p')"
  printf '| %s | %s | %s | %s | %s | %.1f | %s |\n' "$name" "$other" "$threads" \
    "${policy/#-/default}" "${run_s:-FAILED}" "$(echo "$end - $start" | bc)" "$load"
}

echo "| condition | other process | threads | OMP_WAIT_POLICY | run wall s | process wall s | load avg before (1/5/15 min) |"
echo "|---|---|---|---|---|---|---|"
for r in $(seq 1 "$REPEATS"); do
  for c in "${CONDITIONS[@]}"; do
    measure $c
  done
done
