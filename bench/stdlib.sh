#!/usr/bin/env bash
# Times `checkout-lint check` on a real Python tree (default: this machine's CPython
# standard library) and prints files scanned vs parsed. Warm-cache medians of 5 runs.
#
#   bench/stdlib.sh [TREE]
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
cargo build --release --locked --quiet
bin=target/release/checkout-lint
"$bin" check --format json --no-ignore --exit-zero "$tree" > /tmp/checkout-lint-bench.json
python3 - "$tree" <<'PY'
import json, sys
s = json.load(open("/tmp/checkout-lint-bench.json"))["summary"]
print(f"tree: {sys.argv[1]}")
print(f"files scanned: {s['files_scanned']}, parsed: {s['files_parsed']}, "
      f"skipped by the prefilter: {s['files_scanned'] - s['files_parsed']}, call sites: {s['call_sites']}")
PY
times=()
for _ in 1 2 3 4 5; do
  t=$( { /usr/bin/time -f "%e %M" "$bin" check --format json --no-ignore --exit-zero "$tree" > /dev/null; } 2>&1 | tail -n 1)
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{printf "median wall: %s s, peak RSS: %s KB\n", $1, $2}'
