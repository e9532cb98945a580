"""Optuna reference for tools/bench/src/tuning-samplers.bench.ts: Branin and Hartmann-6 minimised with Optuna's
TPESampler (defaults) and RandomSampler, per seed the best value after `early` and after `trials` trials, plus the CPU
time of one ask + suggest + tell at `overheadAt` finished trials. Prints JSON. Argument: the spec as JSON."""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
H_P = [
    [v * 1e-4 for v in row]
    for row in [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
]


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6_value(x):
    total = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))
        total += H_ALPHA[i] * math.exp(-inner)
    return -total


def hartmann6(trial):
    return hartmann6_value([trial.suggest_float(f"x{j}", 0, 1) for j in range(6)])


def make_sampler(kind, seed):
    return optuna.samplers.TPESampler(seed=seed) if kind == "tpe" else optuna.samplers.RandomSampler(seed=seed)


def curves(objective, kind, spec):
    early, final = [], []
    for seed in range(spec["seeds"]):
        study = optuna.create_study(direction="minimize", sampler=make_sampler(kind, seed))
        best = math.inf
        for n in range(spec["trials"]):
            trial = study.ask()
            value = objective(trial)
            study.tell(trial, value)
            best = min(best, value)
            if n + 1 == min(spec["early"], spec["trials"]):
                early.append(best)
        final.append(best)
    return {"early": early, "final": final}


def overhead_ms(spec):
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=0))
    random_study = optuna.create_study(direction="minimize", sampler=optuna.samplers.RandomSampler(seed=0))
    for _ in range(spec["overheadAt"]):
        trial = random_study.ask()
        value = hartmann6(trial)
        random_study.tell(trial, value)
    study.add_trials(random_study.get_trials(deepcopy=True))
    total = 0.0
    for _ in range(spec["overheadSuggestions"]):
        start = time.process_time()
        trial = study.ask()
        x = [trial.suggest_float(f"x{j}", 0, 1) for j in range(6)]
        total += time.process_time() - start
        value = hartmann6_value(x)
        start = time.process_time()
        study.tell(trial, value)
        total += time.process_time() - start
    return total / spec["overheadSuggestions"] * 1000


def main():
    spec = json.loads(sys.argv[1])
    problems = {}
    for name, objective in (("branin", branin), ("hartmann6", hartmann6)):
        problems[name] = {kind: curves(objective, kind, spec) for kind in ("tpe", "random")}
    print(json.dumps({"optuna": optuna.__version__, "problems": problems, "overheadMs": overhead_ms(spec)}))


if __name__ == "__main__":
    main()
