#!/usr/bin/env python3
"""Writes resources/examples/tiny-bench.csv: a small synthetic tabular benchmark.

Every combination of four parameters (lr, width, depth, activation) has one
row with a validation and a test accuracy and a training time. The surface is
made up but shaped like a real one: a best learning rate that moves with depth,
diminishing returns in width, a cost that grows with width x depth, and seeded
noise, so the bundled tabular examples have something to search. Standard
library only; the same file comes out on every run.

    python3 scripts/make_tiny_bench.py [OUTPUT]
"""

import csv
import math
import random
import sys
from pathlib import Path

LRS = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
WIDTHS = [16, 32, 64, 128, 256]
DEPTHS = list(range(1, 9))
ACTIVATIONS = ["relu", "gelu", "tanh"]


def row(rng, lr, width, depth, activation):
    best_log_lr = -2.0 - 0.12 * depth  # deeper nets like smaller steps
    lr_term = -6.0 * (math.log10(lr) - best_log_lr) ** 2
    width_term = 9.0 * (1.0 - math.exp(-width / 64.0))
    depth_term = 4.0 * math.log(depth) - 0.35 * depth
    act_term = {"relu": 0.0, "gelu": 0.8, "tanh": -1.5}[activation]
    clean = 72.0 + lr_term + width_term + depth_term + act_term
    valid = clean + rng.gauss(0.0, 0.6)
    test = clean - 0.8 + rng.gauss(0.0, 0.6)
    seconds = 20.0 + 0.09 * width * depth * (1.0 + 0.2 * (activation == "gelu"))
    clip = lambda x: min(max(x, 10.0), 99.0)
    return [lr, width, depth, activation, f"{clip(valid):.3f}", f"{clip(test):.3f}", f"{seconds:.1f}"]


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "resources" / "examples" / "tiny-bench.csv")
    rng = random.Random(20240601)
    with out.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["lr", "width", "depth", "activation", "valid_acc", "test_acc", "train_seconds"])
        for lr in LRS:
            for width in WIDTHS:
                for depth in DEPTHS:
                    for activation in ACTIVATIONS:
                        writer.writerow(row(rng, lr, width, depth, activation))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
