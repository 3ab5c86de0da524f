#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS each (default 20: the CI smoke run),
# seeded from the corpus kept in fuzz/corpus/<target>/. New inputs go to a temporary
# folder, so the committed corpus only changes by hand (`cargo +nightly fuzz cmin`).
# A crash or a disagreement with a reference fails the run and prints the input.
#
#   bash scripts/fuzz.sh            20 s per target
#   bash scripts/fuzz.sh 600        a longer run, outside CI
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in paths rules lru; do
  mkdir -p "$scratch/$target"
  echo "==> fuzz $target for ${seconds}s"
  cargo +nightly fuzz run -O "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -artifact_prefix="$scratch/" -print_final_stats=1 2>&1 |
    grep -E '^(Done|stat::number_of_executed_units|==[0-9]+==|thread|SUMMARY)|panicked' || true
  # cargo fuzz exits non-zero on a crash; pipefail is defeated by grep, so check the status.
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz $target FAILED (input in the output above)"; exit 1; }
done
echo "3 passed, 0 failed"
