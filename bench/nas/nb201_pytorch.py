#!/usr/bin/python3
"""PyTorch twin of bench-nas-throughput: the same NAS-Bench-201 network, data
size, batch size, thread count and optimizer, so the two images/s figures can
be compared. Run with Debian's interpreter (python3-torch 1.13):

    /usr/bin/python3 bench/nas/nb201_pytorch.py --images 6000 --threads 2

The network mirrors core/nas/nb201_network.cpp (and NAS-Bench-201's
TinyNetwork/InferCell): 3x3 conv stem, three stages of N cells (C, 2C, 4C)
joined by stride-2 ResNet basic blocks, BN-ReLU, global average pool, linear.
"""
import argparse
import gzip
import math
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]
DEFAULT_CELL = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"


def parse_cell(text):
    ops = []
    for node in text.split("+"):
        for token in node.strip("|").split("|"):
            ops.append(OPS.index(token.split("~")[0]))
    assert len(ops) == 6, text
    return ops


class ReLUConvBN(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride, padding):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False),
                                nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False),
                                nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class Cell(nn.Module):
    def __init__(self, ops, c):
        super().__init__()
        self.kinds = ops
        self.edges = nn.ModuleList()
        for op in ops:
            if op == 2:
                self.edges.append(ReLUConvBN(c, c, 1, 1, 0))
            elif op == 3:
                self.edges.append(ReLUConvBN(c, c, 3, 1, 1))
            elif op == 4:
                self.edges.append(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False))
            else:
                self.edges.append(nn.Identity())

    def forward(self, x):
        nodes = [x, None, None, None]
        for e, (target, source) in enumerate(EDGES):
            kind = self.kinds[e]
            if kind == 0:
                continue
            inp = nodes[source]
            if inp is None:
                if kind != 2 and kind != 3:
                    continue
                inp = torch.zeros_like(x)
            y = self.edges[e](inp)
            nodes[target] = y if nodes[target] is None else nodes[target] + y
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_a = ReLUConvBN(c_in, c_out, 3, 2, 1)
        self.conv_b = ReLUConvBN(c_out, c_out, 3, 1, 1)
        self.downsample = nn.Sequential(nn.AvgPool2d(2, 2, 0),
                                        nn.Conv2d(c_in, c_out, 1, 1, 0, bias=False))

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class Network(nn.Module):
    def __init__(self, ops, c, n, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        layers = []
        for stage, width in enumerate([c, 2 * c, 4 * c]):
            if stage > 0:
                layers.append(BasicBlock(width // 2, width))
            layers.extend(Cell(ops, width) for _ in range(n))
        self.cells = nn.Sequential(*layers)
        self.lastact = nn.Sequential(nn.BatchNorm2d(4 * c), nn.ReLU())
        self.classifier = nn.Linear(4 * c, classes)

    def forward(self, x):
        x = self.lastact(self.cells(self.stem(x)))
        return self.classifier(x.mean(dim=(2, 3)))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--images", type=int, default=6000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--channels", type=int, default=16)
    parser.add_argument("--cells", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--cell", default=DEFAULT_CELL)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))[:args.images]
    labels = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))[:args.images]
    x_all = ((images.float() / 255.0 - 0.2860) / 0.3530).unsqueeze(1)
    y_all = labels.long()

    model = Network(parse_cell(args.cell), args.channels, args.cells)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4,
                                nesterov=True)
    steps = args.epochs * math.ceil(args.images / args.batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)

    model.train()
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(args.epochs):
        order = torch.randperm(args.images)
        for first in range(0, args.images, args.batch_size):
            index = order[first:first + args.batch_size]
            loss = F.cross_entropy(model(x_all[index]), y_all[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            if not math.isfinite(loss.item()):
                raise SystemExit("training diverged")
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    total = args.epochs * args.images
    print(f"pytorch {torch.__version__}: C={args.channels} N={args.cells} batch={args.batch_size} "
          f"threads={args.threads} images={total} seconds={seconds:.2f} "
          f"images/s={total / seconds:.1f} cpu_images/s={total / cpu_seconds:.1f} "
          f"final_loss={loss.item():.4f}")


if __name__ == "__main__":
    main()
