"""Poisoned participants, for the robustness experiment only (scripts/fleet-experiment).

A SuperNode poisons only when its --node-config names an `experiment-attack-file`: a JSON object mapping partition
ids to {"attack": NAME, ...}. Production SuperNodes never set it. Attacks:
- `label-flip`: targeted label flipping, class `from` → `to` (default mining → normal), then honest training;
- `sign-flip`: the honest update reversed and scaled: global − scale · (local − global) (scale 10 by default);
- `bias-shift` (adaptive, aimed at distance- and rank-based rules): honest local training, then only the bias is
  lowered by `shift` (1.0 by default), so the update stays inside the honest cloud in every other coordinate while
  pushing mining windows below the decision boundary.
"""

import json
import os
import tempfile

import numpy as np


def lookup(node_config: dict) -> dict | None:
    """The attack assigned to this participant, if the experiment gave one."""
    path = node_config.get("experiment-attack-file")
    if not path or not os.path.exists(str(path)):
        return None
    with open(str(path), encoding="utf-8") as handle:
        table = json.load(handle)
    return table.get(str(node_config.get("partition-id")))


def flipped_labels(labels_path: str, work: str, attack: dict) -> str:
    """A copy of the labels with class `from` (default 1, mining) relabelled `to` (default 0, normal)."""
    labels = np.load(labels_path)
    source, target = float(attack.get("from", 1)), float(attack.get("to", 0))
    path = os.path.join(work, "flipped-labels.npy")
    np.save(path, np.where(labels == source, target, labels))
    return path


def apply(attack: dict, global_arrays: np.ndarray, local: np.ndarray) -> np.ndarray:
    """The update a poisoned participant sends instead of `local`."""
    name = attack["attack"]
    if name == "sign-flip":
        return global_arrays - float(attack.get("scale", 10.0)) * (local - global_arrays)
    if name == "bias-shift":
        shifted = local.copy()
        shifted[-1] -= float(attack.get("shift", 1.0))
        return shifted
    return local


def workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="coinsentry-fleet-attack-")
