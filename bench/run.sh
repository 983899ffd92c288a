#!/usr/bin/env bash
# Times checkout-lint against its peers on one tree, in one run: `checkout-lint check`,
# `ast-grep scan` and `semgrep scan` with the equivalent rules of bench/rules/, `rg` for the
# prefilter token (the cost of just reading the bytes) and `ruff --select E9` (the cost of
# parsing every Python file). Reports median wall time, CPU time, peak RSS and each tool's
# findings; on a generated tree, findings are scored against the planted call sites.
#
#   bench/run.sh --install        # once: peers into bench/.peers (PyPI) + ripgrep (Debian)
#   bench/run.sh                  # generate bench/.work/synthetic (6 000 files) and run
#   bench/run.sh PATH/TO/TREE     # any real tree instead
#
# RUNS (default 5) timed runs per tool after one warm-up run; SEMGREP_RUNS (default 3)
# for semgrep, which takes close to a minute on the synthetic tree. TOOLS limits the set
# (default "rg ruff checkout-lint ast-grep semgrep").
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
peers=$repo/bench/.peers

if [[ ${1:-} == --install ]]; then
  # The peers live in a scratch virtualenv (gitignored); nothing is installed globally
  # except Debian's ripgrep and hyperfine.
  python3 -m venv "$peers"
  "$peers/bin/pip" install --quiet --upgrade semgrep ast-grep-cli ruff
  if ! command -v rg > /dev/null; then
    apt-get install -y ripgrep hyperfine || sudo apt-get install -y ripgrep hyperfine
  fi
  "$peers/bin/semgrep" --version
  "$peers/bin/ast-grep" --version
  "$peers/bin/ruff" --version
  rg --version | head -n 1
  exit 0
fi

for tool in semgrep ast-grep ruff; do
  if [[ ! -x $peers/bin/$tool ]]; then
    echo "error: $peers/bin/$tool is missing; run \`bench/run.sh --install\` first" >&2
    exit 2
  fi
done
command -v rg > /dev/null || { echo "error: rg is missing; run \`bench/run.sh --install\` (or apt-get install ripgrep)" >&2; exit 2; }

if [[ $# -ge 1 ]]; then
  tree=$(cd "$1" && pwd)
else
  tree=$repo/bench/.work/synthetic
  python3 bench/generate.py "$tree"
fi
runs=${RUNS:-5}
semgrep_runs=${SEMGREP_RUNS:-3}
tools=${TOOLS:-rg ruff checkout-lint ast-grep semgrep}
results=$repo/bench/.work/results
rm -rf "$results"
mkdir -p "$results"

cargo build --release --locked --quiet
bin=$repo/target/release/checkout-lint

command_of() {
  case $1 in
    rg) echo rg -l -i --no-ignore --hidden -t py -t rust checkout "$tree" ;;
    ruff) echo "$peers/bin/ruff" check --select E9 --no-cache --exit-zero --quiet --no-respect-gitignore "$tree" ;;
    checkout-lint) echo "$bin" check --format json --exit-zero --no-ignore "$tree" ;;
    ast-grep) echo "$peers/bin/ast-grep" scan -c "$repo/bench/rules/ast-grep/sgconfig.yml" --json=stream --no-ignore hidden --no-ignore vcs "$tree" ;;
    semgrep) echo "$peers/bin/semgrep" scan --config "$repo/bench/rules/semgrep.yml" --json --metrics=off --disable-version-check --no-git-ignore --quiet --jobs "$(nproc)" "$tree" ;;
  esac
}

echo "tree: $tree ($(du -sh --apparent-size "$tree" | cut -f1), $(find "$tree" -name '*.py' -o -name '*.rs' | wc -l) .py/.rs files), $(nproc) cores"
for tool in $tools; do
  n=$runs
  warm_up=1
  # semgrep takes minutes here and keeps no cache between runs: its first timed run is
  # also the one scored.
  [[ $tool == semgrep ]] && n=$semgrep_runs && warm_up=0
  read -r -a cmd <<< "$(command_of "$tool")"
  echo "timing $tool: $warm_up warm-up + $n runs: ${cmd[*]}" >&2
  # semgrep and ast-grep exit 1 on findings, hence `|| true`.
  if ((warm_up)); then
    "${cmd[@]}" > "$results/$tool.out" 2> "$results/$tool.err" || true
  fi
  for i in $(seq "$n"); do
    out=/dev/null
    ((warm_up == 0 && i == 1)) && out=$results/$tool.out
    /usr/bin/time -f "%e %U %S %M" -o "$results/$tool.time1" "${cmd[@]}" > "$out" 2>> "$results/$tool.err" || true
    tail -n 1 "$results/$tool.time1" >> "$results/$tool.times"
  done
done
python3 bench/score.py "$results" "$tree"
