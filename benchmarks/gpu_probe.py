"""Probe a torch MLP at n = 1024 samples and ~1e5 parameters: time, peak memory, agreement.

Runs on the GPU when there is one (the same adapter code), else on the CPU::

    python benchmarks/gpu_probe.py                 # n = 1024, P ~ 1e5, 3 checkpoints
    python benchmarks/gpu_probe.py --device cpu --n 256

It prints one JSON document:

* ``agreement``: max relative difference of ``M`` and ``Mdot`` between the run's device and the
  numpy network (complex-step ``Mdot``) on a small problem with the same weights (the baseline);
* ``timing``: seconds of the kernel assembly on the device and of the numpy baseline on the same
  small problem, and their ratio (same process, so the ratio is meaningful, not the seconds);
* ``probe``: the big run: block size, seconds per checkpoint, peak memory (CUDA allocator peak on
  a GPU, process peak RSS on the CPU), the regime and the diagnostics' ``rho0`` and ``delta_K``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from grsd_sym.probe.architectures import ArchSpec
from grsd_sym.probe.diagnostics import diagnose
from grsd_sym.probe.torch_adapter import (
    from_torch,
    torch_kernel,
    torch_model_from_theta,
)


def agreement(device: str) -> dict:
    spec = ArchSpec("resnet", (16,), width=32, depth=3, output_dim=1)
    net = spec.numpy_network(seed=0)
    theta = net.init_params()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(128, 16)), rng.normal(size=(128, 1))
    t0 = time.perf_counter()
    _, M, Md, _ = net.kernel_and_velocity(theta, X, y)
    t_np = time.perf_counter() - t0
    model = torch_model_from_theta(spec, theta, device=device)
    torch_kernel(model, X, y)  # warm-up (CUDA context, kernels)
    t0 = time.perf_counter()
    out = torch_kernel(model, X, y)
    t_dev = time.perf_counter() - t0

    def rel(a, b):
        return float(np.abs(a - b).max() / np.abs(b).max())

    return {
        "agreement": {"M": rel(out["M"], M), "Mdot": rel(out["Mdot"], Md)},
        "timing": {"numpy_baseline_s": t_np, "device_s": t_dev, "ratio_device_over_numpy": t_dev / t_np},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--width", type=int, default=280)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--checkpoints", type=int, default=2)
    ap.add_argument("--max-memory", type=int, default=1 << 30)
    ap.add_argument("--block-size", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    doc = {
        "device": args.device,
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else None,
    }
    doc.update(agreement(args.device))
    from sklearn.datasets import load_digits

    X, labels = load_digits(return_X_y=True)
    X = (X[: args.n] - X.mean()) / X.std()
    y = (labels[: args.n] - labels.mean()) / labels.std()
    spec = ArchSpec("mlp", (64,), width=args.width, depth=args.depth)
    model = torch_model_from_theta(spec, spec.init_theta(0), device=args.device)
    if args.device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    traj = from_torch(
        model,
        X,
        y,
        steps=args.steps,
        n_checkpoints=args.checkpoints,
        max_memory=args.max_memory,
        block_size=args.block_size,
    )
    wall = time.perf_counter() - t0
    d = diagnose(traj)["summary"]
    peak = (
        torch.cuda.max_memory_allocated()
        if args.device.startswith("cuda")
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    )
    doc["probe"] = {
        "n": args.n,
        "n_params": spec.n_params,
        "block_size": traj.meta["block_size"],
        "max_memory": args.max_memory,
        "checkpoints": int(traj.t.size),
        "wall_s": wall,
        "s_per_checkpoint": wall / traj.t.size,
        "peak_bytes": int(peak),
        "peak_GiB": peak / 2**30,
        "peak_kind": "cuda allocator" if args.device.startswith("cuda") else "process RSS",
        "regime": traj.meta["regime"]["regime"],
        "rho0": d.get("rho0"),
        "delta_K": d.get("delta_K"),
    }
    print(json.dumps(doc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
