"""The residual-vs-plain experiment of the README (issue 14), one task per process.

    python benchmarks/probe_experiment.py teacher benchmarks/results/probe_teacher.json
    python benchmarks/probe_experiment.py digits  benchmarks/results/probe_digits.json
    python benchmarks/probe_experiment.py teacher benchmarks/results/probe_teacher_d16.json 16

Configuration: ``grsd_sym.probe.experiment.DEFAULT`` (n = 1024 modes, width 16, plain and residual
MLPs at depths 2, 4, 8, 16, seeds 0-7, gradient-flow regime lr * lambda_max <= 0.5, 4 log-spaced
checkpoints up to t = 30 / lambda_max(0), windows with >= 30 modes per shell).  Results are written
after every (depth, architecture) group, so a stopped run keeps what it finished.
The positive control is computed afterwards from the saved spectra (``grsd probe calibrate``).
"""

import sys
import time
from dataclasses import replace

from grsd_sym.probe.experiment import DEFAULT, run_experiment

if __name__ == "__main__":
    task, out = sys.argv[1], sys.argv[2]
    cfg = replace(DEFAULT, tasks=(task,), calibration_trials=0)  # calibration: run separately
    if len(sys.argv) > 3:  # optional comma-separated depths (to split the sweep over processes)
        cfg = replace(cfg, depths=tuple(int(d) for d in sys.argv[3].split(",")))
    t0 = time.time()
    doc = run_experiment(cfg, progress=lambda m: print(m, flush=True), out_path=out)
    print(f"done in {time.time() - t0:.0f} s, status {doc['status']}", flush=True)
