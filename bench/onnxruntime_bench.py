"""ONNX Runtime peer of `onnx-bench`: images/s of an ONNX model on constant input.

    pip install onnxruntime numpy   # a peer for comparison only; Kestrel does not need it
    python3 bench/onnxruntime_bench.py MODEL.onnx --threads 2
"""
import argparse
import time

import numpy as np
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--batches", type=int, nargs="*", default=[1, 16])
    args = ap.parse_args()
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    print(f"onnxruntime {ort.__version__}, {args.threads} threads")
    for batch in args.batches:
        x = np.full((batch, 3, 224, 224), 0.5, np.float32)
        session.run(None, {name: x})
        runs, start = 0, time.perf_counter()
        while runs == 0 or time.perf_counter() - start < args.seconds:
            session.run(None, {name: x})
            runs += 1
        print(f"batch {batch}: {runs * batch / (time.perf_counter() - start):.1f} images/s")


if __name__ == "__main__":
    main()
