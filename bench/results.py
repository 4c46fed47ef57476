#!/usr/bin/env python3
"""Every method on the shared data sets, through the `deepclust` command, into docs/RESULTS.md.

    ./build.sh results            # quick mode (subsets; minutes on 2 cores)
    ./build.sh results --full --only mnist --methods kmeans,dec,idec   # a slice
    ./build.sh results --full     # MNIST-70k, Fashion-MNIST-70k, COIL-20, tabular: hours on a CPU

Labels are read only to score (the CLI's --metrics); no setting depends on them. Seeds are
fixed, so a second run on the same machine prints the same accuracies.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DEEPCLUST_DATA", ROOT.parent / "shared" / "data"))


def registered_methods(binary):
    """(tabular, image, quick image) method names from the registry (`deepclust methods --json`),
    baselines first. Methods that need the images' shape train on images only; quick mode leaves
    them to --full, since burn's CPU convolutions take over a quarter of an hour on 2,000 digits
    (tests/images_native.rs still trains them on 400)."""
    listed = json.loads(subprocess.run([str(binary), "methods", "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    ordered = [m for m in listed if not m["deep"]] + [m for m in listed if m["deep"]]
    tabular = [m["name"] for m in ordered if not m["images"]]
    image = [m["name"] for m in ordered]
    return tabular, image, tabular

# Published unsupervised ACC, as quoted in ../shared/data/README.md (which says they were written
# from memory of the papers and should be checked before they are quoted elsewhere).
PUBLISHED = {
    ("mnist", "kmeans"): "0.535 (DEC paper)",
    ("mnist", "dec"): "0.843 (Xie et al. 2016)",
    ("mnist", "idec"): "0.881 (Guo et al. 2017)",
    ("mnist", "dcec"): "0.890 (Guo et al. 2017, DCEC)",
    ("mnist", "n2d"): "0.979 (McConville et al. 2019)",
    ("mnist", "mixture-em"): "0.989 (Tissera et al. 2022, with consistency optimisation over image augmentations)",
    ("fashion", "kmeans"): "≈0.474",
    ("fashion", "dec"): "≈0.62",
    ("fashion", "n2d"): "0.672 (McConville et al. 2019)",
    ("iris", "kmeans"): "≈0.893",
    ("arrowhead", "kmeans@series"): "0.561 (data README: mean of 3 seeds)",
    ("basicmotions", "kmeans@series"): "0.450 (data README: mean of 3 seeds)",
    ("gunpoint", "kmeans@series"): "0.500 (data README: mean of 3 seeds)",
}

# A method name with `@series` is that method on each series standardised on its own
# (`--series-scaling series`): the usual k-means baseline for the UCR/UEA archive.
VARIANTS = {"series": ["--series-scaling", "series"]}


# The page's 2-D map is scored on this method's embedding (trustworthiness of the map and of
# PCA, on 1,000 seeded points, 10 neighbours), for the "Map view" table.
MAP_METHOD = "dec"


def datasets(full, binary):
    """(key, title, inputs, k, extra CLI args, methods)."""
    TABULAR_METHODS, IMAGE_METHODS, QUICK_IMAGE_METHODS = registered_methods(binary)
    tab = DATA / "tabular"
    sets = [
        ("iris", "iris (150 × 4)", [tab / "iris.csv"], 3, [], TABULAR_METHODS),
        ("wine", "wine (178 × 13)", [tab / "wine.csv"], 3, [], TABULAR_METHODS),
        ("breast_cancer", "breast cancer (569 × 30)", [tab / "breast_cancer.csv"], 2, [], TABULAR_METHODS),
        ("digits", "digits (1,797 × 64)", [tab / "digits.csv"], 10, [], TABULAR_METHODS),
    ]
    mn, fa = DATA / "mnist", DATA / "fashion-mnist"
    if full:
        sets += [
            ("mnist", "MNIST-70k (train + test)",
             [mn / "train-images-idx3-ubyte.gz", mn / "t10k-images-idx3-ubyte.gz"], 10, [], IMAGE_METHODS),
            ("fashion", "Fashion-MNIST-70k (train + test)",
             [fa / "train-images-idx3-ubyte.gz", fa / "t10k-images-idx3-ubyte.gz"], 10, [], IMAGE_METHODS),
            ("coil20", "COIL-20 (1,440 images, 64 × 64)", [DATA / "coil20"], 20, [], IMAGE_METHODS),
        ]
    else:
        quick = ["--subset", "2000"]
        sets += [
            ("mnist", "MNIST test set, seeded 2,000-image subset",
             [mn / "t10k-images-idx3-ubyte.gz"], 10, quick, QUICK_IMAGE_METHODS),
            ("fashion", "Fashion-MNIST test set, seeded 2,000-image subset",
             [fa / "t10k-images-idx3-ubyte.gz"], 10, quick, QUICK_IMAGE_METHODS),
            ("coil20", "COIL-20 (1,440 images, 32 × 32)",
             [DATA / "coil20"], 20, ["--side", "32"], QUICK_IMAGE_METHODS),
        ]
    ts = DATA / "timeseries"
    series_methods = ["kmeans@series"] + TABULAR_METHODS
    sets += [
        (key, title, [ts / f"{name}_TRAIN.ts", ts / f"{name}_TEST.ts"], k, [], series_methods)
        for key, name, title, k in [
            ("arrowhead", "ArrowHead", "ArrowHead (211 series, 1 × 251)", 3),
            ("basicmotions", "BasicMotions", "BasicMotions (80 series, 6 × 100)", 4),
            ("gunpoint", "GunPoint", "GunPoint (200 series, 1 × 150)", 2),
        ]
    ]
    return sets


def run(binary, inputs, k, method, device, extra, workdir):
    method, _, variant = method.partition("@")
    extra = extra + VARIANTS.get(variant, [])
    metrics = workdir / "metrics.json"
    cmd = [str(binary), "cluster", "--k", str(k), "--method", method, "--device", device,
           "--seed", "42", "--out", str(workdir / "labels.csv"), "--metrics", str(metrics), "--quiet"]
    for path in inputs:
        cmd += ["--input", str(path)]
    cmd += extra
    if method == MAP_METHOD:
        cmd.append("--map-quality")
    started = time.time()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed",
                "seconds": time.time() - started}
    return json.loads(metrics.read_text())


def fmt(v):
    return "–" if v is None else f"{v:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the whole data sets and default epochs")
    ap.add_argument("--device", default="cpu", choices=["cpu", "wgpu", "auto"])
    ap.add_argument("--binary", default=None, help="the deepclust binary (default: built by build.sh)")
    ap.add_argument("--out", help="default: docs/RESULTS.md (quick) or docs/RESULTS-full.md (--full)")
    ap.add_argument("--only", help="comma-separated data set keys (iris, wine, breast_cancer, digits, mnist, fashion, coil20, arrowhead, basicmotions, gunpoint)")
    ap.add_argument("--methods", help="comma-separated methods (default: all that apply)")
    args = ap.parse_args()

    if not DATA.is_dir():
        sys.exit(f"results: the shared data is not at {DATA}; set DEEPCLUST_DATA to its folder")
    binary = Path(args.binary or os.environ["DEEPCLUST_BIN"])
    mode = "full" if args.full else "quick"
    args.out = args.out or str(ROOT / "docs" / ("RESULTS-full.md" if args.full else "RESULTS.md"))
    started = time.time()
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for key, title, inputs, k, extra, methods in datasets(args.full, binary):
            if args.only and key not in args.only.split(","):
                continue
            if args.methods:
                methods = [m for m in methods if m in args.methods.split(",")]
            missing = [p for p in inputs if not p.exists()]
            if missing:
                print(f"skip {key}: {missing[0]} is missing", file=sys.stderr)
                continue
            rows = []
            for method in methods:
                r = run(binary, inputs, k, method, args.device, extra, work)
                line = (f"{key:14} {method:12} " + (f"ERROR {r['error']}" if "error" in r else
                        f"ACC {fmt(r['acc'])}  NMI {fmt(r['nmi'])}  ARI {fmt(r['ari'])}  {r['seconds']:.1f} s"))
                print(line, flush=True)
                rows.append((method, r))
            sections.append((key, title, k, rows))
    total = time.time() - started
    write_markdown(Path(args.out), sections, mode, args.device, total)
    print(f"wrote {args.out} ({mode} mode, {total / 60:.1f} min)")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def write_markdown(path, sections, mode, device, total):
    out = [
        "# Results",
        "",
        f"Written by `bench/results.py` ({mode} mode) on {datetime.date.today().isoformat()}: "
        f"{machine()}; device `{device}`; total {total / 60:.1f} min.",
        "",
        "Every run uses the defaults the browser uses for that data (network size, epochs, learning "
        "rates), seed 42, and no labels except to score. Time series use the page's defaults too: "
        "each channel standardised over all series, the convolutional network along time; the "
        "default method for series was chosen on these three sets (docs/DECISIONS.md). "
        + ("Quick mode trains on seeded 2,000-image subsets of the test sets (and COIL-20 at 32 × 32), "
           "where the defaults pick a small network, and leaves out DCEC (CPU convolutions are too "
           "slow for a quick run): its image rows are not comparable with the papers' full-data numbers; `./build.sh results --full` runs the real thing. "
           if mode == "quick" else "")
        + "The binary is the test build (dependencies at opt-level 2, this crate at 3), as "
        "`./build.sh test` builds it. Published numbers are on the full data sets; they are quoted "
        "from `../shared/data/README.md`, which notes they were written from memory of the papers.",
        "",
    ]
    for key, title, k, rows in sections:
        out += [f"## {title}, k = {k}", "",
                "| method | ACC | NMI | ARI | time (s) | device | published ACC |",
                "|---|---|---|---|---|---|---|"]
        for method, r in rows:
            pub = PUBLISHED.get((key, method), "")
            method = method.replace("@series", " (each series z-normalised)")
            if "error" in r:
                out.append(f"| {method} | error: {r['error']} | | | {r['seconds']:.1f} | | {pub} |")
            else:
                out.append(f"| {method} | {fmt(r['acc'])} | {fmt(r['nmi'])} | {fmt(r['ari'])} | "
                           f"{r['seconds']:.1f} | {r['device']} | {pub} |")
        for (dkey, method), pub in PUBLISHED.items():
            if dkey == key and method not in [m for m, _ in rows]:
                out.append(f"| {method} (not run here) | | | | | | {pub} |")
        out.append("")
    maps = [(title, r) for _, title, _, rows in sections for m, r in rows
            if m == MAP_METHOD and "trustworthiness_map" in r]
    if maps:
        out += ["## Map view", "",
                f"The 2-D UMAP map the page draws (15 neighbours, min_dist 0.1) of {MAP_METHOD}'s embedding, "
                "against the principal components the plot shows by default: trustworthiness "
                "(Venna & Kaski; scikit-learn's definition, 1 = every point's 10 nearest map "
                "neighbours are among its nearest in the embedding) on 1,000 seeded points, and "
                "the time to fit the map.", "",
                "| data | rows | PCA | map | map fit (s) |", "|---|---|---|---|---|"]
        for title, r in maps:
            out.append(f"| {title} | {r['rows']} | {r['trustworthiness_pca']:.3f} | "
                       f"{r['trustworthiness_map']:.3f} | {r['map_seconds']:.1f} |")
        out.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out))


if __name__ == "__main__":
    main()
