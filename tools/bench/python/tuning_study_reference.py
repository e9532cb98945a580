#!/usr/bin/python3
"""Reference for tools/bench/src/tuning-study.bench.ts: the journey-3 study run by Optuna + scikit-learn, untracked,
in one process — Debian's /usr/bin/python3 with python3-optuna (3.1) and python3-sklearn (1.2).

The same study as the platform's: DecisionTreeClassifier on breast_cancer (the CSV the bench gives, the same rows),
3 parameters (max_depth int 2..12, min_samples_leaf int 1..20, criterion gini|entropy), objective the 5-fold
stratified CV binary F1 (scikit-learn's `f1`, pos_label=1, the platform's `f1`; fixed splits per seed, as the platform's trials share the study seed), maximised, TPE with
Optuna's defaults, N trials with n_jobs=2 (two trials at once in threads: Optuna's own parallelism in one process).
Prints one JSON object: per seed the wall time of study.optimize and the best value.

Usage: tuning_study_reference.py <breast_cancer.csv> <target column> <trials> <seed> [<seed> …]
"""
import json
import sys
import time

import numpy as np
import optuna
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.tree import DecisionTreeClassifier


def load(path, target):
    with open(path) as f:
        header = f.readline().strip().split(',')
    data = np.loadtxt(path, delimiter=',', skiprows=1)
    t = header.index(target)
    y = data[:, t].astype(int)
    x = np.delete(data, t, axis=1)
    return x, y


def run(x, y, trials, seed):
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)

    def objective(trial):
        model = DecisionTreeClassifier(
            max_depth=trial.suggest_int('max_depth', 2, 12),
            min_samples_leaf=trial.suggest_int('min_samples_leaf', 1, 20),
            criterion=trial.suggest_categorical('criterion', ['gini', 'entropy']),
            random_state=seed,
        )
        return float(np.mean(cross_val_score(model, x, y, cv=folds, scoring='f1')))

    study = optuna.create_study(direction='maximize', sampler=optuna.samplers.TPESampler(seed=seed))
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials, n_jobs=2)
    wall = time.perf_counter() - start
    return {'seed': seed, 'wallSeconds': wall, 'best': study.best_value, 'bestParams': study.best_params, 'trials': len(study.trials)}


def main():
    path, target, trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seeds = [int(s) for s in sys.argv[4:]] or [0]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    x, y = load(path, target)
    results = [run(x, y, trials, seed) for seed in seeds]
    print(json.dumps({'optuna': optuna.__version__, 'rows': int(x.shape[0]), 'features': int(x.shape[1]), 'runs': results}))


if __name__ == '__main__':
    main()
