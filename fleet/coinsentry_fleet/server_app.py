"""The ServerApp: runs on the SuperLink's side; robust aggregation of the participants' updates."""

import logging
import os

import numpy as np
from flwr.app import ArrayRecord, ConfigRecord, Context, MetricRecord, RecordDict
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy.strategy_utils import aggregate_metricrecords

from . import state, strategies

app = ServerApp()
log = logging.getLogger("coinsentry.fleet")


@app.main()
def main(grid: Grid, context: Context) -> None:
    """Checks the configuration, then runs the rounds and records each global model."""
    config = context.run_config
    name, n, f = strategies.check(config)
    federation = str(config.get("federation", ""))
    if federation not in ("traffic", "address"):
        raise strategies.ConfigError(f"run config 'federation' = {federation!r}: expected 'traffic' or 'address'")
    initial = str(config.get("initial-arrays", ""))
    if not initial or not os.path.exists(initial):
        raise strategies.ConfigError(f"run config 'initial-arrays' = {initial!r}: no such .npy file "
                                     "(make one with 'coinsentry fleet init')")
    out_dir = str(config.get("out-dir", ""))
    state_file = os.path.join(out_dir, "state.jsonl") if out_dir else ""
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    rounds = int(config.get("num-server-rounds", 1))
    current = {"round": 0}

    def train_metrics(replies: list[RecordDict], key: str) -> MetricRecord:
        current["round"] += 1
        examples = [int(r["metrics"]["num-examples"]) for r in replies if "metrics" in r]
        state.append(state_file, {"event": "round", "federation": federation, "round": current["round"],
                                  "strategy": name, "participants": len(replies), "examples": sum(examples)})
        return aggregate_metricrecords(replies, key)

    def record_global(server_round: int, arrays: ArrayRecord) -> MetricRecord | None:
        if out_dir:
            vector = np.concatenate([a.ravel() for a in arrays.to_numpy_ndarrays()]).astype("<f8")
            np.save(os.path.join(out_dir, f"round-{server_round}.npy"), vector)
        return None

    strategy = strategies.build(config, train_metrics_aggr_fn=train_metrics)
    state.append(state_file, {"event": "run-started", "federation": federation, "strategy": name,
                              "min_nodes": n, "num_malicious": f, "rounds": rounds, "run_id": context.run_id})
    result = strategy.start(
        grid=grid, initial_arrays=ArrayRecord([np.load(initial).astype("<f8")]), num_rounds=rounds,
        train_config=ConfigRecord({}), evaluate_config=ConfigRecord({}), evaluate_fn=record_global)
    state.append(state_file, {"event": "run-finished", "federation": federation, "strategy": name,
                              "rounds": rounds, "run_id": context.run_id})
    log.info("fleet run finished: %s", result)
