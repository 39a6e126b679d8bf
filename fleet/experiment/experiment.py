"""The fleet robustness experiment: real Flower SuperLink and SuperNodes on loopback, poisoned participants.

For each strategy, attack and number k of poisoned participants: one `flwr run` of R rounds over the same N
SuperNodes (started once), the coordinator recording each round's global arrays; then every round's global model is
evaluated by `coinsentry fleet evaluate` on the test set no participant trained on (partition.py). Poisoned
participants are chosen once, nested (the 5 are among the 10, the 10 among the 20), among participants holding data
of the attacked class; the attack table is the SuperNodes' `experiment-attack-file` (attacks.py).

  python3 experiment.py --parts PARTS --work WORK --binary coinsentry --nodes 50 --rounds 5 \
      --strategies FedAvg,Krum --ks 0,5,10,20 --attacks label-flip,sign-flip,bias-shift --out results.json
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cluster import Cluster  # noqa: E402

ATTACKS = {"label-flip": {"attack": "label-flip"}, "sign-flip": {"attack": "sign-flip", "scale": 10.0},
           "bias-shift": {"attack": "bias-shift", "shift": 1.0}}


def evaluate(binary: str, federation: str, base: str, test: str, files: list[str]) -> list[dict]:
    result = subprocess.run([binary, "fleet", "evaluate", "--federation", federation, "--base", base, "--features",
                             f"{test}/features.npy", "--labels", f"{test}/labels.npy", *files],
                            capture_output=True, text=True, check=True)
    rows = []
    for row in json.loads(result.stdout):
        counts = row.get("counts") or {}
        rows.append({"accuracy": row.get("accuracy"), "balanced_accuracy": row["balanced_accuracy"],
                     "recall": counts.get("recall"), "fpr": counts.get("fpr")})
    return rows


def converged_round(series: list[float], tolerance: float = 0.01) -> int:
    """The first round from which the score stays within `tolerance` of the final round's."""
    final = series[-1]
    for index in range(len(series)):
        if all(abs(value - final) <= tolerance for value in series[index:]):
            return index
    return len(series) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--federation", default="traffic")
    parser.add_argument("--base", required=True, help="base model (traffic: etc/coinsentry/model.json)")
    parser.add_argument("--initial", choices=["zeros", "base"], default="zeros")
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--strategies", default="FedAvg,FedMedian,FedTrimmedAvg,Krum,MultiKrum,Bulyan")
    parser.add_argument("--ks", default="0,5,10,20")
    parser.add_argument("--attacks", default="label-flip,sign-flip,bias-shift")
    parser.add_argument("--assumed-malicious", type=int, default=10, help="f the coordinator is configured with")
    parser.add_argument("--flip", default="", help="address federation: FROM:TO class indices for label-flip")
    parser.add_argument("--cells", default="", help="STRATEGY:K:ATTACK,... instead of the full product")
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    venv_bin = os.path.dirname(sys.executable)
    federation, n = args.federation, args.nodes
    fed_parts = f"{args.parts}/{federation}"
    base_vector = subprocess.run([args.binary, "fleet", "init", "--federation", federation, "--base", args.base,
                                  "--out", f"{args.work}/base.npy"], capture_output=True, text=True, check=True)
    del base_vector
    initial = f"{args.work}/initial.npy"
    vector = np.load(f"{args.work}/base.npy")
    np.save(initial, np.zeros_like(vector) if args.initial == "zeros" else vector)
    # Poisoned participants: holders of the attacked class (traffic: mining = 1), nested across k.
    target = float(args.flip.split(":")[0]) if args.flip else 1.0
    holders = [p for p in range(n) if (np.load(f"{fed_parts}/p{p:02d}/labels.npy") == target).sum() > 0]
    rng = np.random.default_rng(7)
    holders = list(rng.permutation(holders))
    others = [p for p in range(n) if p not in holders]
    poison_order = [int(p) for p in holders + others]
    attack_file = f"{args.work}/attacks.json"
    with open(attack_file, "w", encoding="utf-8") as handle:
        handle.write("{}")
    cluster = Cluster(f"{args.work}/cluster", venv_bin)
    results = {"nodes": n, "rounds": args.rounds, "federation": federation, "initial": args.initial,
               "assumed_malicious": args.assumed_malicious, "poison_order": poison_order, "cells": []}
    started = time.monotonic()
    try:
        cluster.start_superlink()
        for p in range(n):
            cluster.start_supernode(p, " ".join([
                f'coinsentry="{args.binary}"', f"partition-id={p}", f'experiment-attack-file="{attack_file}"',
                f'{federation}-base="{args.base}"', f'{federation}-features="{fed_parts}/p{p:02d}/features.npy"',
                f'{federation}-labels="{fed_parts}/p{p:02d}/labels.npy"']))
        results["startup_seconds"] = time.monotonic() - started
        ks = [int(k) for k in args.ks.split(",")]
        cells = [(c.split(":")[0], int(c.split(":")[1]), c.split(":")[2]) for c in args.cells.split(",") if c]
        for strategy in args.strategies.split(",") if not cells else []:
            for k in ks:
                for attack in (args.attacks.split(",") if k > 0 else ["none"]):
                    cells.append((strategy, k, attack))
        for strategy, k, attack in cells:
            table = {}
            for p in poison_order[:k]:
                entry = dict(ATTACKS[attack])
                if args.flip and attack == "label-flip":
                    entry["from"], entry["to"] = (int(v) for v in args.flip.split(":"))
                table[str(p)] = entry
            with open(attack_file, "w", encoding="utf-8") as handle:
                json.dump(table, handle)
            f = args.assumed_malicious
            if strategy == "Bulyan":
                f = min(f, (n - 3) // 4)
            if strategy in ("Krum", "MultiKrum"):
                f = min(f, (n - 3) // 2)
            out_dir = f"{args.work}/runs/{strategy}-{attack}-{k}"
            run_config = (f"federation='{federation}' strategy='{strategy}' num-server-rounds={args.rounds} "
                          f"min-nodes={n} num-malicious={f} trimmed-beta={f / n if f / n < 0.5 else 0.2} "
                          f"fraction-evaluate=0.0 initial-arrays='{initial}' out-dir='{out_dir}'")
            run = cluster.run(run_config, args.timeout)
            files = [f"{out_dir}/round-{r}.npy" for r in range(args.rounds + 1)]
            figures = evaluate(args.binary, federation, args.base, f"{args.parts}/{federation}/test", files)
            cell = {"strategy": strategy, "k": k, "attack": attack, "f": f, "seconds": run["seconds"],
                    "rounds": figures, "final": figures[-1],
                    "converged_round": converged_round([r["balanced_accuracy"] for r in figures])}
            results["cells"].append(cell)
            print(json.dumps({key: cell[key] for key in ("strategy", "k", "attack", "seconds", "final",
                                                         "converged_round")}), flush=True)
            with open(args.out, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
