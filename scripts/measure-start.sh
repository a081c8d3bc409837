#!/usr/bin/env bash
# Time from `npm start` to the first /health 200, on a data folder that persists between runs.
# Usage: scripts/measure-start.sh <data-dir> [port]   (a missing data dir = a first start)
set -euo pipefail
set -m # the app gets its own process group, so that stopping it stops npm and node together
cd "$(dirname "$0")/.."
DATA="${1:?data dir}"
PORT="${2:-3919}"
LOG="$(mktemp)"
start=$(date +%s.%N)
PORT="$PORT" DATA_DIR="$DATA" LOG_LEVEL="${LOG_LEVEL:-warn}" npm start >"$LOG" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 1200); do
  if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
end=$(date +%s.%N)
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ -z "$ok" ]; then cat "$LOG"; rm -f "$LOG"; echo "no /health 200"; exit 1; fi
grep -E '^node v|built dist|Cadre LMS on' "$LOG" || true
rm -f "$LOG"
printf 'npm start → /health 200 in %.1f s\n' "$(echo "$end - $start" | bc)"
