"""PyTorch CPU reference for tools/bench/src/cnn.bench.ts: the same CNN and MLP, single thread.

Prints one JSON object: wall and CPU seconds of each epoch (CPU time is the fair figure on a
shared machine, where wall time depends on what else runs). Run with Debian's /usr/bin/python3
(python3-torch). Data are random but seeded; timings, not accuracy, are the point.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
from torch import nn


def cnn(channels: int, size: int, classes: int) -> nn.Module:
    # Conv2D → MaxPool → Conv2D → MaxPool → Conv2D → Flatten → Dense → Dropout → Dense, 'same' padding,
    # as CnnClassifier builds it (its defaults: filters 32/64/64, kernel 3, dense 64, dropout 0.25).
    final = size // 4
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * final * final, 64), nn.ReLU(), nn.Dropout(0.25), nn.Linear(64, classes),
    )


def mlp(features: int) -> nn.Module:
    # NnRegressor's defaults: 64 relu → 32 relu → 1 linear.
    return nn.Sequential(nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn, batch: int, epochs: int, seed: int) -> list:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    times = []
    model.train()
    for _ in range(epochs):
        start, start_cpu = time.perf_counter(), time.process_time()
        order = torch.randperm(x.shape[0], generator=generator)
        for i in range(0, x.shape[0], batch):
            index = order[i:i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
        times.append({"wall": time.perf_counter() - start, "cpu": time.process_time() - start_cpu})
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--regression-csv", default=None, help="regression_20k.csv.gz; the first 16,000 rows are used")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(42)
    rng = np.random.default_rng(42)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    x = torch.from_numpy(rng.random((args.images, args.channels, args.size, args.size), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, args.classes, args.images))
    result["cnn_epoch_s"] = train(cnn(args.channels, args.size, args.classes), x, y, nn.CrossEntropyLoss(), args.batch, args.epochs, 1)

    if args.regression_csv:
        with gzip.open(args.regression_csv, "rt") as f:
            table = np.loadtxt(f, delimiter=",", skiprows=1, dtype=np.float32)[:16000]
        features = (table[:, :-1] - table[:, :-1].mean(0)) / table[:, :-1].std(0)
        target = (table[:, -1:] - table[:, -1].mean()) / table[:, -1].std()
        result["mlp_epoch_s"] = train(
            mlp(features.shape[1]), torch.from_numpy(features), torch.from_numpy(target), nn.MSELoss(), 64, args.epochs, 2
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
