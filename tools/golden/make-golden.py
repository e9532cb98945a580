#!/usr/bin/python3
"""Golden values for the ml-algorithms and ml-evaluation tests, computed with Debian's scikit-learn.

Run from the repository root with Debian's interpreter (another python3 may be first on PATH):

    apt-get install -y python3-sklearn
    /usr/bin/python3 tools/golden/make-golden.py

Writes two committed fixtures; the TypeScript tests read them and never need Python:
  libs/ml/evaluation/src/__fixtures__/sklearn-golden.json
  libs/ml/algorithms/src/__fixtures__/sklearn-golden.json

Every metric is stored next to the exact inputs it was computed on (true labels, predictions, scores), so the
JS metrics run on byte-identical inputs. Floats are written with repr (shortest round-trip), so nothing is lost.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
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


def classification_case(name, y_true, y_pred, proba):
    n_classes = proba.shape[1]
    case = {
        "name": name,
        "nClasses": n_classes,
        "yTrue": ints(y_true),
        "yPred": ints(y_pred),
        "proba": [floats(row) for row in proba],
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "confusionMatrix": [ints(r) for r in metrics.confusion_matrix(y_true, y_pred)],
        "logLoss": metrics.log_loss(y_true, proba),
    }
    for avg in ["macro", "micro", "weighted"]:
        p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average=avg, zero_division=0)
        case[avg] = {"precision": p, "recall": r, "f1": f}
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    case["perClass"] = {"precision": floats(p), "recall": floats(r), "f1": floats(f), "support": ints(s)}
    if n_classes == 2:
        p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=0)
        case["binary"] = {"precision": p, "recall": r, "f1": f}
        case["rocAuc"] = metrics.roc_auc_score(y_true, proba[:, 1])
    else:
        case["rocAucOvrMacro"] = metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro")
    return case


def curve_case(name, y_true, y_score):
    fpr, tpr, thr = metrics.roc_curve(y_true, y_score)
    fpr_all, tpr_all, thr_all = metrics.roc_curve(y_true, y_score, drop_intermediate=False)
    prec, rec, pr_thr = metrics.precision_recall_curve(y_true, y_score)
    return {
        "name": name,
        "yTrue": ints(y_true),
        "yScore": floats(y_score),
        "roc": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr)},
        "rocAll": {"fpr": floats(fpr_all), "tpr": floats(tpr_all), "thresholds": floats(thr_all)},
        "rocAuc": metrics.roc_auc_score(y_true, y_score),
        "pr": {"precision": floats(prec), "recall": floats(rec), "thresholds": floats(pr_thr)},
        "averagePrecision": metrics.average_precision_score(y_true, y_score),
    }


def evaluation_golden():
    out = {"classification": [], "curves": [], "regression": [], "clustering": []}
    for name in ["breast_cancer", "iris", "wine", "digits"]:
        X, y = load(name)
        tr, te = split(name)
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.05 if name == "digits" else 1.0))
        model.fit(X[tr], y[tr])
        proba = model.predict_proba(X[te])
        out["classification"].append(classification_case(name, y[te], model.predict(X[te]), proba))
        if name == "breast_cancer":
            out["curves"].append(curve_case("breast_cancer_logreg", y[te], proba[:, 1]))
            # Rounded scores: many ties, which is where roc_curve's tie handling and drop_intermediate show.
            out["curves"].append(curve_case("breast_cancer_logreg_rounded", y[te], np.round(proba[:, 1], 1)))
            tree_proba = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
            out["curves"].append(curve_case("breast_cancer_tree_depth3", y[te], tree_proba))

    X, y = load("regression_20k")
    tr, te = split("regression_20k")
    for depth in [4, 8]:
        pred = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(X[tr], y[tr]).predict(X[te])
        out["regression"].append(
            {
                "name": f"regression_20k_tree_depth{depth}",
                "yTrue": floats(y[te]),
                "yPred": floats(pred),
                "mse": metrics.mean_squared_error(y[te], pred),
                "rmse": metrics.mean_squared_error(y[te], pred, squared=False),
                "mae": metrics.mean_absolute_error(y[te], pred),
                "r2": metrics.r2_score(y[te], pred),
            }
        )

    for name, k in [("iris", 3), ("wine", 3)]:
        X, y = load(name)
        Xs = StandardScaler().fit_transform(X)
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(Xs)
        out["clustering"].append(
            {
                "name": f"{name}_standardized_kmeans{k}",
                "features": [floats(r) for r in Xs],
                "labelsTrue": ints(y),
                "labelsPred": ints(labels),
                "adjustedRandIndex": metrics.adjusted_rand_score(y, labels),
                "silhouetteTrue": metrics.silhouette_score(Xs, y),
                "silhouettePred": metrics.silhouette_score(Xs, labels),
            }
        )
    return out


def algorithms_golden():
    out = {"kmeans": [], "tree": []}
    for name, k in [("iris", 3), ("wine", 3), ("digits", 10)]:
        X, _ = load(name)
        centers, _ = kmeans_plusplus(X, n_clusters=k, random_state=0)
        km = KMeans(n_clusters=k, init=centers, n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd").fit(X)
        out["kmeans"].append(
            {
                "dataset": name,
                "k": k,
                "initCenters": [floats(r) for r in centers],
                "inertia": float(km.inertia_),
                "nIter": int(km.n_iter_),
                "centers": [floats(r) for r in km.cluster_centers_],
                "clusterSizes": ints(np.bincount(km.labels_, minlength=k)),
            }
        )
    for name in ["digits", "breast_cancer", "iris", "wine"]:
        X, y = load(name)
        tr, te = split(name)
        for criterion in ["gini", "entropy"]:
            tree = DecisionTreeClassifier(criterion=criterion, random_state=0).fit(X[tr], y[tr])
            out["tree"].append(
                {
                    "dataset": name,
                    "criterion": criterion,
                    "testAccuracy": metrics.accuracy_score(y[te], tree.predict(X[te])),
                    "trainAccuracy": metrics.accuracy_score(y[tr], tree.predict(X[tr])),
                    "testPredictions": ints(tree.predict(X[te])),
                    "featureImportances": floats(tree.feature_importances_),
                    "nodeCount": int(tree.tree_.node_count),
                    "depth": int(tree.get_depth()),
                }
            )
    return out


def write(path, payload):
    payload = {"_generatedBy": "tools/golden/make-golden.py", "_sklearn": sklearn.__version__, "_numpy": np.__version__, **payload}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    write(os.path.join(ROOT, "libs/ml/evaluation/src/__fixtures__/sklearn-golden.json"), evaluation_golden())
    write(os.path.join(ROOT, "libs/ml/algorithms/src/__fixtures__/sklearn-golden.json"), algorithms_golden())
