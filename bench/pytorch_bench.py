"""PyTorch peer of `kestrel-bench`: images/s of the same networks, same batch sizes, and
the process's peak resident memory while it trains (Linux, as `kestrel-bench` measures it).

Run on the same machine as the Rust bench, with the same thread count:
    python3 bench/pytorch_bench.py --threads 2
Needs `torch` and `torchvision` (not a dependency of Kestrel).
"""
import argparse
import time

import torch
import torch.nn as nn
import torchvision


def compact():
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(1, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2),
                         *block(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


NETS = {
    "compact": (compact, (1, 28)),
    "resnet18": (lambda: torchvision.models.resnet18(num_classes=10), (3, 224)),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(num_classes=10), (3, 224)),
}


def reset_peak():
    """Resets the peak resident set size (VmHWM) to the current one (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_mib():
    """The peak resident set size since `reset_peak`, in MiB, or None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def timed(fn, warmup=2, min_calls=3, min_seconds=3.0):
    for _ in range(warmup):
        fn()
    start, calls = time.perf_counter(), 0
    while calls < min_calls or time.perf_counter() - start < min_seconds:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("nets", nargs="*", default=list(NETS))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} threads; images/s")
    print("| network | input | infer bs1 | infer bs16 | train bs16 | train peak MiB |")
    print("|---|---|---|---|---|---|")
    for name in args.nets:
        make, (c, s) = NETS[name]
        net = make().eval()
        row = []
        for bs in (1, 16):
            x = torch.randn(bs, c, s, s)
            with torch.no_grad():
                row.append(bs / timed(lambda: net(x)))
        net.train()
        opt = torch.optim.SGD(net.parameters(), lr=0.01)
        x, y = torch.randn(16, c, s, s), torch.arange(16) % 10
        def step():
            opt.zero_grad()
            nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        reset_peak()
        row.append(16 / timed(step, warmup=1))
        peak = peak_mib()
        peak = "n/a" if peak is None else f"{peak:.0f}"
        print(f"| {name} | {s}x{s}x{c} | {row[0]:.1f} | {row[1]:.1f} | {row[2]:.1f} | {peak} |")


if __name__ == "__main__":
    main()
