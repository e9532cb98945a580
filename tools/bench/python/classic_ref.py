#!/usr/bin/python3
"""Reference timings for tools/bench/src/classic.bench.ts, run with Debian's /usr/bin/python3 + scikit-learn.

Reads raw little-endian arrays written by the TypeScript bench (so both sides see identical data), times only
the fit / metric call in process CPU seconds, single-threaded (the caller sets OMP_NUM_THREADS=1 etc.; threadpoolctl enforces it
too), and prints one JSON object on stdout. Each timing is the best of `repeats` runs.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl ships with Debian's scikit-learn
    threadpool_limits = None


def best_of(repeats, fn):
    times = []
    result = None
    for _ in range(repeats):
        # Process CPU time, like the TypeScript side: the bench machine is shared, wall time measures its load.
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def main():
    spec = json.loads(sys.argv[1])
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    from contextlib import nullcontext

    with threadpool_limits(1) if threadpool_limits else nullcontext():
        if "kmeans" in spec:
            s = spec["kmeans"]
            X = np.fromfile(s["x"], dtype=np.float32).reshape(s["n"], s["d"])
            init = np.fromfile(s["init"], dtype=np.float64).reshape(s["k"], s["d"]).astype(np.float32)
            fit = lambda: KMeans(n_clusters=s["k"], init=init, n_init=1, max_iter=s["maxIter"], algorithm="lloyd").fit(X)
            t, km = best_of(s["repeats"], fit)
            out["kmeans"] = {"seconds": t, "inertia": float(km.inertia_), "nIter": int(km.n_iter_)}
        if "cart" in spec:
            s = spec["cart"]
            X = np.fromfile(s["x"], dtype=np.float64).reshape(s["n"], s["d"])
            y = np.fromfile(s["y"], dtype=np.float64)
            t, tree = best_of(s["repeats"], lambda: DecisionTreeClassifier(random_state=0).fit(X, y))
            out["cart"] = {"seconds": t, "nodeCount": int(tree.tree_.node_count), "depth": int(tree.get_depth())}
        if "auc" in spec:
            s = spec["auc"]
            y = np.fromfile(s["y"], dtype=np.float64)
            scores = np.fromfile(s["scores"], dtype=np.float64)
            t, auc = best_of(s["repeats"], lambda: roc_auc_score(y, scores))
            out["auc"] = {"seconds": t, "auc": float(auc)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
