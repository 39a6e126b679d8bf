"""A real Flower deployment on loopback: one SuperLink, N SuperNodes, `flwr run` against its Control API.

Used by the tests (Tests/FleetTests), the experiment and the benchmark. Nothing here is a coordinator of its own: the
SuperLink, the SuperNodes and the runs are Flower's processes, insecure on 127.0.0.1 only.

  python3 cluster.py --nodes 3 --node-config-template '...{p}...' --run-config 'k=v ...' --work DIR
prints one JSON object: the run's status, its seconds, and the coordinator's state lines.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

APP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """SuperLink and SuperNodes as child processes; stop() ends exactly those."""

    def __init__(self, work: str, venv_bin: str):
        self.work, self.bin = work, venv_bin
        self.processes: list[subprocess.Popen] = []
        os.makedirs(work, exist_ok=True)
        # Flower 1.42 serves the Fleet, Control and Runtime APIs over HTTP on one port.
        self.port = free_port()
        # The SuperLink and SuperNodes start flower-superexec, flwr-serverapp and flwr-clientapp from the PATH.
        self.env = dict(os.environ, FLWR_HOME=os.path.join(work, "flwr-home"),
                        PATH=f"{venv_bin}:{os.environ.get('PATH', '')}")
        os.makedirs(self.env["FLWR_HOME"], exist_ok=True)
        with open(os.path.join(self.env["FLWR_HOME"], "config.toml"), "w", encoding="utf-8") as config:
            config.write(f'[superlink]\ndefault = "loopback"\n\n[superlink.loopback]\n'
                         f'address = "127.0.0.1:{self.port}"\ninsecure = true\n')

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log = open(os.path.join(self.work, f"{name}.log"), "w", encoding="utf-8")
        process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                   cwd=self.work, start_new_session=True)
        self.processes.append(process)
        return process

    def start_superlink(self) -> None:
        self._start("superlink", [
            # In-memory state: a SQLite file state answers 'database is locked' (HTTP 500) to some of 50 nodes
            # pushing their updates at once on 2 cores.
            f"{self.bin}/flower-superlink", "--insecure", "--disable-runtime-dependency-installation",
            "--host", "127.0.0.1", "--port", str(self.port)])
        wait_port(self.port, 60, self.processes[-1])

    def start_supernode(self, index: int, node_config: str) -> None:
        self._start(f"supernode-{index}", [
            f"{self.bin}/flower-supernode", "--insecure", "--superlink", f"127.0.0.1:{self.port}",
            "--port", str(free_port()), "--node-config", node_config])

    def run(self, run_config: str, timeout: float) -> dict:
        """Submits the app, waits for the run to finish; returns its status and seconds."""
        start = time.monotonic()
        submitted = subprocess.run(
            [f"{self.bin}/flwr", "run", APP, "loopback", "--run-config", run_config, "--format", "json"],
            capture_output=True, text=True, env=self.env, cwd=self.work, check=False)
        if submitted.returncode != 0:
            raise RuntimeError(f"flwr run failed: {submitted.stdout}{submitted.stderr}")
        run_id = json.loads(submitted.stdout).get("run-id")
        while time.monotonic() - start < timeout:
            listed = subprocess.run([f"{self.bin}/flwr", "ls", "loopback", "--run-id", str(run_id), "--format",
                                     "json"], capture_output=True, text=True, env=self.env, cwd=self.work,
                                    check=False)
            try:
                runs = json.loads(listed.stdout).get("runs", [])
            except json.JSONDecodeError:
                runs = []
            status = runs[0].get("status", "") if runs else ""
            if status.startswith("finished"):
                return {"run_id": run_id, "status": status, "seconds": time.monotonic() - start}
            time.sleep(2)
        raise TimeoutError(f"run {run_id} did not finish within {timeout} s")

    def stop(self) -> None:
        """Ends the SuperNodes, then the SuperLink, then what they started.

        The SuperNodes go first: a SuperNode whose SuperLink is gone retries it on SIGTERM instead of exiting. Each
        gets a few seconds after SIGTERM, then SIGKILL. The SuperExec (and ServerApp) processes run in sessions of their
        own: they are found under ours before anything ends, and end last.
        """
        descendants = [pid for process in self.processes for pid in _descendants(process.pid)]
        for group in (self.processes[1:], self.processes[:1]):
            for process in group:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            for process in group:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for signal_number in (signal.SIGTERM, signal.SIGKILL):
            for pid in descendants:
                try:
                    os.kill(pid, signal_number)
                except ProcessLookupError:
                    pass
            if signal_number == signal.SIGTERM and descendants:
                time.sleep(1)


def _descendants(root: int) -> list[int]:
    """Every process below `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def wait_port(port: int, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process listening on {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--venv-bin", default=os.path.dirname(sys.executable))
    parser.add_argument("--nodes", type=int, required=True)
    parser.add_argument("--node-config-template", required=True, help="--node-config of node {p}")
    parser.add_argument("--run-config", action="append", required=True, help="one run per option, in order")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    cluster = Cluster(args.work, args.venv_bin)
    results = []
    try:
        cluster.start_superlink()
        for p in range(args.nodes):
            cluster.start_supernode(p, args.node_config_template.replace("{p}", str(p)).replace(
                "{pp}", f"{p:02d}"))
        for run_config in args.run_config:
            results.append(cluster.run(run_config, args.timeout))
    finally:
        cluster.stop()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
