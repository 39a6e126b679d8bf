#!/usr/bin/env python3
"""Reference window features for ProfilingTests, written from the definitions in the Swift doc comments.

Input on stdin: JSON {"windows": [[x0, x1, ...], ...], "log1p": bool} (one raw counter series per window; with
"log1p" the series is transformed with numpy.log1p first, as CounterScale.log1p).
Output on stdout: JSON {"features": [[mean, median, std, p75, p90, p95, silenceMean, silenceVar, scal2, scal4], ...]}.

The scalogram is computed the long way: the full CWT W(s, t) = IFFT(FFT(y) * psi_hat(s * omega)) in the time
domain, then sum |W|^2 over t; the Swift code uses the Parseval form, so this checks that step too.
"""
import json
import sys

import numpy as np

OMEGA0 = 6.0


def silence(x):
    runs, start = [], None
    for i, v in enumerate(x):
        if v == 0:
            if start is None:
                start = i
        else:
            if start is not None and start > 0:
                runs.append(i - start)
            start = None
    if not runs:
        return 0.0, 0.0
    runs = np.asarray(runs, dtype=float)
    return float(runs.mean()), float(runs.var())


def relative_energy(x, scale):
    n = len(x)
    m = 1
    while m < n:
        m *= 2
    m = max(m, 2)
    y = np.zeros(m)
    y[:n] = x - x.mean()
    total = float(np.sum(y * y))
    if total == 0:
        return 0.0
    omega = 2 * np.pi * np.fft.fftfreq(m)
    psi = np.where(omega > 0,
                   np.sqrt(2 * np.pi * scale) * np.pi ** -0.25 * np.exp(-((scale * omega - OMEGA0) ** 2) / 2), 0.0)
    w = np.fft.ifft(np.fft.fft(y) * psi)
    return float(np.sum(np.abs(w) ** 2)) / total


def features(x):
    x = np.asarray(x, dtype=float)
    s_mean, s_var = silence(x)
    return [float(x.mean()), float(np.median(x)), float(x.std()),
            float(np.percentile(x, 75)), float(np.percentile(x, 90)), float(np.percentile(x, 95)),
            s_mean, s_var, relative_energy(x, 2), relative_energy(x, 4)]


def main():
    request = json.load(sys.stdin)
    transform = np.log1p if request.get("log1p") else (lambda w: np.asarray(w, dtype=float))
    json.dump({"features": [features(transform(np.asarray(w, dtype=float))) for w in request["windows"]]},
              sys.stdout)


if __name__ == "__main__":
    main()
