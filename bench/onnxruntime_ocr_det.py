"""Word detection with ONNX Runtime, the peer of `kestrel ocr --mode detection`.

Two commands:

    python3 bench/onnxruntime_ocr_det.py scale OUT_DIR SIZE IMAGES...
    python3 bench/onnxruntime_ocr_det.py detect DET.onnx IMAGES... [--threads 2] [--image-size 960]
        [--compare KESTREL.json]

`scale` writes each image to OUT_DIR with its longest side scaled (up or down) to SIZE
(PIL's Lanczos; palette and other modes become RGB, grey stays grey; PNG stays PNG, JPEG is
written at quality 95), so that both engines read the same inputs. It needs only PIL.

`detect` finds the words of each image with a DB text detector (PaddleOCR's PP-OCRv4) the
way Kestrel's deep OCR does, one image at a time (batch 1), and prints the speed and the
number of words (with `--compare`, also the images where `kestrel ocr`'s JSON has another
number of words):

- preprocessing: RGB; scaled so that the longest side is at most `--image-size`
  (ratio = min(1, size / longest)), each side then round(side * ratio / 32) * 32 (halves
  away from zero, as Rust's `round`), at least 32; PIL's antialiased bilinear resize
  (Kestrel's fast_image_resize bilinear convolution matches it); ImageNet mean
  (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225); NCHW.
- post-processing in numpy, as Kestrel's `word_boxes` (PaddleOCR's DBPostProcess with the
  differences Kestrel documents): map pixels above 0.3 are text; their 8-connected
  components (run-length labelling; runs of consecutive rows joined with vectorised
  union-find, no scipy or OpenCV); components of fewer than ceil(16 / image pixels per map
  pixel) pixels dropped; score = mean probability over the component's pixels (PaddleOCR's
  "fast" score averages over the box instead), kept when >= 0.6; minimum-area rectangle of
  the component's pixel squares (convex hull + every hull edge direction), dropped when its
  shorter side is below 3; grown by area * 1.5 / perimeter on every side; mapped onto the
  image (minimum-area rectangle of the scaled corners); at most 1,000 words, the best
  scoring ones. Kestrel's final reading-order sort is left out (it does not change the
  words).

The clock runs from reading the first file to the last image's boxes; the session is made
before. `intra_op_num_threads` = THREADS, `inter_op_num_threads` = 1, sequential execution.
"""

import argparse
import math
import os
import time

import numpy as np
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)
MIN_CHARACTER_SCORE, MIN_WORD_SCORE, MIN_WORD_AREA = 0.3, 0.6, 16.0
UNCLIP_RATIO, MIN_WORD_SIDE, MAX_WORDS = 1.5, 3.0, 1000


def scale(out_dir, size, paths):
    """Writes each image with its longest side scaled to `size`."""
    os.makedirs(out_dir, exist_ok=True)
    for path in paths:
        with Image.open(path) as img:
            if img.mode not in ("L", "RGB"):
                img = img.convert("RGB")
            w, h = img.size
            ratio = size / max(w, h)
            img = img.resize((max(1, round(w * ratio)), max(1, round(h * ratio))), Image.LANCZOS)
        name = os.path.basename(path)
        if name.lower().endswith((".jpg", ".jpeg")):
            img.save(os.path.join(out_dir, name), quality=95)
        else:
            img.save(os.path.join(out_dir, name))


def detection_size(width, height, limit):
    """Kestrel's `detection_size`: at most `limit` on the longest side, multiples of 32."""
    longest = max(width, height)
    ratio = limit / longest if longest > limit else 1.0
    # Rust's `f64::round` rounds halves away from zero (720 / 32 = 22.5 -> 23); Python's
    # `round` would round them to even.
    return tuple(max(32, math.floor(side * ratio / 32.0 + 0.5) * 32) for side in (width, height))


def prepare(path, limit):
    """The detector's input (1, 3, H, W) and the image's size."""
    with Image.open(path) as img:
        img = img.convert("RGB")
        w, h = img.size
        mw, mh = detection_size(w, h, limit)
        if (mw, mh) != (w, h):
            img = img.resize((mw, mh), Image.BILINEAR)
    x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
    return ((x - MEAN) / STD)[None], (w, h)


def components(prob, threshold):
    """8-connected components of `prob > threshold`: per run (row, x0, x1, label) and per
    label (pixels, sum of probabilities); labels in the order of the first pixel."""
    h, w = prob.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = prob > threshold
    d = np.diff(padded, axis=1)
    ys, x0 = np.nonzero(d == 1)
    _, x1 = np.nonzero(d == -1)
    n = len(ys)
    if n == 0:
        return ys, x0, x1, ys, np.zeros(0), np.zeros(0)
    # Runs of row y - 1 touching run [x0, x1) of row y (8-connected): x0' <= x1, x1' >= x0.
    stride = w + 2
    start_key = ys * stride + x0
    end_key = ys * stride + x1
    lo = np.searchsorted(end_key, (ys - 1) * stride + x0, side="left")
    hi = np.searchsorted(start_key, (ys - 1) * stride + x1, side="right")
    count = np.maximum(hi - lo, 0)
    a = np.repeat(np.arange(n), count)
    b = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + np.repeat(lo, count)
    parent = np.arange(n)
    while len(a):
        pa, pb = parent[a], parent[b]
        differ = pa != pb
        if not differ.any():
            break
        a, b, pa, pb = a[differ], b[differ], pa[differ], pb[differ]
        # Hook the larger root onto the smaller, then compress every path to its root.
        np.minimum.at(parent, np.maximum(pa, pb), np.minimum(pa, pb))
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
    roots, label = np.unique(parent, return_inverse=True)
    row_cumsum = np.zeros((h, w + 1))
    np.cumsum(prob, axis=1, out=row_cumsum[:, 1:])
    sums = np.bincount(label, weights=row_cumsum[ys, x1] - row_cumsum[ys, x0], minlength=len(roots))
    pixels = np.bincount(label, weights=x1 - x0, minlength=len(roots))
    return ys, x0, x1, label, pixels, sums


def convex_hull(points):
    """Andrew's monotone chain over distinct points sorted by (x, y), counter-clockwise."""
    pts = sorted(set(map(tuple, points)))
    if len(pts) < 3:
        return np.array(pts, dtype=np.float64)

    def cross(o, p, q):
        return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


def min_area_rect(points):
    """(centre, axis u, half width along u, half height along v) or None when degenerate."""
    hull = convex_hull(points)
    if len(hull) < 3:
        return None
    edges = np.roll(hull, -1, axis=0) - hull
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    keep = lengths > 0
    u = edges[keep] / lengths[keep, None]
    v = np.stack([-u[:, 1], u[:, 0]], axis=1)
    pu, pv = hull @ u.T, hull @ v.T
    wu, wv = np.ptp(pu, axis=0), np.ptp(pv, axis=0)
    i = int(np.argmin(wu * wv))
    cu = (pu[:, i].min() + pu[:, i].max()) / 2
    cv = (pv[:, i].min() + pv[:, i].max()) / 2
    return cu * u[i] + cv * v[i], u[i], wu[i] / 2, wv[i] / 2


def word_boxes(prob, image_size):
    """Kestrel's `word_boxes`: (4 corners in image pixels, score) per word."""
    mh, mw = prob.shape
    iw, ih = image_size
    map_pixel = iw * ih / (mw * mh)
    min_area = math.ceil(MIN_WORD_AREA / map_pixel)
    sx, sy = iw / mw, ih / mh
    ys, x0, x1, label, pixels, sums = components(prob, MIN_CHARACTER_SCORE)
    if len(ys) == 0:
        return []
    scores = sums / np.maximum(pixels, 1)
    kept = np.flatnonzero((pixels >= min_area) & (scores >= MIN_WORD_SCORE))
    if len(kept) == 0:
        return []
    # The corners of each kept component's runs (pixel squares), grouped by component.
    mask = np.isin(label, kept)
    order = np.argsort(label[mask], kind="stable")
    lab = label[mask][order]
    y, a, b = ys[mask][order].astype(np.float64), x0[mask][order], x1[mask][order]
    corners = np.stack(
        [np.stack([a, y], 1), np.stack([a, y + 1], 1), np.stack([b, y], 1), np.stack([b, y + 1], 1)], 1
    ).reshape(-1, 4, 2)
    bounds = np.flatnonzero(np.diff(lab)) + 1
    words = []
    for c, pts in zip(kept, np.split(corners, bounds)):
        rect = min_area_rect(pts.reshape(-1, 2))
        if rect is None:
            continue
        centre, u, l1, l2 = rect
        if 2 * min(l1, l2) < MIN_WORD_SIDE:
            continue
        d = 4 * l1 * l2 * UNCLIP_RATIO / (4 * (l1 + l2))
        l1, l2 = l1 + d, l2 + d
        v = np.array([-u[1], u[0]])
        quad = np.array([centre + su * l1 * u + sv * l2 * v for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1))])
        quad *= (sx, sy)
        scaled = min_area_rect(quad)
        if scaled is not None:
            centre, u, l1, l2 = scaled
            v = np.array([-u[1], u[0]])
            quad = np.array([centre + su * l1 * u + sv * l2 * v for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1))])
        words.append((quad, float(scores[c])))
    if len(words) > MAX_WORDS:
        words.sort(key=lambda wd: -wd[1])
        words = words[:MAX_WORDS]
    return words


def detect(args):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(args.detector, opts, providers=["CPUExecutionProvider"])
    input_name = sess.get_inputs()[0].name

    found = []
    start = time.perf_counter()
    for path in args.images:
        x, size = prepare(path, args.image_size)
        (prob,) = sess.run(None, {input_name: x})
        found.append(word_boxes(prob[0, 0], size))
    seconds = time.perf_counter() - start

    n, words = len(found), sum(map(len, found))
    print(
        f"{n} images in {seconds:.2f}s ({n / seconds:.2f} images/s), {args.threads} threads: "
        f"{words} words"
    )
    print(f"images_per_second {n / seconds:.4f}")
    print(f"words {words}")
    if args.compare:
        import json

        with open(args.compare, encoding="utf-8") as f:
            theirs = {os.path.basename(r["image"]): len(r["words"]) for r in json.load(f)}
        for path, boxes in zip(args.images, found):
            name = os.path.basename(path)
            if theirs.get(name) != len(boxes):
                print(f"differs {name}: {theirs.get(name)} words there, {len(boxes)} here")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scale", help="write copies scaled to a longest side")
    s.add_argument("out_dir")
    s.add_argument("size", type=int)
    s.add_argument("images", nargs="+")
    d = sub.add_parser("detect", help="find the words with ONNX Runtime")
    d.add_argument("detector")
    d.add_argument("images", nargs="+")
    d.add_argument("--threads", type=int, default=2)
    d.add_argument("--image-size", type=int, default=960)
    d.add_argument("--compare", metavar="JSON", help="`kestrel ocr` results: print the images whose word counts differ")
    args = ap.parse_args()
    if args.command == "scale":
        scale(args.out_dir, args.size, args.images)
    else:
        detect(args)


if __name__ == "__main__":
    main()
