#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 600), one after another, and
# prints the figures fuzz/README.md records. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(citation frontmatter project)
cargo +nightly fuzz build -O >/dev/null 2>&1 || { echo "fuzz build failed"; exit 2; }
mkdir -p logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="logs/$target.log"
  start=$(date +%s)
  ./target/x86_64-unknown-linux-gnu/release/"$target" "corpus/$target" \
    -dict=fuzz.dict -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  end=$(date +%s)
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  echo "$target: exit $status, $((end - start)) s, ${runs:-?} executions, $cov, corpus $(ls "corpus/$target" | wc -l) inputs"
done
