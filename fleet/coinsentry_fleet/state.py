"""Fleet state file: JSON lines, one event each (docs/fleet.md gives the fields)."""

import datetime
import json
import os


def append(path: str, record: dict) -> None:
    """Append one record (with the current time) as a JSON line; one write, so lines never interleave."""
    if not path:
        return
    line = {"time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **record}
    data = (json.dumps(line, sort_keys=True) + "\n").encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)
