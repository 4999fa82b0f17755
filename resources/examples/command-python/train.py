#!/usr/bin/env python3
"""A complete training script driven by Bonsai's `command` objective.

Trains a one-hidden-layer network with plain SGD on a seeded two-spirals
data set (standard library only, so it runs anywhere python3 does) and speaks
Bonsai's stdout protocol:

    {"step": k, "value": v}        validation accuracy after epoch k
    {"value": v, "attrs": {...}}   the final result and extra trial attributes

Any other line is ordinary log output. Hyperparameters come from the command
line (the spec's argv placeholders); Bonsai also passes them all as JSON in
BONSAI_PARAMS and in the file named by BONSAI_PARAMS_FILE.
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time


def spirals(count, noise, rng):
    """Two interleaved spirals: a small problem a linear model cannot solve."""
    points = []
    for i in range(count):
        label = i % 2
        t = 0.25 + 1.75 * rng.random()
        angle = t * math.pi + label * math.pi
        x = t * math.cos(angle) / 3.5 + rng.gauss(0, noise)
        y = t * math.sin(angle) / 3.5 + rng.gauss(0, noise)
        points.append(((x, y), label))
    return points


class Network:
    """2 inputs -> `hidden` tanh units -> 1 sigmoid output."""

    def __init__(self, hidden, rng):
        scale = 1.0 / math.sqrt(2)
        self.w1 = [[rng.gauss(0, 2 * scale) for _ in range(2)] for _ in range(hidden)]
        self.b1 = [rng.gauss(0, 1) for _ in range(hidden)]
        self.w2 = [rng.gauss(0, 1.0 / math.sqrt(hidden)) for _ in range(hidden)]
        self.b2 = 0.0

    def forward(self, x):
        h = [math.tanh(w[0] * x[0] + w[1] * x[1] + b) for w, b in zip(self.w1, self.b1)]
        z = sum(w * a for w, a in zip(self.w2, h)) + self.b2
        return h, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def sgd_step(self, x, label, lr, l2):
        h, p = self.forward(x)
        dz = p - label  # d(cross-entropy)/dz
        for j, a in enumerate(h):
            dh = dz * self.w2[j] * (1.0 - a * a)
            self.w2[j] -= lr * (dz * a + l2 * self.w2[j])
            self.w1[j][0] -= lr * (dh * x[0] + l2 * self.w1[j][0])
            self.w1[j][1] -= lr * (dh * x[1] + l2 * self.w1[j][1])
            self.b1[j] -= lr * dh
        self.b2 -= lr * dz

    def accuracy(self, data):
        return sum((self.forward(x)[1] > 0.5) == bool(y) for x, y in data) / len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--hidden", type=int, required=True)
    parser.add_argument("--l2", type=float, default=0.0)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    # Bonsai stops a pruned or cancelled trial with SIGTERM; say so and leave.
    def on_term(signum, frame):
        print("received SIGTERM, stopping", file=sys.stderr, flush=True)
        sys.exit(143)

    signal.signal(signal.SIGTERM, on_term)
    print(f"trial {os.environ.get('BONSAI_TRIAL', '?')} of study "
          f"{os.environ.get('BONSAI_STUDY', '?')}: "
          f"{os.environ.get('BONSAI_PARAMS', json.dumps(vars(args)))}", flush=True)

    rng = random.Random(args.seed)
    train = spirals(400, 0.04, rng)
    valid = spirals(200, 0.04, rng)
    net = Network(args.hidden, rng)
    started = time.time()
    accuracy = 0.0
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        for x, y in train:
            net.sgd_step(x, y, args.lr, args.l2)
        accuracy = net.accuracy(valid)
        if math.isnan(net.b2):
            print("training diverged", file=sys.stderr)
            return 1
        print(json.dumps({"step": epoch, "value": accuracy}), flush=True)

    print(json.dumps({
        "value": accuracy,
        "attrs": {"train_accuracy": net.accuracy(train),
                  "train_seconds": round(time.time() - started, 3)},
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
