"""Markdown table of an experiment's results.json. Traffic: per strategy, attack and k, the final global model's
window-level accuracy, recall and false-positive rate on the held-out test set, recall relative to the same
strategy's clean run and to FedAvg's clean run, and the round from which balanced accuracy stays within 0.01 of its
final value. Address: accuracy and balanced accuracy instead."""

import json
import sys


def main() -> None:
    results = json.load(open(sys.argv[1], encoding="utf-8"))
    cells = results["cells"]
    print(f"{results['nodes']} SuperNodes, {results['rounds']} rounds, initial arrays: {results['initial']}, "
          f"coordinator configured for f = {results['assumed_malicious']}\n")
    if results["federation"] == "address":
        print("| strategy | attack | k | accuracy | balanced accuracy | converged (round) | run (s) |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for c in cells:
            final = c["final"]
            print(f"| {c['strategy']} | {c['attack']} | {c['k']} | {final['accuracy']:.3f} | "
                  f"{final['balanced_accuracy']:.3f} | {c['converged_round']} | {c['seconds']:.0f} |")
        return
    clean = {c["strategy"]: c["final"]["recall"] for c in cells if c["k"] == 0}
    reference = clean.get("FedAvg")
    print("| strategy | attack | k | accuracy | recall | FPR | recall / own clean | recall / FedAvg clean "
          "| converged (round) | run (s) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in cells:
        final = c["final"]
        own = clean.get(c["strategy"])
        ratio = f"{final['recall'] / own:.3f}" if own else "–"
        versus = f"{final['recall'] / reference:.3f}" if reference else "–"
        print(f"| {c['strategy']} | {c['attack']} | {c['k']} | {final['accuracy']:.3f} | {final['recall']:.3f} | "
              f"{final['fpr']:.3f} | {ratio} | {versus} | {c['converged_round']} | {c['seconds']:.0f} |")


if __name__ == "__main__":
    main()
