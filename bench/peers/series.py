#!/usr/bin/env python3
"""tslearn's time-series clustering on the shared UCR/UEA sets, beside deepclust's CLI.

    ./build.sh peers-series       # installs tslearn into a venv under the build cache, once

For ArrowHead, BasicMotions and GunPoint (train and test files joined, as the page joins them):
tslearn's TimeSeriesKMeans (Euclidean and DTW) and KShape on each series z-normalised, seed 42,
k = the number of classes, and deepclust's default (`cluster --k K`, N2D on the series network)
and k-means on z-normalised series; and scikit-learn's k-means on simple per-channel features
(mean, standard deviation, mean absolute step). ACC (Hungarian), NMI and ARI; labels only
score. Prints a Markdown table.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from tslearn.clustering import KShape, TimeSeriesKMeans
from tslearn.preprocessing import TimeSeriesScalerMeanVariance

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DEEPCLUST_DATA", ROOT.parent / "shared" / "data")) / "timeseries"
SETS = [("ArrowHead", 3), ("BasicMotions", 4), ("GunPoint", 2)]


def read_ts(path):
    """(series × length × channels, labels) of an equal-length `.ts` file with class labels."""
    xs, ys = [], []
    in_data = False
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower().startswith("@data")
            continue
        *channels, label = line.split(":")
        xs.append([[float(v) for v in c.split(",")] for c in channels])
        ys.append(label)
    return np.transpose(np.array(xs), (0, 2, 1)), ys


def acc(truth, pred):
    classes, t = np.unique(truth, return_inverse=True)
    clusters, p = np.unique(pred, return_inverse=True)
    m = np.zeros((len(clusters), len(classes)))
    for a, b in zip(p, t):
        m[a, b] += 1
    rows, cols = linear_sum_assignment(-m)
    return m[rows, cols].sum() / len(truth)


def scores(truth, pred):
    return acc(truth, pred), normalized_mutual_info_score(truth, pred), adjusted_rand_score(truth, pred)


def deepclust(name, k, extra):
    binary = os.environ.get("DEEPCLUST_BIN")
    if not binary:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        metrics = Path(tmp) / "m.json"
        cmd = [binary, "cluster", "--k", str(k), "--seed", "42", "--device", "cpu", "--quiet",
               "--out", str(Path(tmp) / "out.csv"), "--metrics", str(metrics),
               "--input", str(DATA / f"{name}_TRAIN.ts"), "--input", str(DATA / f"{name}_TEST.ts"), *extra]
        started = time.time()
        subprocess.run(cmd, check=True)
        m = json.loads(metrics.read_text())
        return (m["acc"], m["nmi"], m["ari"]), time.time() - started


def main():
    if not DATA.is_dir():
        sys.exit(f"peers-series: {DATA} is missing; set DEEPCLUST_DATA")
    print("| set | method | ACC | NMI | ARI | time (s) |")
    print("|---|---|---|---|---|---|")
    for name, k in SETS:
        parts = [read_ts(DATA / f"{name}_{split}.ts") for split in ("TRAIN", "TEST")]
        x = np.concatenate([p[0] for p in parts])
        y = sum((p[1] for p in parts), [])
        z = TimeSeriesScalerMeanVariance().fit_transform(x)
        # Simple per-channel features: each channel's mean, spread and mean absolute step,
        # standardised; scikit-learn's k-means on them (the data README's second baseline).
        feats = np.concatenate([x.mean(1), x.std(1), np.abs(np.diff(x, axis=1)).mean(1)], axis=1)
        feats = (feats - feats.mean(0)) / np.where(feats.std(0) > 0, feats.std(0), 1)
        started = time.time()
        pred = KMeans(k, n_init=10, random_state=42).fit_predict(feats)
        s = scores(y, pred)
        print(f"| {name} | scikit-learn k-means on per-channel features | {s[0]:.3f} | {s[1]:.3f} | {s[2]:.3f} | {time.time() - started:.1f} |", flush=True)
        runs = [
            ("tslearn TimeSeriesKMeans, Euclidean", lambda: TimeSeriesKMeans(k, metric="euclidean", random_state=42)),
            ("tslearn TimeSeriesKMeans, DTW", lambda: TimeSeriesKMeans(k, metric="dtw", random_state=42)),
            ("tslearn KShape", lambda: KShape(n_clusters=k, random_state=42)),
        ]
        for title, make in runs:
            started = time.time()
            pred = make().fit_predict(z)
            s = scores(y, pred)
            print(f"| {name} | {title} | {s[0]:.3f} | {s[1]:.3f} | {s[2]:.3f} | {time.time() - started:.1f} |", flush=True)
        for title, extra in [("deepclust k-means, z-normalised series", ["--method", "kmeans", "--series-scaling", "series"]),
                             ("deepclust default (N2D, series network)", [])]:
            r = deepclust(name, k, extra)
            if r:
                s, secs = r
                print(f"| {name} | {title} | {s[0]:.3f} | {s[1]:.3f} | {s[2]:.3f} | {secs:.1f} |", flush=True)


if __name__ == "__main__":
    main()
