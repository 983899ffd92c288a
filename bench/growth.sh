#!/usr/bin/env bash
# Peak RSS against the size of the tree (issue #7: "not growing with the number of files").
# Generates trees of small Python files that all fail the prefilter (no file is parsed), in
# bench/.work/growth-N, runs checkout-lint on each and prints the median peak RSS, then the
# growth per file between the smallest and the largest tree.
#
#   bench/growth.sh                       # 10 000 and 100 000 files, release build
#   bench/growth.sh 10000 100000 300000   # other sizes
#
# BIN (default target/release/checkout-lint, built if missing) and RUNS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/checkout-lint}
runs=${RUNS:-5}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100000)
[[ -x $bin ]] || cargo build --release --locked --quiet

for n in "${sizes[@]}"; do
  tree=bench/.work/growth-$n
  if [[ ! -f $tree/.complete ]]; then
    rm -rf "$tree"
    python3 - "$tree" "$n" <<'EOF'
import os, sys
tree, n = sys.argv[1], int(sys.argv[2])
body = "import os\n\ndef f(x):\n    return os.path.join(x, 'a')\n"
for i in range(n):
    directory = os.path.join(tree, f"pkg{i // 1000:03}")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"module_{i:06}.py"), "w") as out:
        out.write(body)
open(os.path.join(tree, ".complete"), "w").close()
EOF
  fi
done

declare -A rss
for n in "${sizes[@]}"; do
  samples=()
  for _ in $(seq "$runs"); do
    samples+=("$(/usr/bin/time -f %M "$bin" check --format json --exit-zero --no-ignore \
      "bench/.work/growth-$n" 2>&1 > /dev/null | tail -n 1)")
  done
  rss[$n]=$(printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  python3 -c 'import sys; n, kb, runs = map(int, sys.argv[1:])
print(f"{n:8} files  peak RSS {kb / 1024:6.1f} MB  (median of {runs})")' "$n" "${rss[$n]}" "$runs"
done

first=${sizes[0]}
last=${sizes[${#sizes[@]} - 1]}
if [[ $last != "$first" ]]; then
  python3 -c 'import sys; a, b, ka, kb = map(int, sys.argv[1:])
print(f"growth: {(kb - ka) * 1024 / (b - a):.0f} bytes a file")' "$first" "$last" "${rss[$first]}" "${rss[$last]}"
fi
