#!/usr/bin/python3
"""Golden values for the evaluation train() stores (one-vs-rest curves and areas, log loss, weighted scores,
residual summaries), computed with Debian's scikit-learn and numpy.

Run from the repository root with Debian's interpreter (another python3 may be first on PATH):

    apt-get install -y python3-sklearn
    /usr/bin/python3 libs/ml/evaluation/src/__fixtures__/make-training-golden.py

Writes libs/ml/evaluation/src/__fixtures__/sklearn-training-golden.json next to this script; the TypeScript
tests read it and never need Python. Each value is stored with the exact inputs it was computed on; floats are
written with repr (shortest round-trip).
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, label_binarize
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
DATA = os.path.join(ROOT, "libs", "ml", "datasets", "data")


def load(name):
    path = os.path.join(DATA, name + (".csv.gz" if name == "regression_20k" else ".csv"))
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def split(name):
    with open(os.path.join(DATA, "splits.json")) as f:
        s = json.load(f)[name + ".csv"]
    return np.array(s["train"]), np.array(s["test"])


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def ovr_case(name, y_true, proba):
    """Per class c: ROC AUC and average precision of (y == c) against proba[:, c]; then the macro areas."""
    k = proba.shape[1]
    y_pred = proba.argmax(axis=1)
    case = {
        "name": name,
        "nClasses": k,
        "yTrue": ints(y_true),
        "proba": [floats(row) for row in proba],
        "logLoss": metrics.log_loss(y_true, proba, labels=list(range(k))),
        "yPred": ints(y_pred),
    }
    p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average="weighted", zero_division=0)
    case["weighted"] = {"precision": p, "recall": r, "f1": f}
    per_class = []
    for c in range(k):
        binary = (y_true == c).astype(int)
        fpr, tpr, _ = metrics.roc_curve(binary, proba[:, c])
        prec, rec, _ = metrics.precision_recall_curve(binary, proba[:, c])
        per_class.append(
            {
                "rocAuc": metrics.roc_auc_score(binary, proba[:, c]),
                "averagePrecision": metrics.average_precision_score(binary, proba[:, c]),
                "rocPoints": len(fpr),
                "prPoints": len(prec),
            }
        )
    case["perClass"] = per_class
    if k == 2:
        case["rocAuc"] = metrics.roc_auc_score(y_true, proba[:, 1])
        case["averagePrecision"] = metrics.average_precision_score(y_true, proba[:, 1])
    else:
        case["rocAucOvrMacro"] = metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro")
        case["averagePrecisionMacro"] = metrics.average_precision_score(label_binarize(y_true, classes=list(range(k))), proba, average="macro")
    return case


def residual_case(name, y_true, y_pred, bins=20):
    r = y_true - y_pred
    counts, edges = np.histogram(r, bins=bins)
    return {
        "name": name,
        "yTrue": floats(y_true),
        "yPred": floats(y_pred),
        "bins": bins,
        "count": int(r.size),
        "mean": float(np.mean(r)),
        "std": float(np.std(r)),
        "min": float(np.min(r)),
        "max": float(np.max(r)),
        "maxAbs": float(np.max(np.abs(r))),
        "quantiles": {f"p{int(q * 100)}": float(np.quantile(r, q)) for q in [0.05, 0.25, 0.5, 0.75, 0.95]},
        "histogram": {"edges": floats(edges), "counts": ints(counts)},
    }


def golden():
    out = {"oneVsRest": [], "residuals": []}
    for name in ["breast_cancer", "iris", "wine", "digits"]:
        X, y = load(name)
        tr, te = split(name)
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.05 if name == "digits" else 1.0))
        model.fit(X[tr], y[tr])
        out["oneVsRest"].append(ovr_case(f"{name}_logreg", y[te], model.predict_proba(X[te])))
    for name in ["breast_cancer", "wine"]:
        # A tree's leaf frequencies: exact 0s and 1s (log loss clipping) and heavy ties (curve thresholds).
        X, y = load(name)
        tr, te = split(name)
        tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X[tr], y[tr])
        out["oneVsRest"].append(ovr_case(f"{name}_tree_depth3", y[te], tree.predict_proba(X[te])))

    X, y = load("regression_20k")
    tr, te = split("regression_20k")
    te = te[:800]  # enough for every quantile and bin to be exercised, small enough to commit
    pred = DecisionTreeRegressor(max_depth=6, random_state=0).fit(X[tr], y[tr]).predict(X[te])
    out["residuals"].append(residual_case("regression_20k_tree_depth6_first800", y[te], pred))
    out["residuals"].append(residual_case("integers_with_ties", np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], dtype=float), np.zeros(11), bins=4))
    out["residuals"].append(residual_case("constant", np.array([2.5, 2.5, 2.5]), np.array([1.0, 1.0, 1.0]), bins=5))
    out["residuals"].append(residual_case("single", np.array([7.0]), np.array([9.0])))
    return out


if __name__ == "__main__":
    path = os.path.join(HERE, "sklearn-training-golden.json")
    payload = {"_generatedBy": "libs/ml/evaluation/src/__fixtures__/make-training-golden.py", "_sklearn": sklearn.__version__, "_numpy": np.__version__, **golden()}
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)", file=sys.stderr)
