#!/usr/bin/env python3
"""scikit-learn reference for DetectionTests: the same data through StandardScaler, PCA and LinearSVC.

Input on stdin: JSON {"train": [[...], ...], "labels": [0/1, ...], "test": [[...], ...], "components": k,
"C": c}. Output: JSON {"predictions": [0/1 per test row], "decisions": [...], "explained": [ratio per component],
"scaler_mean": [...], "scaler_scale": [...]}.
With "one_vs_rest": true, labels are class indices and one LinearSVC per class is trained against the rest
(OneVsRestClassifier), each with balanced weights within its own two-class problem, as MultiClassTrainer does:
"predictions" are class indices and "decisions" one list of per-class values per test row.
Settings match LinearSVCTrainer's defaults: squared hinge, dual coordinate descent, balanced class weights, tol 1e-4,
intercept_scaling 1, max_iter 1000.
"""
import json
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC


def main():
    request = json.load(sys.stdin)
    train = np.asarray(request["train"], dtype=float)
    labels = np.asarray(request["labels"], dtype=int)
    test = np.asarray(request["test"], dtype=float)
    scaler = StandardScaler().fit(train)
    pca = PCA(n_components=request["components"], svd_solver="full").fit(scaler.transform(train))
    svc = LinearSVC(C=request["C"], loss="squared_hinge", dual=True, class_weight="balanced", tol=1e-4,
                    max_iter=1000, random_state=0)
    if request.get("one_vs_rest", False):
        svc = OneVsRestClassifier(svc)
    svc.fit(pca.transform(scaler.transform(train)), labels)
    projected = pca.transform(scaler.transform(test))
    json.dump({
        "predictions": [int(p) for p in svc.predict(projected)],
        "decisions": svc.decision_function(projected).tolist(),
        "explained": [float(r) for r in pca.explained_variance_ratio_],
        "scaler_mean": [float(v) for v in scaler.mean_],
        "scaler_scale": [float(v) for v in scaler.scale_],
    }, sys.stdout)


if __name__ == "__main__":
    main()
