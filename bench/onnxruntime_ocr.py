"""Word recognition with ONNX Runtime, the peer of Kestrel's `deep_ocr` evaluation.

Reads every word crop of a tag file (`<path> <word>` per line, paths relative to the file)
with a CTC recogniser (PaddleOCR's PP-OCRv4) the way Kestrel's `deep_ocr` does: RGB,
height 48 keeping the aspect ratio (width = min(320, ceil(48 w / h))), PIL's antialiased
bilinear resize (Kestrel's fast_image_resize bilinear convolution matches it),
(x / 255 - 0.5) / 0.5, padded on the right to width 320 with 0, BATCH crops per run,
greedy CTC (argmax per position, repeats merged, blank 0 dropped; class i = line i of the
keys file, the last class = space). As in `kestrel evaluate`, the clock runs from reading
the files to the decoded words; the crops of a batch are decoded and resized on THREADS
Python threads (PIL releases the GIL), as Kestrel decodes a batch on its rayon threads.
Word accuracy is compared as Kestrel's `word_accuracy_normalized` does: lower-cased, only
letters and digits kept.

    python3 bench/onnxruntime_ocr.py REC.onnx KEYS.txt TAGS [--threads 2] [--batch 32]
"""

import argparse
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnxruntime as ort
from PIL import Image

HEIGHT, MAX_WIDTH = 48, 320


def prepare(path):
    """One crop as CHW float32, HEIGHT x MAX_WIDTH, the word on the left and zeros after."""
    with Image.open(path) as img:
        img = img.convert("RGB")
        w, h = img.size
        width = max(1, min(MAX_WIDTH, math.ceil(HEIGHT * w / h)))
        img = img.resize((width, HEIGHT), Image.BILINEAR)
    x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
    out = np.zeros((3, HEIGHT, MAX_WIDTH), dtype=np.float32)
    out[:, :, :width] = (x - 0.5) / 0.5
    return out


def greedy_ctc(probs, alphabet):
    """Words from `[batch, positions, classes]` scores (class 0 = blank)."""
    words = []
    for best in probs.argmax(axis=2):
        chars, previous = [], 0
        for c in best:
            if c != 0 and c != previous and c - 1 < len(alphabet):
                chars.append(alphabet[c - 1])
            previous = c
        words.append("".join(chars))
    return words


def normalize(word):
    """Kestrel's `normalize_word`: lower-cased, letters and digits only."""
    return "".join(c for c in word.lower() if c.isalnum())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recognizer")
    ap.add_argument("keys")
    ap.add_argument("tags")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()

    with open(args.keys, encoding="utf-8") as f:
        alphabet = [line.rstrip("\r\n") for line in f] + [" "]
    root = os.path.dirname(os.path.abspath(args.tags))
    paths, truth = [], []
    with open(args.tags, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                path, word = line.split(" ", 1)
                paths.append(os.path.join(root, path))
                truth.append(word)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(args.recognizer, opts, providers=["CPUExecutionProvider"])
    input_name = sess.get_inputs()[0].name

    words = []
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        start = time.perf_counter()
        for i in range(0, len(paths), args.batch):
            x = np.stack(list(pool.map(prepare, paths[i:i + args.batch])))
            (probs,) = sess.run(None, {input_name: x})
            words.extend(greedy_ctc(probs, alphabet))
        seconds = time.perf_counter() - start

    correct = sum(normalize(w) == normalize(t) for w, t in zip(words, truth))
    exact = sum(w == t for w, t in zip(words, truth))
    print(
        f"{len(words)} words, batch {args.batch}, {args.threads} threads: word accuracy {exact / len(words):.4f} "
        f"(case-insensitive letters and digits {correct / len(words):.4f}); "
        f"{len(words) / seconds:.1f} words/s"
    )
    print(f"words_per_second {len(words) / seconds:.3f}")
    print(f"word_accuracy_normalized {correct / len(words):.6f}")


if __name__ == "__main__":
    main()
