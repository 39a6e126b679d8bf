"""Markdown table of an experiment's results.json: per strategy, attack and k, the final global model's window-level
accuracy, recall and false-positive rate on the held-out test set, recall relative to the same strategy's clean run,
and the round from which balanced accuracy stays within 0.01 of its final value."""

import json
import sys


def main() -> None:
    results = json.load(open(sys.argv[1], encoding="utf-8"))
    clean = {c["strategy"]: c["final"]["recall"] for c in results["cells"] if c["k"] == 0}
    print(f"{results['nodes']} SuperNodes, {results['rounds']} rounds, initial SVC {results['initial']}, "
          f"coordinator configured for f = {results['assumed_malicious']}\n")
    print("| strategy | attack | k | accuracy | recall | FPR | recall / clean | converged (round) | run (s) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in results["cells"]:
        final = c["final"]
        base = clean.get(c["strategy"])
        ratio = f"{final['recall'] / base:.3f}" if base else "–"
        print(f"| {c['strategy']} | {c['attack']} | {c['k']} | {final['accuracy']:.3f} | {final['recall']:.3f} | "
              f"{final['fpr']:.3f} | {ratio} | {c['converged_round']} | {c['seconds']:.0f} |")


if __name__ == "__main__":
    main()
