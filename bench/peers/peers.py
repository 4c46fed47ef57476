#!/usr/bin/env python3
"""deepclust against the tools a user would pick instead, on this machine, in one run.

    ./build.sh peers            # installs numpy, scikit-learn and torch (PyPI) in a venv once

Prints one line per measure with both times and the ratio deepclust/peer (< 1: deepclust is
faster), and the share of this machine's sgemm peak that deepclust's training step reaches.
Thread counts are equal on both sides: torch.set_num_threads(cores), and scikit-learn and
numpy with their default (all cores).
"""

import argparse
import os
import statistics
import time

import numpy as np

from deepclust_cli import bench_fields

DIMS = [784, 500, 500, 2000, 10]


def step_flops(dims, batch):
    per_pass = 2 * sum(a * b for a, b in zip(dims, dims[1:]))  # encoder + mirrored decoder
    return 3 * 2 * batch * per_pass


def sgemm_peak(n=4096, repeats=5):
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = np.random.default_rng(1).random((n, n), dtype=np.float32)
    a @ b  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / min(times) / 1e9


def torch_step_ms(dims, batch, steps, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(42)
    layers = []
    enc = list(zip(dims, dims[1:]))
    dec = [(b, a) for a, b in reversed(enc)]
    for i, (a, b) in enumerate(enc):
        layers.append(torch.nn.Linear(a, b))
        if i < len(enc) - 1:
            layers.append(torch.nn.ReLU())
    for i, (a, b) in enumerate(dec):
        layers.append(torch.nn.Linear(a, b))
        if i < len(dec) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, dims[0])

    def one():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), x)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(2):
        one()
    ms = []
    for _ in range(steps):
        t = time.perf_counter()
        one()
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms)


def sklearn_kmeans_ms(rows, dim, k, iters):
    from sklearn.cluster import KMeans

    x = np.random.default_rng(42).random((rows, dim), dtype=np.float32)
    km = KMeans(n_clusters=k, n_init=1, max_iter=iters, tol=0.0, random_state=1, algorithm="lloyd")
    t = time.perf_counter()
    km.fit(x)
    return (time.perf_counter() - t) * 1000, km.n_iter_


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.environ.get("DEEPCLUST_BIN"))
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--kmeans-iters", type=int, default=50)
    args = ap.parse_args()
    threads = os.cpu_count()
    dims = ",".join(map(str, DIMS))

    peak = sgemm_peak()
    print(f"sgemm peak (numpy, 4096² f32, {threads} threads): {peak:.1f} GFLOP/s")

    ours = bench_fields(args.binary, "bench-step", "--dims", dims, "--batch", str(args.batch),
                     "--steps", str(args.steps), "--device", "cpu")
    ours_ms = float(ours["median_ms"])
    theirs_ms = torch_step_ms(DIMS, args.batch, args.steps, threads)
    print(f"DEC autoencoder step {dims} batch {args.batch} Adam f32, CPU: "
          f"deepclust {ours_ms:.1f} ms, PyTorch {theirs_ms:.1f} ms, ratio {ours_ms / theirs_ms:.2f}")
    gflops = step_flops(DIMS, args.batch) / (ours_ms / 1000) / 1e9
    torch_gflops = step_flops(DIMS, args.batch) / (theirs_ms / 1000) / 1e9
    print(f"training FLOP/s: deepclust {gflops:.1f} GFLOP/s = {100 * gflops / peak:.0f}% of sgemm peak "
          f"(PyTorch {torch_gflops:.1f} GFLOP/s = {100 * torch_gflops / peak:.0f}%)")

    ours = bench_fields(args.binary, "bench-kmeans", "--rows", "70000", "--dim", "10", "--k", "10",
                     "--iters", str(args.kmeans_iters))
    theirs_ms, theirs_iters = sklearn_kmeans_ms(70000, 10, 10, args.kmeans_iters)
    ours_ms = float(ours["ms"])
    # Per iteration: with tol=0 each side stops when its own run converges exactly.
    ours_it, theirs_it = ours_ms / int(ours["iters"]), theirs_ms / theirs_iters
    print(f"k-means 70000×10, k=10, n_init=1, ≤{args.kmeans_iters} iterations "
          f"(deepclust ran {ours['iters']}, scikit-learn {theirs_iters}): "
          f"deepclust {ours_ms:.1f} ms, scikit-learn {theirs_ms:.1f} ms; per iteration "
          f"{ours_it:.2f} vs {theirs_it:.2f} ms, ratio {ours_it / theirs_it:.2f}")


if __name__ == "__main__":
    main()
