#!/usr/bin/env bash
# Runs the native benchmarks (benches/native.rs: edge-lru vs lru vs schnellru) and
# prints a markdown table of median times per operation, also written to
# bench-results/native.md.
#
#   scripts/bench-native.sh                 # full run (a few minutes)
#   BENCH_QUICK=1 scripts/bench-native.sh   # smoke run, seconds per benchmark
#   scripts/bench-native.sh zipf_mix        # extra arguments go to criterion (a filter here)
#
# Targets from the issue: edge-lru at least 1.5x as fast as `lru` and at least 1.0x
# schnellru on every workload. A miss is marked in the table; the script does not fail
# on it (timings on shared machines are noisy) unless BENCH_ENFORCE=1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

args=()
if [[ "${BENCH_QUICK:-0}" == "1" ]]; then
    args+=(--warm-up-time 0.5 --measurement-time 1 --sample-size 10)
fi
args+=("$@")

target_dir="${CARGO_TARGET_DIR:-target}"
criterion_dir="$target_dir/criterion"
# Drop results of earlier runs so the table only shows this one.
for group in get_hit put_evict zipf_mix; do
    rm -rf "${criterion_dir:?}/$group"
done

cargo bench --bench native -- "${args[@]}"

mkdir -p bench-results
python3 - "$criterion_dir" <<'EOF' | tee bench-results/native.md
import json, os, sys

root = sys.argv[1]
impls = ["edge-lru", "lru", "schnellru", "schnellru+foldhash"]
groups = ["get_hit", "put_evict", "zipf_mix"]
results = {}
for dirpath, dirnames, filenames in os.walk(root):
    if os.path.basename(dirpath) != "new" or "estimates.json" not in filenames:
        continue
    try:
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            estimates = json.load(f)
    except (OSError, ValueError):
        continue
    key = (bench["group_id"], bench["function_id"], bench.get("value_str"))
    results[key] = estimates["median"]["point_estimate"]

sizes = sorted({int(v) for (_, _, v) in results if v is not None and v.isdigit()})
if not results:
    sys.exit("no criterion results found under " + root)

def ns(value):
    return "-" if value is None else f"{value:.1f}"

def ratio(base, ours):
    return "-" if base is None or ours is None else f"{base / ours:.2f}x"

print("| workload | edge-lru ns | lru ns | schnellru ns | schnellru+foldhash ns "
      "| vs lru | vs schnellru | vs schnellru+foldhash | targets |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
misses = 0
for group in groups:
    for size in sizes:
        t = {name: results.get((group, name, str(size))) for name in impls}
        if all(v is None for v in t.values()):
            continue
        ours = t["edge-lru"]
        ok = None
        if ours is not None and t["lru"] is not None and t["schnellru"] is not None:
            ok = t["lru"] / ours >= 1.5 and t["schnellru"] / ours >= 1.0
            misses += not ok
        print(f"| {group}/{size} | {ns(ours)} | {ns(t['lru'])} | {ns(t['schnellru'])} "
              f"| {ns(t['schnellru+foldhash'])} | {ratio(t['lru'], ours)} "
              f"| {ratio(t['schnellru'], ours)} | {ratio(t['schnellru+foldhash'], ours)} "
              f"| {'-' if ok is None else 'ok' if ok else 'MISS'} |")
print()
print("Median time per operation (criterion). Targets: >= 1.5x lru and >= 1.0x schnellru.")
if misses and os.environ.get("BENCH_ENFORCE") == "1":
    sys.exit(f"{misses} workload(s) miss the targets")
EOF
