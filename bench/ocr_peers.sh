#!/usr/bin/env bash
# Deep OCR word recognition: Kestrel's `deep_ocr` (PaddleOCR's PP-OCRv4 recogniser imported
# from ONNX, run in Kestrel's engine) beside ONNX Runtime on the same ONNX file
# (bench/onnxruntime_ocr.py), one after the other, same thread count, on the 2,000 IIIT5K
# training word crops. Both time everything from reading the files to the decoded words.
# ONNX Runtime is skipped with a message when its Python package is missing.
#
#   bench/ocr_peers.sh [THREADS] [PYTHON] [BATCH]    # defaults: 2, python3, 32 (and always 1)
#
# Builds nothing: run `cargo build --release -p kestrel-cli` first. The models and data come
# from ../shared (KESTREL_SHARED overrides). ONNX Runtime installs from PyPI, e.g.
#   python3 -m venv ../venv && ../venv/bin/pip install onnxruntime numpy pillow
#   bench/ocr_peers.sh 2 ../venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
python="${2:-python3}"
batches=(1)
[ "${3:-32}" = 1 ] || batches+=("${3:-32}")
shared="${KESTREL_SHARED:-../shared}"
kestrel="${CARGO_TARGET_DIR:-target}/release/kestrel"
rec="$shared/models/ocr/ch_PP-OCRv4_rec_infer.onnx"
keys="$shared/models/ocr/ppocrv4_rec_keys.txt"
tags="$shared/data/iiit5k-train/train.tags"

if [ ! -x "$kestrel" ]; then
    echo "$kestrel is missing: run \`cargo build --release -p kestrel-cli\` first" >&2
    exit 1
fi
for f in "$rec" "$keys" "$tags"; do
    [ -f "$f" ] || { echo "$f is missing (set KESTREL_SHARED to the shared folder)" >&2; exit 1; }
done

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# A number from Kestrel's pretty-printed evaluation JSON (top-level keys come first).
json_value() { grep -m1 "\"$1\":" "$2" | sed 's/.*: *\([-0-9.eE+]*\).*/\1/'; }

"$kestrel" model import-ocr --recognizer "$rec" --alphabet "$keys" --out "$dir/ocr.kmodel" >/dev/null
"$kestrel" dataset import --kind ocr --format tags --src "$tags" --out "$dir/words.json" >/dev/null
"$kestrel" dataset split "$dir/words.json" --train 0 --val 0 --test 100 >/dev/null

have_ort=1
if ! "$python" -c "import onnxruntime, numpy, PIL" 2>/dev/null; then
    have_ort=0
fi

declare -A k_wps k_acc o_wps o_acc
for b in "${batches[@]}"; do
    echo "Kestrel, batch $b:"
    RAYON_NUM_THREADS="$threads" "$kestrel" --threads "$threads" evaluate --model "$dir/ocr.kmodel" \
        --dataset "$dir/words.json" --split test --batch-size "$b" --out "$dir/eval-$b.json" |
        sed 's/^/  /'
    k_wps[$b]="$(json_value words_per_second "$dir/eval-$b.json")"
    k_acc[$b]="$(json_value word_accuracy_normalized "$dir/eval-$b.json")"
    if [ "$have_ort" = 1 ]; then
        echo "ONNX Runtime, batch $b:"
        "$python" bench/onnxruntime_ocr.py "$rec" "$keys" "$tags" --threads "$threads" --batch "$b" \
            >"$dir/ort-$b.txt"
        sed -n 1p "$dir/ort-$b.txt" | sed 's/^/  /'
        o_wps[$b]="$(sed -n 's/^words_per_second //p' "$dir/ort-$b.txt")"
        o_acc[$b]="$(sed -n 's/^word_accuracy_normalized //p' "$dir/ort-$b.txt")"
    fi
done
[ "$have_ort" = 1 ] || echo "ONNX Runtime skipped: $python cannot import onnxruntime, numpy and PIL"

echo
echo "PP-OCRv4 recogniser, IIIT5K train (2,000 words), $threads threads; words/s; accuracy = case-insensitive letters and digits"
echo
echo "| batch | Kestrel words/s | ONNX Runtime words/s | Kestrel ÷ ONNX Runtime | Kestrel accuracy | ONNX Runtime accuracy |"
echo "|---|---|---|---|---|---|"
for b in "${batches[@]}"; do
    if [ "$have_ort" = 1 ]; then
        awk -v b="$b" -v kw="${k_wps[$b]}" -v ka="${k_acc[$b]}" -v ow="${o_wps[$b]}" -v oa="${o_acc[$b]}" \
            'BEGIN { printf "| %s | %.1f | %.1f | %.2f | %.4f | %.4f |\n", b, kw, ow, kw / ow, ka, oa }'
    else
        awk -v b="$b" -v kw="${k_wps[$b]}" -v ka="${k_acc[$b]}" \
            'BEGIN { printf "| %s | %.1f | – | – | %.4f | – |\n", b, kw, ka }'
    fi
done
