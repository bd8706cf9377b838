#!/usr/bin/env bash
# Feeds every broken or hostile input that make_inputs.py writes to `crosscheck analyze`, one
# file per run, under limits (TIME_LIMIT seconds, MEM_LIMIT_MB of address space). Each run must
# end by itself with status 0 (read, perhaps with notes) or 1 (nothing readable), with a
# message naming the file when something was skipped; a panic (101), a timeout or a kill fails.
# Prints one line per input (status, peak RSS, wall time) and the counts.
#
#   tests/hostile/run.sh /path/to/crosscheck [DIR]
set -uo pipefail
bin="$1"
dir="${2:-$(mktemp -d /tmp/crosscheck-hostile.XXXXXX)}"
time_limit="${TIME_LIMIT:-120}"
mem_limit_mb="${MEM_LIMIT_MB:-4096}"
python3 "$(dirname "$0")/make_inputs.py" "$dir"
tried=0
handled=0
failed=0
for f in "$dir"/*; do
  tried=$((tried + 1))
  err="$dir/.stderr"
  start=$(date +%s%N)
  (ulimit -v $((mem_limit_mb * 1024)); exec /usr/bin/time -f "%M" -o "$dir/.rss" \
    timeout "$time_limit" "$bin" analyze "$f" --json) > /dev/null 2> "$err"
  status=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(tail -1 "$dir/.rss" 2>/dev/null || echo "?")
  name=$(basename "$f")
  ok=no
  case $status in
    0) ok=yes ;;
    1) grep -q "$name" "$err" && ok=yes ;;
  esac
  # A skipped input must be named with its reason.
  if [ "$ok" = yes ] && grep -q "skipped" "$err" && ! grep -q "$name" "$err"; then ok=no; fi
  if grep -q "panicked" "$err"; then ok=no; fi
  printf "%-26s status %3s  peak %7s KB  %6s ms  %s\n" "$name" "$status" "$rss" "$ms" \
    "$(grep -m1 -E 'skipped|error|note' "$err" | cut -c1-110)"
  if [ "$ok" = yes ]; then handled=$((handled + 1)); else failed=$((failed + 1)); cat "$err" | head -5; fi
done
echo "broken inputs tried $tried handled $handled failed $failed"
[ "$failed" -eq 0 ]
