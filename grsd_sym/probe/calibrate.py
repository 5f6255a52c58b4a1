"""Calibration of the condition-4 test: a positive control and controlled violations.

An instrument is believed only after it has been shown to see what it is meant to see.  This
module builds synthetic kernel paths [defined] whose mode couplings are **exactly log-shift
invariant in the mean**, and the same paths with a **controlled violation**, runs them through
the probe's own shell stage (:func:`~grsd_sym.probe.diagnostics.shell_checkpoint`: projector
transfer, energies, ``C``, ``K``) on the window the probe's rules choose for the spectrum, and
applies the same test (:func:`~grsd_sym.probe.condition4.condition4_test`) with the same number
of seeds as the experiment.

The synthetic path (in the eigenbasis of ``M``: the pipeline is basis covariant, so no rotation
is needed).  Spectrum :math:`\\lambda_k` (default the power law :math:`k^{-\\beta}`, or a measured
spectrum, so that the shell counts are those of a real run); amplitudes
:math:`a_k = \\pm|z_k|\\sqrt{\\lambda_k}` (fresh per seed); kernel velocity in the eigenbasis
:math:`B_{kj} = (\\lambda_k - \\lambda_j) R_{kj}` with

.. math:: R_{kj} = \\operatorname{sgn}(a_ka_j)\\sqrt{\\lambda_k\\lambda_j}\\,\\psi_k\\psi_j
          \\Big[\\kappa(s_k - s_j)\\,e^{q\\,(\\bar s_{kj} - s_c)} + \\sigma Z_{kj}\\Big],
          \\qquad \\kappa(\\Delta) = -\\tanh(\\Delta/h)\\,e^{-|\\Delta|/\\ell}

(``Z`` antisymmetric standard normal, fresh per checkpoint; :math:`\\psi_k^2` the local spacing of
:math:`s = \\log\\lambda` per mode, i.e. one over the mode density, so that shell sums become
integrals in ``s``; :math:`\\bar s_{kj} = (s_k+s_j)/2`, :math:`s_c` the window centre).  The
transfer is then :math:`T_{\\alpha\\beta} = \\sum R_{kj}a_ka_j`, and with ``q = 0`` the expected
renormalized coupling depends on :math:`\\alpha - \\beta` only (a power-law spectrum has the same
mode-density shape in every shell).  ``q != 0`` is the violation "the renormalization is off by
:math:`\\lambda^q`", the kind the position regression looks for; ``structureless`` (``kappa = 0``)
is pure noise.

* ``power`` = fraction of invariant paths (``q = 0``) the test calls ``supported``;
* ``false_positive_rate`` = the largest fraction of violated paths (``q = violation_q``, and
  structureless) it calls ``supported``.

>>> r = calibrate(n_modes=256, n_seeds=8, n_trials=4, min_count=12, seed=1)
>>> sorted(r["conditions"])
['invariant', 'structureless', 'violated']
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from grsd_sym.errors import InputError
from grsd_sym.probe._checks import check_int
from grsd_sym.probe.condition4 import condition4_test
from grsd_sym.probe.diagnostics import SpectralCheckpoint, shell_checkpoint
from grsd_sym.probe.window import (
    DEFAULT_MIN_COUNT,
    ScalingWindow,
    choose_scaling_window,
)

__all__ = ["DEFAULT_NOISE", "DEFAULT_VIOLATION_Q", "calibrate", "synthetic_couplings"]

#: per-pair noise (relative to the coupling scale) of the default calibration
DEFAULT_NOISE = 2.0
#: default violation: couplings scaled by lambda^q across the window
DEFAULT_VIOLATION_Q = 0.5


def _kappa(d: np.ndarray, h: float, ell: float) -> np.ndarray:
    return -np.tanh(d / h) * np.exp(-np.abs(d) / ell)


def synthetic_couplings(
    lam: np.ndarray,
    window: ScalingWindow,
    rng: np.random.Generator,
    *,
    q: float = 0.0,
    noise: float = DEFAULT_NOISE,
    structure: bool = True,
    n_checkpoints: int = 1,
    ell_shells: float = 1.5,
) -> np.ndarray:
    """Time-mean renormalized couplings ``K`` (m x m) of one synthetic seed (module docstring).

    Parameters
    ----------
    lam : numpy.ndarray
        The spectrum, ascending and positive.
    window : ScalingWindow
        Shells of the couplings.
    rng : numpy.random.Generator
        Draws the amplitudes (once per seed) and each checkpoint's noise ``Z``.
    q : float
        Violation: couplings scaled by :math:`\\lambda^q` about the window centre.
    noise : float
        Per-pair noise.
    structure : bool
        Include the shift-invariant kernel :math:`\\kappa` (else pure noise).
    n_checkpoints : int
        Checkpoints averaged.
    ell_shells : float
        Range of :math:`\\kappa` in shells.

    Returns
    -------
    numpy.ndarray
        The mean over checkpoints of :func:`~grsd_sym.probe.diagnostics.shell_checkpoint`'s ``K``.

    Examples
    --------
    >>> lam = np.arange(1, 257, dtype=float) ** -1.0
    >>> w = choose_scaling_window(lam, min_count=8)
    >>> synthetic_couplings(lam, w, np.random.default_rng(0)).shape == (w.n_shells, w.n_shells)
    True
    """
    lam = np.asarray(lam, dtype=float)
    n = lam.size
    s = np.log(lam)
    psi = np.sqrt(np.abs(np.gradient(s)))
    ins = window.contains(lam)
    idx = np.nonzero(ins)[0]
    sw = s[idx]
    h = window.h
    a = np.sign(rng.standard_normal(n)) * np.abs(rng.standard_normal(n)) * np.sqrt(lam)
    sc = 0.5 * (window.s_lo + window.s_hi)
    d = sw[:, None] - sw[None, :]
    base = _kappa(d, h, ell_shells * h) if structure else np.zeros_like(d)
    if q != 0.0:
        base = base * np.exp(q * (0.5 * (sw[:, None] + sw[None, :]) - sc))
    amp = np.sign(a[idx])
    pref = (
        (amp[:, None] * amp[None, :])
        * np.sqrt(lam[idx][:, None] * lam[idx][None, :])
        * (psi[idx][:, None] * psi[idx][None, :])
    )
    lw, aw = lam[idx], a[idx]
    gap = lw[:, None] - lw[None, :]
    Ks = []
    for _ in range(int(n_checkpoints)):
        Z = rng.standard_normal((idx.size, idx.size))
        Z -= Z.T
        Z *= noise / np.sqrt(2.0)
        Z += base
        Z *= pref
        Z *= gap  # B = (lam_k - lam_j) R on the window modes (the rest is zero)
        cp = SpectralCheckpoint(0.0, lw, aw, Z, 1.0, 0.0, None)
        Ks.append(shell_checkpoint(cp, window, fluxes=False)["K"])
    return np.nanmean(np.array(Ks), axis=0)


def calibrate(
    n_modes: int = 1024,
    n_seeds: int = 8,
    n_trials: int = 40,
    *,
    spectrum: np.ndarray | None = None,
    beta: float = 1.0,
    noise: float = DEFAULT_NOISE,
    violation_q: float = DEFAULT_VIOLATION_Q,
    n_checkpoints: int = 1,
    min_count: int = DEFAULT_MIN_COUNT,
    n_perm: int = 999,
    n_boot: int = 400,
    level: float = 0.05,
    gate: float = 0.5,
    seed: int = 0,
    n_shells: int | None = None,
) -> dict:
    """Power and false-positive rate of the condition-4 test (module docstring).

    Parameters
    ----------
    n_modes : int
        Number of modes ``n`` of the synthetic spectrum :math:`k^{-\\beta}` (ignored when
        ``spectrum`` is given).
    n_seeds : int
        Replicates per test (the experiment's seeds).
    n_trials : int
        Tests per condition.
    spectrum : array, optional
        A measured spectrum (e.g. of ``M(0)`` of a real run): the window and shell counts are
        then those the probe chooses for it.
    noise, violation_q : float
        Per-pair noise and the size of the violation (couplings scaled by :math:`\\lambda^q`).

    Returns
    -------
    dict
        ``power``, ``false_positive_rate``, per condition the fraction of each verdict,
        the window (shell counts) used, and the settings.

    Raises
    ------
    InputError
        Bad sizes.

    Examples
    --------
    >>> r = calibrate(n_modes=256, n_seeds=4, n_trials=2, n_perm=49, n_boot=49, min_count=8)
    >>> r["conditions"]["violated"]["not supported"], r["false_positive_rate"]
    (1.0, 0.0)
    """
    for name, v, lo in (("n_modes", n_modes, 16), ("n_seeds", n_seeds, 4), ("n_trials", n_trials, 1)):
        check_int(name, v, lo)
    check_int("n_checkpoints", n_checkpoints)
    if not (np.isfinite(noise) and noise >= 0 and np.isfinite(violation_q)):
        raise InputError(f"noise must be >= 0 and violation_q finite, got {noise}, {violation_q}")
    t0 = time.perf_counter()
    if spectrum is None:
        lam = np.sort(np.arange(1, n_modes + 1, dtype=float) ** (-float(beta)))
    else:
        lam = np.sort(np.asarray(spectrum, dtype=float))
        lam = lam[lam > 1e-10 * lam[-1]]
    window = choose_scaling_window(lam, n_shells=n_shells, min_count=min_count)
    rng = np.random.default_rng(seed)
    conds: dict[str, dict[str, Any]] = {
        "invariant": {"q": 0.0, "structure": True},
        "violated": {"q": float(violation_q), "structure": True},
        "structureless": {"q": 0.0, "structure": False},
    }
    out: dict = {"conditions": {}}
    for name, c in conds.items():
        verdicts = []
        for _ in range(int(n_trials)):
            reps = np.array(
                [
                    synthetic_couplings(
                        lam, window, rng, q=c["q"], noise=noise, structure=c["structure"], n_checkpoints=n_checkpoints
                    )
                    for _ in range(int(n_seeds))
                ]
            )
            verdicts.append(
                condition4_test(
                    reps, window.h, level=level, gate=gate, n_perm=n_perm, n_boot=n_boot, seed=int(rng.integers(2**31))
                )["verdict"]
            )
        out["conditions"][name] = {
            v: verdicts.count(v) / len(verdicts) for v in ("supported", "not supported", "inconclusive")
        }
    out["power"] = out["conditions"]["invariant"]["supported"]
    out["false_positive_rate"] = max(
        out["conditions"]["violated"]["supported"], out["conditions"]["structureless"]["supported"]
    )
    out.update(
        {
            "n_modes": int(lam.size),
            "n_seeds": int(n_seeds),
            "n_trials": int(n_trials),
            "n_checkpoints": int(n_checkpoints),
            "noise": float(noise),
            "violation_q": float(violation_q),
            "level": level,
            "gate": gate,
            "window": window.as_dict(),
            "spectrum": "measured" if spectrum is not None else f"k^-{beta}",
            "seconds": time.perf_counter() - t0,
            "definition": "power = P(supported | exactly invariant couplings); "
            "false_positive_rate = max over {violation lambda^q, no structure} of "
            "P(supported | violated)",
        }
    )
    return out
