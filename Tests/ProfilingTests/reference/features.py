#!/usr/bin/env python3
"""Reference window features for ProfilingTests, written from the definitions in the Swift doc comments.

Input on stdin: JSON {"windows": [[br, bs, pr, ps], ...], "log1p": bool}: per window the four raw counter series
(bytes received, bytes sent, packets received, packets sent). With "log1p" the series are transformed with
numpy.log1p before the per-series features (WindowFeature); the host features (HostFeature) always use raw counts.
Output on stdout: JSON {"features": [[...], ...]}, per window the 11 features of each series in order
[mean, median, std, p75, p90, p95, silenceMean, silenceVar, scal2, scal4, spectralPeak], then the 9 host features
[activeShare, bothActiveShare, activeGapCV, packetBurstiness, packetAutocorrelation1, bytesPerPacketReceived,
bytesPerPacketSent, sentByteShare, sentPacketShare].

The scalogram is computed the long way: the full CWT W(s, t) = IFFT(FFT(y) * psi_hat(s * omega)) in the time
domain, then sum |W|^2 over t; the Swift code uses the Parseval form and two real series per complex FFT, so this
checks those steps too. Percentiles are numpy's; the Swift code selects instead of sorting.
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


def padded(x):
    n = len(x)
    m = 1
    while m < n:
        m *= 2
    m = max(m, 2)
    y = np.zeros(m)
    y[:n] = x - x.mean()
    return y, m


def relative_energy(x, scale):
    y, m = padded(x)
    total = float(np.sum(y * y))
    if total == 0:
        return 0.0
    omega = 2 * np.pi * np.fft.fftfreq(m)
    psi = np.where(omega > 0,
                   np.sqrt(2 * np.pi * scale) * np.pi ** -0.25 * np.exp(-((scale * omega - OMEGA0) ** 2) / 2), 0.0)
    w = np.fft.ifft(np.fft.fft(y) * psi)
    return float(np.sum(np.abs(w) ** 2)) / total


def spectral_peak(x):
    y, m = padded(x)
    if float(np.sum(y * y)) == 0:
        return 0.0
    power = np.abs(np.fft.fft(y)[1:m // 2 + 1]) ** 2
    return float(power.max() / power.sum())


def series_features(x):
    s_mean, s_var = silence(x)
    return [float(x.mean()), float(np.median(x)), float(x.std()),
            float(np.percentile(x, 75)), float(np.percentile(x, 90)), float(np.percentile(x, 95)),
            s_mean, s_var, relative_energy(x, 2), relative_energy(x, 4), spectral_peak(x)]


def ratio(a, b):
    return float(a / b) if b > 0 else 0.0


def host_features(br, bs, pr, ps):
    n = len(br)
    p = pr + ps
    active = np.flatnonzero(p > 0)
    gaps = np.diff(active).astype(float)
    gap_cv = float(gaps.std() / gaps.mean()) if len(gaps) >= 2 else 0.0
    centred = p - p.mean()
    return [len(active) / n, float(np.count_nonzero((pr > 0) & (ps > 0))) / n, gap_cv,
            ratio(p.max(), p.mean()), ratio(np.sum(centred[:-1] * centred[1:]), np.sum(centred * centred)),
            ratio(br.sum(), pr.sum()), ratio(bs.sum(), ps.sum()), ratio(bs.sum(), br.sum() + bs.sum()),
            ratio(ps.sum(), p.sum())]


def main():
    request = json.load(sys.stdin)
    transform = np.log1p if request.get("log1p") else (lambda w: w)
    out = []
    for window in request["windows"]:
        raw = [np.asarray(s, dtype=float) for s in window]
        row = []
        for s in raw:
            row += series_features(transform(s))
        out.append(row + host_features(*raw))
    json.dump({"features": out}, sys.stdout)


if __name__ == "__main__":
    main()
