"""The hidden `deepclust bench-*` subcommands, run and read back, for the scripts beside this one."""

import subprocess


def bench_fields(binary, *args, cwd=None, env=None):
    """Runs `binary args…` and returns the `key=value` fields of its one output line
    (`step device=wgpu … median_ms=…`). Only the standard library, so scripts that need no
    numpy can use it."""
    done = subprocess.run([binary, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"deepclust {args[0]} failed: {done.stderr.strip()}")
    return dict(kv.split("=", 1) for kv in done.stdout.split()[1:])
