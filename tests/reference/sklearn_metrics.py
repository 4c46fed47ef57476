"""Prints the metric reference values stored in src/metrics/sklearn_reference.rs.

Run once with scikit-learn installed (pip install scikit-learn); the Rust tests compare
against the printed numbers, so the Python is not needed to run the tests.
"""
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, confusion_matrix, normalized_mutual_info_score

rng = np.random.default_rng(7)
cases = []
for n, classes, clusters, noise in [(30, 3, 4, 0.3), (24, 2, 3, 0.5), (40, 5, 5, 0.2), (16, 4, 2, 0.0)]:
    truth = rng.integers(0, classes, n)
    pred = np.where(rng.random(n) < noise, rng.integers(0, clusters, n), truth % clusters)
    cases.append((truth, pred))

for truth, pred in cases:
    m = confusion_matrix(truth, pred)
    rows, cols = linear_sum_assignment(-m)
    acc = m[rows, cols].sum() / len(truth)
    print("Case {")
    print(f"    truth: &{list(map(int, truth))},")
    print(f"    predicted: &{list(map(int, pred))},")
    print(f"    acc: {float(acc)!r},")
    print(f"    nmi_arithmetic: {normalized_mutual_info_score(truth, pred)!r},")
    print(f"    nmi_geometric: {normalized_mutual_info_score(truth, pred, average_method='geometric')!r},")
    print(f"    ari: {adjusted_rand_score(truth, pred)!r},")
    print("},")
