#!/usr/bin/env bash
# Deep counting speed and memory: `kestrel count` on the first 40 BCCD images (640x480),
# with a model prepared from three example boxes of SIDE pixels (default 24: the image is
# processed at its own size; smaller examples scale it up, larger ones down), on THREADS
# threads. Prints images/s (reading, counting and writing the JSON, after loading the
# model) and the process's peak resident memory.
#
#   bench/counting_speed.sh [THREADS] [SIDE]    # defaults: 2, 24
#
# Builds nothing: run `cargo build --release -p kestrel-cli` first. Data from ../shared
# (KESTREL_SHARED overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
side="${2:-24}"
shared="$(cd "${KESTREL_SHARED:-../shared}" && pwd)"
kestrel="$PWD/target/release/kestrel"
images="$shared/data/bccd/JPEGImages"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Three example boxes of SIDE pixels at fixed places of the first image.
first="$(ls "$images" | sort | head -1)"
half=$(awk -v s="$side" 'BEGIN { print s / 2 }')
box() { awk -v x="$1" -v y="$2" -v h="$half" 'BEGIN { printf "[%g, %g, %g, %g]", x - h, y - h, x + h, y + h }'; }
printf '[{"image": "%s", "exemplars": [%s, %s, %s]}]\n' "$images/$first" \
    "$(box 200 200)" "$(box 320 240)" "$(box 440 280)" > "$work/examples.json"
"$kestrel" dataset import --kind counting --format json --src "$work/examples.json" \
    --out "$work/examples_ds.json" > /dev/null
"$kestrel" train --model-type deep_counting --pretrained mobilenet_v2 \
    --dataset "$work/examples_ds.json" --out "$work/m.kmodel" > /dev/null 2>&1

mkdir -p "$work/in"
for f in $(ls "$images" | sort | head -40); do ln -s "$images/$f" "$work/in/$f"; done
# Warm-up (page cache, allocator), then the timed run.
"$kestrel" --threads "$threads" count --model "$work/m.kmodel" "$work/in/$first" --out "$work/w.json" > /dev/null
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$kestrel" --threads "$threads" count --model "$work/m.kmodel" \
    "$work/in" --out "$work/r.json" > /dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v kb="$(cat "$work/rss")" -v t="$threads" -v side="$side" \
    'BEGIN { printf "deep counting, 640x480, examples %s px, %s threads: %.2f images/s, peak memory %.0f MiB\n", side, t, 40 / (e - s), kb / 1024 }'
