"""The bridge to the Swift side: global arrays out as .npy, `coinsentry fleet ...`, the update back as .npy."""

import json
import logging
import os
import shlex
import subprocess
import tempfile

import numpy as np

log = logging.getLogger("coinsentry.fleet")


class NodeSettings:
    """A participant's settings from its SuperNode's --node-config, for one federation.

    Keys: `coinsentry` (the binary), `state-file`, `margin`, `alert` (where a refusal's alert goes: destinations
    of `coinsentry fleet install --alert`, separated by spaces or commas; default journald when it listens),
    `sensor` (the participant's name in that alert; default the host name), and per federation F (`traffic` or
    `address`): `F-base` (the model in use), `F-features`, `F-labels` (training data), `F-holdout-features`,
    `F-holdout-labels` (held-back data for the acceptance check), `F-install-to` (default: `F-base`) and
    `F-reload` (a command run after an install, e.g. "coinsentryctl reload"; none by default).
    """

    def __init__(self, node_config: dict, federation: str):
        def need(key: str) -> str:
            value = node_config.get(key)
            if not value:
                raise ValueError(f"the SuperNode's --node-config lacks '{key}' (federation {federation})")
            return str(value)

        self.federation = federation
        self.binary = str(node_config.get("coinsentry", "coinsentry"))
        self.state_file = str(node_config.get("state-file", ""))
        self.margin = float(node_config.get("margin", 0.02))
        self.alert = str(node_config.get("alert", "")).replace(",", " ").split()
        self.sensor = str(node_config.get("sensor", ""))
        self.base = need(f"{federation}-base")
        self.features = need(f"{federation}-features")
        self.labels = need(f"{federation}-labels")
        self.holdout_features = str(node_config.get(f"{federation}-holdout-features", ""))
        self.holdout_labels = str(node_config.get(f"{federation}-holdout-labels", ""))
        self.install_to = str(node_config.get(f"{federation}-install-to", self.base))
        self.reload = str(node_config.get(f"{federation}-reload", ""))
        self.partition = node_config.get("partition-id")


def _run(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, capture_output=True, text=True, check=False)


def train(settings: NodeSettings, global_arrays: np.ndarray, labels: str | None = None,
          epochs: int = 0, learning_rate: float = 0.0, seed: int = 1) -> tuple[np.ndarray, int]:
    """Local training: returns the local arrays and the number of examples trained on."""
    with tempfile.TemporaryDirectory(prefix="coinsentry-fleet-") as work:
        global_path, out_path = os.path.join(work, "global.npy"), os.path.join(work, "update.npy")
        np.save(global_path, np.ascontiguousarray(global_arrays, dtype="<f8"))
        arguments = [settings.binary, "fleet", "train", "--federation", settings.federation, "--global", global_path,
                     "--base", settings.base, "--features", settings.features, "--labels", labels or settings.labels,
                     "--out", out_path, "--seed", str(seed)]
        if epochs > 0:
            arguments += ["--epochs", str(epochs)]
        if learning_rate > 0:
            arguments += ["--learning-rate", repr(learning_rate)]
        result = _run(arguments)
        if result.returncode != 0:
            raise RuntimeError(f"coinsentry fleet train failed ({result.returncode}): {result.stderr.strip()}")
        return np.load(out_path), int(json.loads(result.stdout)["examples"])


def install(settings: NodeSettings, global_arrays: np.ndarray, server_round: int) -> dict:
    """The acceptance check and, if accepted, the model file: returns the state record `coinsentry` printed."""
    for key, value in (("holdout-features", settings.holdout_features), ("holdout-labels", settings.holdout_labels)):
        if not value:
            raise ValueError(f"the SuperNode's --node-config lacks '{settings.federation}-{key}': no model is "
                             "installed without the acceptance check on held-back data")
    with tempfile.TemporaryDirectory(prefix="coinsentry-fleet-") as work:
        global_path = os.path.join(work, "global.npy")
        np.save(global_path, np.ascontiguousarray(global_arrays, dtype="<f8"))
        arguments = [settings.binary, "fleet", "install", "--federation", settings.federation, "--global",
                     global_path, "--base", settings.base, "--out", settings.install_to, "--holdout-features",
                     settings.holdout_features, "--holdout-labels", settings.holdout_labels, "--margin",
                     repr(settings.margin), "--round", str(server_round)]
        if settings.state_file:
            arguments += ["--state", settings.state_file]
        for destination in settings.alert:
            arguments += ["--alert", destination]
        if settings.sensor:
            arguments += ["--sensor", settings.sensor]
        result = _run(arguments)
        if result.stderr.strip():
            # A destination that did not take the refusal's alert is named there; the refusal stands either way.
            log.warning("coinsentry fleet install: %s", result.stderr.strip())
        if result.returncode not in (0, 3):
            raise RuntimeError(f"coinsentry fleet install failed ({result.returncode}): {result.stderr.strip()}")
        record = json.loads(result.stdout.strip().splitlines()[-1])
    if record["event"] == "installed" and settings.reload:
        reloaded = _run(shlex.split(settings.reload))
        record["reload_status"] = reloaded.returncode
    return record
