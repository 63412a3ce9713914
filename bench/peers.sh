#!/usr/bin/env bash
# Kestrel beside its peers in one run, on this machine, with the same thread count:
# kestrel-bench (training and inference), PyTorch eager (bench/pytorch_bench.py) and ONNX
# Runtime (bench/onnxruntime_bench.py on ONNX files torchvision exports here). A peer whose
# Python package is missing is skipped with a message.
#
#   bench/peers.sh [THREADS] [PYTHON]      # defaults: 2, python3
#
# Peers install from PyPI into a virtual environment, e.g.
#   python3 -m venv ../venv && ../venv/bin/pip install torch torchvision onnxruntime onnx
#   bench/peers.sh 2 ../venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
python="${2:-python3}"
nets=(resnet18 mobilenet_v2)

cargo build --release -p kestrel-bench >/dev/null
# One process per network, so that each training peak memory is that network's alone;
# the table header comes from the first.
body_only() { if [ "$1" = 0 ]; then cat; else grep -v -e '^| network' -e '^|---' -e '^device' -e '^torch'; fi; }

echo "## Kestrel"
for i in "${!nets[@]}"; do
    RAYON_NUM_THREADS="$threads" "${CARGO_TARGET_DIR:-target}/release/kestrel-bench" "${nets[$i]}" | body_only "$i"
done

echo "## PyTorch"
if "$python" -c "import torch, torchvision" 2>/dev/null; then
    for i in "${!nets[@]}"; do
        "$python" bench/pytorch_bench.py --threads "$threads" "${nets[$i]}" | body_only "$i"
    done
else
    echo "skipped: $python cannot import torch and torchvision"
fi

echo "## ONNX Runtime"
if "$python" -c "import onnxruntime, torch, torchvision, onnx" 2>/dev/null; then
    dir="$(mktemp -d)"
    trap 'rm -rf "$dir"' EXIT
    for net in "${nets[@]}"; do
        "$python" - "$net" "$dir/$net.onnx" <<'PY'
import sys, warnings, torch, torchvision
warnings.filterwarnings("ignore", category=DeprecationWarning)
name, path = sys.argv[1], sys.argv[2]
net = getattr(torchvision.models, name)(num_classes=10).eval()
x = torch.randn(1, 3, 224, 224)
torch.onnx.export(net, x, path, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, dynamo=False)
PY
        echo "$net:"
        "$python" bench/onnxruntime_bench.py "$dir/$net.onnx" --threads "$threads"
    done
else
    echo "skipped: $python cannot import onnxruntime, torch, torchvision and onnx"
fi
