"""Positive control of the condition-4 test at the shell counts of every saved group.

    python benchmarks/probe_positive_controls.py [TRIALS] [--redo]

For each (task, architecture, depth) of benchmarks/results/probe_*.json: the calibration
(``grsd_sym.probe.calibrate.calibrate``) on the measured spectrum of M(0) of the group's first
seed, with the experiment's 8 seeds, minimum shell count and resampling sizes.  Written to
benchmarks/results/positive_controls.json after every group; groups already there are kept
unless ``--redo`` is given (so a sweep extended by a depth only computes the new groups).
"""

import json
import sys
from pathlib import Path

import numpy as np

from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.calibrate import calibrate

RES = Path(__file__).resolve().parent / "results"

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--redo"]
    trials = int(args[0]) if args else 10
    saved = RES / "positive_controls.json"
    out = {} if "--redo" in sys.argv or not saved.is_file() else json.loads(saved.read_text())
    with blas_threads(1):
        for task in ("teacher", "digits"):
            f = RES / f"probe_{task}.json"
            if not f.is_file():
                continue
            doc = json.loads(f.read_text())
            cfg = doc["config"]
            for arch, byd in doc["results"][task].items():
                for depth, agg in byd.items():
                    spec = agg.get("spectrum_t0_first_seed")
                    if spec is None or f"{task}/{arch}/{depth}" in out:
                        continue
                    spec = np.array([np.nan if v is None else v for v in spec], dtype=float)
                    r = calibrate(
                        spectrum=spec[np.isfinite(spec)],
                        n_seeds=len(cfg["seeds"]),
                        n_trials=trials,
                        min_count=cfg["min_count"],
                        n_perm=cfg["n_null"],
                        n_boot=cfg["n_boot"],
                    )
                    out[f"{task}/{arch}/{depth}"] = {
                        "power": r["power"],
                        "false_positive_rate": r["false_positive_rate"],
                        "conditions": r["conditions"],
                        "counts": r["window"]["counts_t0"],
                        "n_trials": trials,
                        "seconds": r["seconds"],
                    }
                    print(task, arch, depth, out[f"{task}/{arch}/{depth}"], flush=True)
                    (RES / "positive_controls.json").write_text(json.dumps(out, indent=1))
