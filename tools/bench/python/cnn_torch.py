"""PyTorch CPU reference for tools/bench/src/cnn.bench.ts: the same CNN and MLP, same data sizes, batch, epochs, float32.

Prints one JSON object: wall and CPU seconds of each epoch plus the configuration it ran under. Run with Debian's
/usr/bin/python3 (python3-torch 1.13, python3-threadpoolctl, libopenblas0-pthread). Data are random but seeded;
timings, not accuracy, are the point.

Two configurations (`--config`):
- `untuned`: the reference as the bench ran it before 2026-12-01 — glibc malloc defaults, the system libblas.so.3 at
  its own thread count, `torch.set_num_threads(1)`, mkldnn on, NCHW, `zero_grad()` writing zeros.
- `tuned` (default): PyTorch at its best on the 2-core bench VM (../shared/TOOLCHAIN.md, "PyTorch reference at its
  best"; each choice measured with `--sweep`, figures in tools/bench/RESULTS-neural.md). glibc malloc keeps freed
  activation buffers instead of unmapping and re-mapping them every step (mallopt M_MMAP_THRESHOLD 32 MiB,
  M_TRIM_THRESHOLD 256 MiB, set before numpy/torch load), OpenBLAS (pthread build) pinned to one thread so it never
  competes with torch's own OpenMP threads, and the torch thread count, mkldnn, memory format and zero_grad mode below.
Every setting can be overridden one at a time (`--cnn-threads 2`, `--mlp-mkldnn on`, ...). Two ways to choose them:
`--sweep` runs each one-setting variant in a fresh process (needed for malloc and the BLAS library, which are per
process); `--ab key=v1,v2` alternates epochs between the values in one process (thread count, mkldnn, memory format,
zero_grad), which keeps a shared machine's changing load from deciding the comparison.

Evaluation (inference_mode/no_grad) is not part of the timed epochs: the bench times training only, with no
validation split, on both sides.
"""
import argparse
import ctypes
import gzip
import json
import os
import subprocess
import sys
import time

# glibc's mallopt parameter numbers (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
REFERENCE_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/blas"
REEXEC_MARK = "SLIPWAY_CNN_TORCH_BLAS"

# The winners of `--sweep` / `--ab` on the bench VM (2 cores), 2026-12-01; see RESULTS-neural.md. Settings that torch can change
# at run time are per network (each net is timed on its own); malloc and BLAS are per process.
TUNED = {
    "malloc": "on",
    "blas": "openblas",
    "blas_threads": 1,
    "zero_grad": "zero",
    "cnn_threads": 1,
    "cnn_mkldnn": "on",
    "channels_last": "on",
    "mlp_threads": 1,
    "mlp_mkldnn": "on",
}
UNTUNED = {
    "malloc": "off",
    "blas": "system",
    "blas_threads": 0,  # 0: leave the library's own default
    "zero_grad": "zero",
    "cnn_threads": 1,
    "cnn_mkldnn": "on",
    "channels_last": "off",
    "mlp_threads": 1,
    "mlp_mkldnn": "on",
}


def parse_args(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--regression-csv", default=None, help="regression_20k.csv.gz; the first 16,000 rows are used")
    parser.add_argument("--only", choices=["cnn", "mlp", "both"], default="both")
    parser.add_argument("--config", choices=["tuned", "untuned"], default="tuned")
    parser.add_argument("--malloc", choices=["on", "off"])
    parser.add_argument("--blas", choices=["openblas", "reference", "system"])
    parser.add_argument("--blas-threads", type=int, help="0 leaves the BLAS library's default")
    parser.add_argument("--cnn-threads", type=int, help="torch.set_num_threads for the CNN")
    parser.add_argument("--mlp-threads", type=int, help="torch.set_num_threads for the MLP")
    parser.add_argument("--cnn-mkldnn", choices=["on", "off"], help="torch.backends.mkldnn.enabled for the CNN")
    parser.add_argument("--mlp-mkldnn", choices=["on", "off"], help="torch.backends.mkldnn.enabled for the MLP")
    parser.add_argument("--channels-last", choices=["on", "off"], help="CNN weights and images in NHWC")
    parser.add_argument("--zero-grad", choices=["none", "zero"], help="optimizer.zero_grad(set_to_none=...)")
    parser.add_argument("--sweep", action="store_true", help="time each setting against the tuned one, fresh process each")
    parser.add_argument("--repeats", type=int, default=2, help="--sweep: processes per variant")
    parser.add_argument("--process-only", action="store_true", help="--sweep: only the per-process settings (malloc, BLAS)")
    parser.add_argument("--ab", help="key=v1,v2 (e.g. cnn_threads=1,2): alternate epochs between values in one process")
    parser.add_argument("--rounds", type=int, default=6, help="--ab: counted epochs per value")
    args = parser.parse_args(argv)
    settings = dict(TUNED if args.config == "tuned" else UNTUNED)
    for key in settings:
        value = getattr(args, key)
        if value is not None:
            settings[key] = value
    return args, settings


def select_blas(settings):
    """Points libblas.so.3 at the chosen build for this process only (re-exec with LD_LIBRARY_PATH), not machine-wide."""
    wanted = {"openblas": OPENBLAS_DIR, "reference": REFERENCE_BLAS_DIR}.get(settings["blas"])
    if wanted is None or os.environ.get(REEXEC_MARK) == wanted:
        return
    if not os.path.exists(os.path.join(wanted, "libblas.so.3")):
        settings["blas"] = "system"  # not installed here: the run says so in its config
        return
    env = dict(os.environ)
    env[REEXEC_MARK] = wanted
    env["LD_LIBRARY_PATH"] = wanted + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def configure_before_import(settings):
    """What must happen before numpy/torch load: malloc thresholds and BLAS thread count."""
    if settings["malloc"] == "on":
        libc = ctypes.CDLL("libc.so.6")
        # mallopt returns 1 on success; a fixed M_MMAP_THRESHOLD also turns off glibc's sliding threshold.
        settings["malloc_ok"] = bool(libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 256 << 20))
    if settings["blas_threads"] > 0:
        os.environ["OPENBLAS_NUM_THREADS"] = str(settings["blas_threads"])


def build_cnn(nn, channels, size, classes):
    # Conv2D → MaxPool → Conv2D → MaxPool → Conv2D → Flatten → Dense → Dropout → Dense, 'same' padding,
    # as CnnClassifier builds it (its defaults: filters 32/64/64, kernel 3, dense 64, dropout 0.25).
    final = size // 4
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * final * final, 64), nn.ReLU(), nn.Dropout(0.25), nn.Linear(64, classes),
    )


def build_mlp(nn, features):
    # NnRegressor's defaults: 64 relu → 32 relu → 1 linear.
    return nn.Sequential(nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))


class Trainer:
    """One network, its optimizer and its seeded batch order; `epoch()` trains one epoch and returns its seconds."""

    def __init__(self, torch, model, x, y, loss_fn, batch, seed, set_to_none):
        self.torch, self.model, self.x, self.y, self.loss_fn, self.batch = torch, model, x, y, loss_fn, batch
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.generator = torch.Generator().manual_seed(seed)
        self.set_to_none = set_to_none
        model.train()

    def epoch(self):
        start, start_cpu = time.perf_counter(), time.process_time()
        order = self.torch.randperm(self.x.shape[0], generator=self.generator)
        for i in range(0, self.x.shape[0], self.batch):
            index = order[i:i + self.batch]
            self.optimizer.zero_grad(set_to_none=self.set_to_none)
            loss = self.loss_fn(self.model(self.x[index]), self.y[index])
            loss.backward()
            self.optimizer.step()
        return {"wall": time.perf_counter() - start, "cpu": time.process_time() - start_cpu}


def load_libraries(settings):
    configure_before_import(settings)
    import numpy as np
    import torch
    from torch import nn

    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:  # python3-threadpoolctl not installed: the environment variable above still applies
        threadpool_info = threadpool_limits = None
    if threadpool_limits and settings["blas_threads"] > 0:
        threadpool_limits(limits=settings["blas_threads"], user_api="blas")
    return np, torch, nn, threadpool_info


def apply_runtime(torch, settings, net):
    """The settings torch can change between epochs of one process."""
    torch.set_num_threads(settings[f"{net}_threads"])
    torch.backends.mkldnn.enabled = settings[f"{net}_mkldnn"] == "on"


def make_trainer(np, torch, nn, args, settings, net):
    set_to_none = settings["zero_grad"] == "none"
    torch.manual_seed(42)
    if net == "cnn":
        rng = np.random.default_rng(42)
        x = torch.from_numpy(rng.random((args.images, args.channels, args.size, args.size), dtype=np.float32))
        y = torch.from_numpy(rng.integers(0, args.classes, args.images))
        model = build_cnn(nn, args.channels, args.size, args.classes)
        if settings["channels_last"] == "on":
            model = model.to(memory_format=torch.channels_last)
            x = x.contiguous(memory_format=torch.channels_last)
        return Trainer(torch, model, x, y, nn.CrossEntropyLoss(), args.batch, 1, set_to_none)
    with gzip.open(args.regression_csv, "rt") as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1, dtype=np.float32)[:16000]
    features = (table[:, :-1] - table[:, :-1].mean(0)) / table[:, :-1].std(0)
    target = (table[:, -1:] - table[:, -1].mean()) / table[:, -1].std()
    model = build_mlp(nn, features.shape[1])
    return Trainer(torch, model, torch.from_numpy(features), torch.from_numpy(target), nn.MSELoss(), args.batch, 2, set_to_none)


def nets(args):
    wanted = ["cnn", "mlp"] if args.only == "both" else [args.only]
    return [n for n in wanted if n == "cnn" or args.regression_csv]


def measure(args, settings):
    np, torch, nn, threadpool_info = load_libraries(settings)
    result = {"torch": torch.__version__, "config": args.config, "settings": settings, "load_before": os.getloadavg()[0]}
    if threadpool_info:
        result["threadpools"] = [
            {k: p.get(k) for k in ("internal_api", "num_threads", "filepath")} for p in threadpool_info()
        ]
    for net in nets(args):
        apply_runtime(torch, settings, net)
        trainer = make_trainer(np, torch, nn, args, settings, net)
        result[f"{net}_epoch_s"] = [trainer.epoch() for _ in range(args.epochs)]
    return result


def ab(args, settings):
    """`--ab key=v1,v2`: one process, one trainer per value, epochs alternating between them (the order flips each
    round), so a shared machine's changing load falls on every value alike; round 0 is warm-up."""
    key, _, raw = args.ab.partition("=")
    key = key.replace("-", "_")
    if key not in settings or key in ("malloc", "blas", "blas_threads"):
        raise SystemExit(f"--ab: {key} is not a setting torch can change at run time")
    if key.startswith("mlp_"):
        net = "mlp"
    elif key.startswith("cnn_") or key == "channels_last":
        net = "cnn"
    else:
        net = nets(args)[0]
    values = [int(v) if isinstance(settings[key], int) else v for v in raw.split(",")]
    np, torch, nn, _ = load_libraries(settings)
    variants = []
    for value in values:
        variant = dict(settings, **{key: value})
        apply_runtime(torch, variant, net)
        variants.append((value, variant, make_trainer(np, torch, nn, args, variant, net), []))
    for round_ in range(args.rounds + 1):
        for value, variant, trainer, times in variants if round_ % 2 == 0 else reversed(variants):
            apply_runtime(torch, variant, net)
            t = trainer.epoch()
            if round_ > 0:
                times.append(t)
    summary = []
    for value, _, _, times in variants:
        walls, cpus = sorted(t["wall"] for t in times), sorted(t["cpu"] for t in times)
        summary.append({key: value, "wall_median": walls[len(walls) // 2], "wall_min": walls[0],
                        "cpu_median": cpus[len(cpus) // 2], "cpu_min": cpus[0]})
    return {"torch": torch.__version__, "net": net, "rounds": args.rounds, "load_after": os.getloadavg()[0], "ab": summary}


def steady(times, key):
    counted = times[1:] if len(times) > 1 else times
    return sum(t[key] for t in counted) / len(counted)


def sweep(args):
    """Each variant differs from the tuned configuration in one setting; fresh processes, interleaved repeats."""
    base = [a for a in sys.argv[1:] if a not in ("--sweep", "--process-only")]
    # The untuned reference ran with the bench's OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 (OpenBLAS also reads OMP_NUM_THREADS).
    untuned_env = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    variants = [
        ("tuned", []),
        ("untuned", ["--config", "untuned"]),
        ("malloc off", ["--malloc", "off"]),
        ("system BLAS, its default threads", ["--blas", "system", "--blas-threads", "0"]),
        ("reference BLAS", ["--blas", "reference"]),
    ]
    if not args.process_only:
        variants.append(("zero_grad(set_to_none=True)", ["--zero-grad", "none"]))
    if args.only in ("cnn", "both") and not args.process_only:
        variants += [
            ("CNN: 2 torch threads", ["--cnn-threads", "2"]),
            ("CNN: mkldnn off", ["--cnn-mkldnn", "off"]),
            ("CNN: channels_last off", ["--channels-last", "off"]),
            ("CNN: channels_last off, 2 threads", ["--channels-last", "off", "--cnn-threads", "2"]),
        ]
    if args.only in ("mlp", "both") and not args.process_only:
        variants += [("MLP: 2 torch threads", ["--mlp-threads", "2"]), ("MLP: mkldnn off", ["--mlp-mkldnn", "off"])]
    # Variants that only change one net's settings still run both nets unless --only says otherwise.
    rows = {name: [] for name, _ in variants}
    for _ in range(args.repeats):
        for name, extra in variants:
            env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
            if name == "untuned":
                env.update(untuned_env)
            command = [sys.executable, os.path.abspath(__file__)] + base + extra
            out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            rows[name].append(json.loads(out.stdout.strip().split("\n")[-1]))
    table = []
    for name, runs in rows.items():
        row = {"variant": name, "max_load_before": max(r["load_before"] for r in runs)}
        for net in ("cnn", "mlp"):
            key = f"{net}_epoch_s"
            if key in runs[0]:
                row[f"{net}_wall"] = min(steady(r[key], "wall") for r in runs)
                row[f"{net}_cpu"] = min(steady(r[key], "cpu") for r in runs)
        table.append(row)
    return {"torch": rows["tuned"][0]["torch"], "repeats": args.repeats, "sweep": table}


def main():
    args, settings = parse_args(sys.argv[1:])
    if args.sweep:
        print(json.dumps(sweep(args)))
        return
    select_blas(settings)
    print(json.dumps(ab(args, settings) if args.ab else measure(args, settings)))


if __name__ == "__main__":
    main()
