"""The ClientApp: runs on each participant's SuperNode, beside its own sensor or sidecar.

Train: the global arrays go to `coinsentry fleet train` as a .npy file; the local arrays and the number of examples
come back. Evaluate: `coinsentry fleet install` checks the new global model on the participant's held-back data and
installs it only if it does no worse than the model in use by more than the margin; refusals are logged and
written to the fleet state file.
"""

import logging

import numpy as np
from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from . import attacks, bridge, state

app = ClientApp()
log = logging.getLogger("coinsentry.fleet")


def _global_arrays(msg: Message) -> np.ndarray:
    return np.concatenate([a.ravel() for a in msg.content["arrays"].to_numpy_ndarrays()]).astype("<f8")


@app.train()
def train(msg: Message, context: Context) -> Message:
    """Local training from the global arrays."""
    federation = str(context.run_config["federation"])
    settings = bridge.NodeSettings(context.node_config, federation)
    server_round = int(msg.content["config"].get("server-round", 0))
    global_arrays = _global_arrays(msg)
    attack = attacks.lookup(context.node_config)
    with attacks.workdir() as work:
        labels = attacks.flipped_labels(settings.labels, work, attack) if attack and \
            attack["attack"] == "label-flip" else None
        local, examples = bridge.train(
            settings, global_arrays, labels=labels, epochs=int(context.run_config.get("local-epochs", 0)),
            learning_rate=float(context.run_config.get("learning-rate", 0.0)),
            seed=1000 * server_round + int(settings.partition or 0))
    if attack:
        local = attacks.apply(attack, global_arrays, local)
    state.append(settings.state_file, {"event": "trained", "federation": federation, "round": server_round,
                                       "examples": examples, "run_id": msg.metadata.run_id})
    content = RecordDict({"arrays": ArrayRecord([local]),
                          "metrics": MetricRecord({"num-examples": examples})})
    return Message(content=content, reply_to=msg)


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    """The acceptance check on held-back data, and the install of an accepted global model."""
    federation = str(context.run_config["federation"])
    settings = bridge.NodeSettings(context.node_config, federation)
    server_round = int(msg.content["config"].get("server-round", 0))
    record = bridge.install(settings, _global_arrays(msg), server_round)
    if record["event"] == "refused":
        log.warning("refused the global model of round %d: %s", server_round, record["reason"])
    metrics = MetricRecord({
        "num-examples": int(record["holdout_examples"]),
        "accepted": 1 if record["event"] == "installed" else 0,
        "candidate-score": float(record["candidate_score"]),
        "current-score": float(record["current_score"]),
    })
    return Message(content=RecordDict({"metrics": metrics}), reply_to=msg)
