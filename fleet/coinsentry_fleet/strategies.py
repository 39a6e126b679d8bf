"""The coordinator's strategy, chosen and checked from the run configuration."""

from collections.abc import Callable

from flwr.app import MetricRecord, RecordDict
from flwr.serverapp.strategy import Bulyan, FedAvg, FedMedian, FedTrimmedAvg, Krum, MultiKrum, Strategy

NAMES = {"fedavg": "FedAvg", "fedmedian": "FedMedian", "fedtrimmedavg": "FedTrimmedAvg", "krum": "Krum",
         "multikrum": "MultiKrum", "bulyan": "Bulyan"}


class ConfigError(ValueError):
    """A run-configuration value the coordinator cannot start with; the message names the key."""


def check(config: dict) -> tuple[str, int, int]:
    """Checks the strategy keys: returns (strategy name, n, f). Raises ConfigError naming the key at fault."""
    raw = str(config.get("strategy", ""))
    name = NAMES.get(raw.lower())
    if name is None:
        raise ConfigError(f"run config 'strategy' = {raw!r}: expected one of {', '.join(NAMES.values())}")
    n, f = int(config.get("min-nodes", 0)), int(config.get("num-malicious", 0))
    if n < 1:
        raise ConfigError(f"run config 'min-nodes' = {n}: at least 1 participant per round")
    if f < 0:
        raise ConfigError(f"run config 'num-malicious' = {f}: must be ≥ 0")
    if name in ("Krum", "MultiKrum") and not n > 2 * f + 2:
        raise ConfigError(f"run config 'num-malicious' = {f} with 'min-nodes' = {n}: {name} needs n > 2f + 2 "
                          f"(at most f = {max((n - 3) // 2, 0)} for n = {n})")
    if name == "Bulyan" and not n >= 4 * f + 3:
        raise ConfigError(f"run config 'num-malicious' = {f} with 'min-nodes' = {n}: Bulyan needs n ≥ 4f + 3 "
                          f"(at most f = {max((n - 3) // 4, 0)} for n = {n})")
    beta = float(config.get("trimmed-beta", 0.2))
    if name == "FedTrimmedAvg" and not 0.0 <= beta < 0.5:
        raise ConfigError(f"run config 'trimmed-beta' = {beta}: must be in [0, 0.5)")
    select = int(config.get("multikrum-select", 0))
    if name == "MultiKrum" and not 0 <= select <= n - f:
        raise ConfigError(f"run config 'multikrum-select' = {select}: must be in [0, n − f] = [0, {n - f}]")
    fraction = float(config.get("fraction-evaluate", 1.0))
    if not 0.0 <= fraction <= 1.0:
        raise ConfigError(f"run config 'fraction-evaluate' = {fraction}: must be in [0, 1]")
    return name, n, f


def build(config: dict,
          train_metrics_aggr_fn: Callable[[list[RecordDict], str], MetricRecord] | None = None) -> Strategy:
    """The strategy the run configuration names, checked first."""
    name, n, f = check(config)
    fraction_evaluate = float(config.get("fraction-evaluate", 1.0))
    common = {"fraction_train": 1.0, "fraction_evaluate": fraction_evaluate, "min_train_nodes": n,
              "min_evaluate_nodes": n if fraction_evaluate > 0 else 0, "min_available_nodes": n,
              "train_metrics_aggr_fn": train_metrics_aggr_fn}
    if name == "FedAvg":
        return FedAvg(**common)
    if name == "FedMedian":
        return FedMedian(**common)
    if name == "FedTrimmedAvg":
        return FedTrimmedAvg(**common, beta=float(config.get("trimmed-beta", 0.2)))
    if name == "Krum":
        return Krum(**common, num_malicious_nodes=f)
    if name == "MultiKrum":
        select = int(config.get("multikrum-select", 0)) or n - f
        return MultiKrum(**common, num_malicious_nodes=f, num_nodes_to_select=select)
    return Bulyan(**common, num_malicious_nodes=f)
