#!/usr/bin/env bash
# Deep OCR beside ONNX Runtime, one engine after the other, same thread count:
#
# - recognition: Kestrel's `deep_ocr` (PaddleOCR's PP-OCRv4 recogniser imported from ONNX,
#   run in Kestrel's engine) beside ONNX Runtime on the same ONNX file
#   (bench/onnxruntime_ocr.py) on the 2,000 IIIT5K training word crops, in words/s. Both time
#   everything from reading the files to the decoded words.
# - detection: PP-OCRv4's word detector (`kestrel ocr --mode detection`) beside ONNX Runtime
#   (bench/onnxruntime_ocr_det.py: the same preprocessing, and the same DB post-processing
#   in numpy), batch 1, in images/s, on the photos of data/images and the first 30 of
#   data/bccd/JPEGImages, each first scaled (PIL) so that its longest side is 960, the
#   detector's input size. Both time everything from reading the files to the word boxes;
#   the total numbers of words found are printed beside the speeds.
#
# ONNX Runtime is skipped with a message when its Python packages are missing (detection
# also needs PIL to scale the photos, and is skipped without it).
#
#   bench/ocr_peers.sh [THREADS] [PYTHON] [BATCH] [PART]
#   # defaults: 2, python3, 32 (and always 1), all (or recognition, or detection)
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
part="${4:-all}"
case "$part" in
    all | recognition | detection) ;;
    *) echo "PART is all, recognition or detection, not $part" >&2; exit 1 ;;
esac
shared="${KESTREL_SHARED:-../shared}"
kestrel="${CARGO_TARGET_DIR:-target}/release/kestrel"
rec="$shared/models/ocr/ch_PP-OCRv4_rec_infer.onnx"
keys="$shared/models/ocr/ppocrv4_rec_keys.txt"
tags="$shared/data/iiit5k-train/train.tags"
det="$shared/models/ocr/ch_PP-OCRv4_det_infer.onnx"
det_size=960

if [ ! -x "$kestrel" ]; then
    echo "$kestrel is missing: run \`cargo build --release -p kestrel-cli\` first" >&2
    exit 1
fi
needed=()
[ "$part" = detection ] || needed+=("$rec" "$keys" "$tags")
[ "$part" = recognition ] || needed+=("$det")
for f in "${needed[@]}"; do
    [ -f "$f" ] || { echo "$f is missing (set KESTREL_SHARED to the shared folder)" >&2; exit 1; }
done

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# A number from Kestrel's pretty-printed evaluation JSON (top-level keys come first).
json_value() { grep -m1 "\"$1\":" "$2" | sed 's/.*: *\([-0-9.eE+]*\).*/\1/'; }

have_ort=1
if ! "$python" -c "import onnxruntime, numpy, PIL" 2>/dev/null; then
    have_ort=0
fi

if [ "$part" != detection ]; then
    "$kestrel" model import-ocr --recognizer "$rec" --alphabet "$keys" --out "$dir/ocr.kmodel" >/dev/null
    "$kestrel" dataset import --kind ocr --format tags --src "$tags" --out "$dir/words.json" >/dev/null
    "$kestrel" dataset split "$dir/words.json" --train 0 --val 0 --test 100 >/dev/null

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
fi

if [ "$part" != recognition ]; then
    echo
    if ! "$python" -c "import numpy, PIL" 2>/dev/null; then
        echo "Detection skipped: $python cannot import numpy and PIL (needed to scale the photos)"
        exit 0
    fi
    photos=()
    for f in "$shared"/data/images/*; do
        case "$f" in *.png | *.jpg) photos+=("$f") ;; esac
    done
    cells=("$shared"/data/bccd/JPEGImages/*.jpg)
    photos+=("${cells[@]:0:30}")
    "$python" bench/onnxruntime_ocr_det.py scale "$dir/photos" "$det_size" "${photos[@]}"
    scaled=()
    for f in "${photos[@]}"; do scaled+=("$dir/photos/$(basename "$f")"); done
    "$kestrel" model import-ocr --detector "$det" --out "$dir/det.kmodel" >/dev/null

    echo "Kestrel, detection:"
    RAYON_NUM_THREADS="$threads" "$kestrel" --threads "$threads" ocr --model "$dir/det.kmodel" \
        --mode detection "${scaled[@]}" --out "$dir/det.json" >"$dir/det-kestrel.txt"
    tail -n 1 "$dir/det-kestrel.txt" | sed 's/^/  /'
    # `N images in Xs (Y images/s) -> R.json`: N / X, more digits than Y.
    k_ips="$(tail -n 1 "$dir/det-kestrel.txt" | awk '{ sub(/s$/, "", $4); printf "%.4f", $1 / $4 }')"
    k_words="$(grep -c '"bbox_row":' "$dir/det.json" || true)"
    if [ "$have_ort" = 1 ]; then
        echo "ONNX Runtime, detection:"
        "$python" bench/onnxruntime_ocr_det.py detect "$det" "${scaled[@]}" --threads "$threads" \
            --image-size "$det_size" --compare "$dir/det.json" >"$dir/det-ort.txt"
        sed -n 1p "$dir/det-ort.txt" | sed 's/^/  /'
        sed -n 's/^differs /  word counts differ: /p' "$dir/det-ort.txt"
        o_ips="$(sed -n 's/^images_per_second //p' "$dir/det-ort.txt")"
        o_words="$(sed -n 's/^words //p' "$dir/det-ort.txt")"
    else
        echo "ONNX Runtime skipped: $python cannot import onnxruntime, numpy and PIL"
    fi

    echo
    echo "PP-OCRv4 detector, ${#scaled[@]} photos scaled to $det_size px on the longest side, batch 1, $threads threads; images/s from reading the files to the word boxes"
    echo
    echo "| Kestrel images/s | ONNX Runtime images/s | Kestrel ÷ ONNX Runtime | Kestrel words | ONNX Runtime words |"
    echo "|---|---|---|---|---|"
    if [ "$have_ort" = 1 ]; then
        awk -v ki="$k_ips" -v kw="$k_words" -v oi="$o_ips" -v ow="$o_words" \
            'BEGIN { printf "| %.2f | %.2f | %.2f | %d | %d |\n", ki, oi, ki / oi, kw, ow }'
    else
        awk -v ki="$k_ips" -v kw="$k_words" 'BEGIN { printf "| %.2f | – | – | %d | – |\n", ki, kw }'
    fi
fi
