#!/usr/bin/env python3
"""Where the GPU training step's time goes, kernel by kernel.

    ./build.sh gpu-kernels [--dims 784,500,500,2000,10] [--batch 256] [--steps 3]
                           [--adapter swiftshader] [--matmul block|burn]

Runs `deepclust bench-step --device wgpu` with CubeCL's profiling logger on (a `cubecl.toml`
in a scratch folder, which CubeCL reads from the working directory), then sums the logged
kernel times by kind: matrix products, ReLU (a compare and a masked fill), reductions and the
other element-wise kernels (Adam's updates, bias gradients, the loss). Natively, without a
GPU, the adapter is Mesa's lavapipe: a CPU emulation like the browser's SwiftShader, not the
same one, so shares carry over better than absolute times.

The profiling logger waits for every kernel before the next, so the summed kernel time is the
device's work without overlap; the step time printed first is the unprofiled median.
"""

import argparse
import collections
import os
import re
import tempfile

from deepclust_cli import bench_fields

UNITS = {"ns": 1e-6, "µs": 1e-3, "ms": 1.0, "s": 1e3}
LINE = re.compile(r"\| ([\d.]+)(ns|µs|ms|s)\s*\| (.*)")


SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json"


def kind(name):
    if name.startswith(("MatmulEntry", "MatmulBlock4")):
        return "matrix product"
    if "LowerEqual" in name or "MaskFill" in name:
        return "ReLU"
    if "Reduce" in name:
        return "reduction"
    return "other element-wise"


def run_step(binary, cwd, dims, batch, steps, env):
    fields = bench_fields(binary, "bench-step", "--device", "wgpu", "--dims", dims,
                          "--batch", str(batch), "--steps", str(steps), cwd=cwd, env=env)
    return float(fields["median_ms"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.environ.get("DEEPCLUST_BIN"), required="DEEPCLUST_BIN" not in os.environ)
    ap.add_argument("--dims", default="784,500,500,2000,10")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--adapter", choices=["default", "swiftshader"], default="default")
    ap.add_argument("--matmul", choices=["auto", "block", "burn"], default="auto")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.adapter == "swiftshader":
        if not os.path.exists(SWIFTSHADER_ICD):
            raise SystemExit(f"no SwiftShader Vulkan driver at {SWIFTSHADER_ICD} (Debian's chromium ships it)")
        env["VK_ICD_FILENAMES"] = SWIFTSHADER_ICD
        env["WGPU_BACKEND"] = "vulkan"
    if args.matmul != "auto":
        env["DEEPCLUST_GPU_MATMUL"] = args.matmul

    # Each run in a folder of its own: CubeCL reads a cubecl.toml from the working directory.
    with tempfile.TemporaryDirectory() as plain:
        median = run_step(args.binary, plain, args.dims, args.batch, args.steps, env)
    with tempfile.TemporaryDirectory() as scratch:
        log = os.path.join(scratch, "kernels.log")
        with open(os.path.join(scratch, "cubecl.toml"), "w") as f:
            f.write(f'[profiling]\nlogger = {{ level = "basic", file = "{log}", append = false }}\n')
        run_step(args.binary, scratch, args.dims, args.batch, args.steps, env)
        times, launches = collections.Counter(), collections.Counter()
        with open(log, encoding="utf-8") as f:
            for line in f:
                m = LINE.match(line)
                if m:
                    k = kind(m.group(3))
                    times[k] += float(m.group(1)) * UNITS[m.group(2)]
                    launches[k] += 1
    if not times:
        raise SystemExit("CubeCL logged no kernel times: is a wgpu adapter present (mesa-vulkan-drivers)?")
    # bench-step (src/bin/deepclust/bench.rs) runs two warm-up steps before at least one timed
    # one, and the log holds them all; the first compiles the kernels, which the profiler does
    # not count as kernel time.
    n = max(args.steps, 1) + 2
    total = sum(times.values())
    print(f"GPU step {args.dims} batch {args.batch}: median {median:.1f} ms unprofiled; "
          f"kernels {total / n:.1f} ms a step in {sum(launches.values()) / n:.0f} launches")
    for k, t in times.most_common():
        print(f"  {k}: {t / n:.1f} ms a step ({100 * t / total:.1f} %), {launches[k] / n:.0f} launches")


if __name__ == "__main__":
    main()
