"""Probe: small networks with exact Jacobians, training, and the four GRSD conditions (docs/theory/conditions.md).

* :mod:`~grsd_sym.probe.networks` -- plain and residual MLPs, exact per-sample Jacobians,
  complex-step kernel velocity :math:`\\dot M`, back-propagated gradient norms;
* :mod:`~grsd_sym.probe.tasks` -- power-law teacher task, user arrays;
* :mod:`~grsd_sym.probe.train` -- full-batch gradient descent / small-step gradient flow with
  log-spaced checkpoints;
* :mod:`~grsd_sym.probe.gradflow` -- gradient flow with ``lr * lambda_max(t)`` held below a bound;
* :mod:`~grsd_sym.probe.adapter` -- :class:`Trajectory` and the ``.npz`` format for runs from
  other frameworks;
* :mod:`~grsd_sym.probe.window` -- the scaling window chosen from the measured spectrum;
* :mod:`~grsd_sym.probe.diagnostics` -- the four conditions;
* :mod:`~grsd_sym.probe.condition4` -- the statistical test of condition 4;
* :mod:`~grsd_sym.probe.calibrate` -- its positive control and false-positive rate;
* :mod:`~grsd_sym.probe.experiment` -- residual vs plain across depths and seeds;
* :mod:`~grsd_sym.probe.plots` -- figures (optional matplotlib).
"""

from grsd_sym.probe import adapter as _adapter
from grsd_sym.probe.adapter import *  # noqa: F403  (Trajectory and the .npz format: its __all__)
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.condition4 import condition4_test
from grsd_sym.probe.diagnostics import (
    SpectralPath,
    covariant_toeplitz,
    diagnose,
    diagnose_path,
    fit_flux_velocity,
    gradient_propagation,
    spectral_path,
    toeplitz_null_baseline,
)
from grsd_sym.probe.experiment import DEFAULT, QUICK, ProbeConfig, format_table, run_experiment, run_one
from grsd_sym.probe.gradflow import train_flow
from grsd_sym.probe.networks import MLP, Network, ResMLP, make_network
from grsd_sym.probe.tasks import Task, load_task_arrays, power_law_teacher, task_from_arrays
from grsd_sym.probe.train import checkpoint_steps, gradient_flow, train
from grsd_sym.probe.window import ScalingWindow, choose_scaling_window, window_from_bounds

__all__ = [
    "MLP",
    "ResMLP",
    "Network",
    "make_network",
    "Task",
    "power_law_teacher",
    "task_from_arrays",
    "load_task_arrays",
    "checkpoint_steps",
    "train",
    "gradient_flow",
    *_adapter.__all__,
    "ScalingWindow",
    "choose_scaling_window",
    "window_from_bounds",
    "gradient_propagation",
    "fit_flux_velocity",
    "toeplitz_null_baseline",
    "covariant_toeplitz",
    "spectral_path",
    "SpectralPath",
    "diagnose_path",
    "diagnose",
    "condition4_test",
    "train_flow",
    "ProbeConfig",
    "QUICK",
    "DEFAULT",
    "run_one",
    "run_experiment",
    "format_table",
    "blas_threads",
]


def __getattr__(name: str):
    """``from_torch`` / ``from_jax`` import torch / jax only when asked for (extras ``torch``,
    ``jax``; a missing one raises :class:`~grsd_sym.errors.InputError` naming the extra)."""
    if name == "from_torch":
        from grsd_sym.probe.torch_adapter import from_torch

        return from_torch
    if name == "from_jax":
        from grsd_sym.probe.jax_adapter import from_jax

        return from_jax
    raise AttributeError(f"module 'grsd_sym.probe' has no attribute {name!r}")
