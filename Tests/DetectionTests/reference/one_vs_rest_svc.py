#!/usr/bin/env python3
"""scikit-learn reference for the multi-class mode: StandardScaler, PCA, then one LinearSVC per class against the
rest (OneVsRestClassifier), each with balanced class weights within its own two-class problem, as
MultiClassTrainer trains them.

Input on stdin: JSON {"train": [[...], ...], "labels": [class index, ...], "test": [[...], ...], "components": k,
"C": c}. Output: JSON {"predictions": [class index per test row], "decisions": [[one value per class], ...]}.
Settings match LinearSVCTrainer's defaults: squared hinge, dual coordinate descent, tol 1e-4, intercept_scaling 1,
max_iter 1000.
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
    svc = OneVsRestClassifier(LinearSVC(C=request["C"], loss="squared_hinge", dual=True, class_weight="balanced",
                                        tol=1e-4, max_iter=1000, random_state=0))
    svc.fit(pca.transform(scaler.transform(train)), labels)
    projected = pca.transform(scaler.transform(test))
    json.dump({
        "predictions": [int(p) for p in svc.predict(projected)],
        "decisions": [[float(v) for v in row] for row in svc.decision_function(projected)],
    }, sys.stdout)


if __name__ == "__main__":
    main()
