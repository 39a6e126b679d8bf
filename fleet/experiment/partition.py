"""Non-IID partitions of the fleet experiment's data (made by scripts/fleet-data) for N participants.

Traffic: every trace's first 70 % of windows may train (at most CAP windows per trace, evenly spaced, so the 68 h GPU
trace does not outweigh the rest), cut into contiguous blocks of BLOCK windows; the traces are shuffled, and each
participant takes its blocks in trace order, a share of them mining drawn from Beta(0.5, 0.5): so a participant sees
one or two traces of each class, and class mixes range from all-normal to all-mining (non-IID by trace and by class
mix). Each participant keeps the last fifth of its windows back (the acceptance check's held-back data). The test
set, which no participant trains on: every trace's windows after its first 70 % and a gap of one window (6 slides),
plus the held-out real captures (test-ordinary) and the held-out XMRig sessions, whole.

Address: the addresses of testbed seed 2 (the base model was trained on seed 1), sorted by class and cut into
blocks, dealt the same way by a Beta(0.5, 0.5) share of the participant's dominant class; the test set is seed 3.

  python3 partition.py WORK OUT --participants 50 [--seed 1]
"""

import argparse
import json
import os

import numpy as np

TRAIN_SHARE, GAP, CAP, BLOCK = 0.7, 6, 1200, 30


def load(folder: str):
    return (np.load(f"{folder}/features.npy"), np.load(f"{folder}/labels.npy"), np.load(f"{folder}/traces.npy"),
            json.load(open(f"{folder}/traces.json", encoding="utf-8")))


def save(folder: str, features: np.ndarray, labels: np.ndarray, prefix: str = "") -> None:
    os.makedirs(folder, exist_ok=True)
    np.save(f"{folder}/{prefix}features.npy", np.ascontiguousarray(features, dtype="<f8"))
    np.save(f"{folder}/{prefix}labels.npy", np.ascontiguousarray(labels, dtype="<f8"))


def deal(blocks_a: list, blocks_b: list, participants: int, rng) -> list[list]:
    """Deals blocks of two kinds; participant p takes a Beta(0.5, 0.5) share of kind a."""
    per = (len(blocks_a) + len(blocks_b)) // participants
    shares = rng.beta(0.5, 0.5, participants)
    out, ia, ib = [], 0, 0
    for p in range(participants):
        take_a = int(round(shares[p] * per))
        mine = []
        for _ in range(per):
            use_a = (len(mine) < take_a and ia < len(blocks_a)) or ib >= len(blocks_b)
            if use_a and ia < len(blocks_a):
                mine.append(blocks_a[ia]); ia += 1
            elif ib < len(blocks_b):
                mine.append(blocks_b[ib]); ib += 1
        out.append(mine)
    return out


def traffic(work: str, out: str, participants: int, rng) -> dict:
    train_x, train_y, train_names, test_x, test_y = [], [], [], [], []
    for folder in ("nypto", "ordinary-train", "mining-train"):
        x, y, t, names = load(f"{work}/traffic/{folder}")
        for entry in names:
            rows = np.flatnonzero(t == entry["index"])
            cut = int(len(rows) * TRAIN_SHARE)
            head, tail = rows[:cut], rows[cut + GAP:]
            if folder == "nypto":
                test_x.append(x[tail]); test_y.append(y[tail])
            else:
                head = rows  # the real training captures are short: all of each trains; their held-out twins test
            if len(head) > CAP:
                head = head[np.linspace(0, len(head) - 1, CAP).astype(int)]
            train_x.append(x[head]); train_y.append(y[head]); train_names.append(f"{folder}/{entry['name']}")
    for folder in ("ordinary-test", "mining-test"):
        x, y, _, _ = load(f"{work}/traffic/{folder}")
        test_x.append(x); test_y.append(y)
    order = rng.permutation(len(train_x))
    mining_blocks, normal_blocks = [], []
    for index in order:
        x, y = train_x[index], train_y[index]
        for start in range(0, len(y), BLOCK):
            block = (x[start:start + BLOCK], y[start:start + BLOCK], train_names[index])
            (mining_blocks if y[0] >= 0.5 else normal_blocks).append(block)
    dealt = deal(mining_blocks, normal_blocks, participants, rng)
    summary = []
    for p, blocks in enumerate(dealt):
        x = np.concatenate([b[0] for b in blocks]); y = np.concatenate([b[1] for b in blocks])
        # Held back: every fifth window, so each class the participant has is represented.
        held = np.arange(len(y)) % 5 == 4
        save(f"{out}/traffic/p{p:02d}", x[~held], y[~held])
        save(f"{out}/traffic/p{p:02d}", x[held], y[held], prefix="holdout-")
        summary.append({"participant": p, "windows": int(len(y)), "mining": int(y.sum()),
                        "traces": sorted({b[2] for b in blocks})})
    save(f"{out}/traffic/test", np.concatenate(test_x), np.concatenate(test_y))
    test_y_all = np.concatenate(test_y)
    return {"participants": summary, "test_windows": int(len(test_y_all)), "test_mining": int(test_y_all.sum())}


def address(work: str, out: str, participants: int, rng) -> dict:
    x, y = np.load(f"{work}/address/seed2/features.npy"), np.load(f"{work}/address/seed2/labels.npy")
    classes = json.load(open(f"{work}/address/base-model.json", encoding="utf-8"))["classes"]
    order = np.argsort(y, kind="stable")
    blocks = [order[start:start + 40] for start in range(0, len(order), 40)]
    # Blocks of the big class (wallet) against the rest, dealt like the traffic blocks.
    wallet = classes.index("wallet") if "wallet" in classes else 0
    big = [b for b in blocks if y[b[0]] == wallet]; rest = [b for b in blocks if y[b[0]] != wallet]
    rng.shuffle(big)
    dealt = deal(rest, big, participants, rng)
    summary = []
    for p, mine in enumerate(dealt):
        rows = np.concatenate(mine) if mine else np.array([], dtype=int)
        held = np.arange(len(rows)) % 5 == 4
        save(f"{out}/address/p{p:02d}", x[rows[~held]], y[rows[~held]])
        save(f"{out}/address/p{p:02d}", x[rows[held]], y[rows[held]], prefix="holdout-")
        summary.append({"participant": p, "addresses": int(len(rows)),
                        "classes": {classes[int(c)]: int((y[rows] == c).sum()) for c in np.unique(y[rows])}})
    save(f"{out}/address/test", np.load(f"{work}/address/seed3/features.npy"),
         np.load(f"{work}/address/seed3/labels.npy"))
    return {"participants": summary, "classes": classes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("work"); parser.add_argument("out")
    parser.add_argument("--participants", type=int, default=50); parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    summary = {"traffic": traffic(args.work, args.out, args.participants, rng),
               "address": address(args.work, args.out, args.participants, rng)}
    with open(f"{args.out}/partitions.json", "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1)


if __name__ == "__main__":
    main()
