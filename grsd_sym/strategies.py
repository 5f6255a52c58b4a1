r"""Public Hypothesis strategies for grsd_sym: spectra, shell grids, smooth PSD kernel paths.

Use them in your own property tests::

    from hypothesis import given
    from grsd_sym.strategies import shell_grids, power_law_spectra

    @given(power_law_spectra(), shell_grids())
    def test_energies_sum_to_loss(spec, grid): ...

Every strategy draws a few scalars (and a seed for the bulk arrays) so that examples shrink
towards small, simple cases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.numeric.synthetic import SyntheticSystem, random_system

__all__ = ["PowerLawSpectrum", "power_law_spectra", "shell_grids", "psd_paths", "error_vectors"]


@dataclass(frozen=True)
class PowerLawSpectrum:
    r"""Eigenvalues :math:`\lambda_k = \lambda_1 k^{-b}(1+\text{jitter})` and amplitudes with
    :math:`a_k^2 \propto k^{-(a-b)}` (Convention A: task power :math:`\lambda_k w_k^2 \sim k^{-a}`),
    plus ``n_null`` exact zeros (null-shell modes) first.
    """

    eigenvalues: np.ndarray
    amplitudes: np.ndarray
    b: float
    a: float
    n_null: int


@st.composite
def power_law_spectra(draw, *, n_min: int = 1, n_max: int = 200, b_min: float = 0.5, b_max: float = 3.0,
                      max_null: int = 3):
    r"""Positive spectra with a power-law tail (and optionally a few zero eigenvalues).

    Example::

        >>> from hypothesis import given
        >>> @given(power_law_spectra(n_max=20))
        ... def check(spec):
        ...     assert spec.eigenvalues.shape == spec.amplitudes.shape
        ...     assert (spec.eigenvalues >= 0).all() and (spec.eigenvalues == 0).sum() == spec.n_null
        >>> check()
    """
    n = draw(st.integers(n_min, n_max))
    b = draw(st.floats(b_min, b_max, allow_nan=False))
    a = draw(st.floats(b + 0.1, b + 3.0, allow_nan=False))
    lam1 = draw(st.floats(1e-2, 1e2))
    n_null = draw(st.integers(0, min(max_null, n)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m = n - n_null
    k = np.arange(1, m + 1, dtype=float)
    lam = lam1 * k ** (-b) * np.exp(rng.uniform(-0.05, 0.05, m))
    amp = k ** (-(a - b) / 2) * rng.choice([-1.0, 1.0], m) * np.exp(rng.uniform(-0.5, 0.5, m))
    lam = np.concatenate([np.zeros(n_null), lam])
    amp = np.concatenate([rng.standard_normal(n_null), amp])
    return PowerLawSpectrum(lam, amp, float(b), float(a), int(n_null))


def shell_grids(*, h_min: float = 0.05, h_max: float = 2.0, s0_max: float = 3.0):
    r"""Valid shell grids ``ShellGrid(h, s0)`` with ``h`` in ``[h_min, h_max]``, ``|s0| <= s0_max``.

    Example::

        >>> from hypothesis import given
        >>> @given(shell_grids())
        ... def check(g):
        ...     assert g.h > 0 and abs(g.s0) <= 3.0
        >>> check()
    """
    return st.builds(ShellGrid, st.floats(h_min, h_max, allow_nan=False),
                     st.floats(-s0_max, s0_max, allow_nan=False))


@st.composite
def psd_paths(draw, *, n_min: int = 1, n_max: int = 12, max_null: int = 1,
              rotation_max: float = 2.0, log_range: float = 5.0) -> SyntheticSystem:
    r"""Smooth symmetric PSD kernel paths :math:`M(t) = U(t)\,\mathrm{diag}(\lambda(t))\,U(t)^T` on ``t in [0, 1]``.

    :math:`U(t) = \exp(tG)U_0` (random antisymmetric ``G`` of size up to ``rotation_max``, Haar
    :math:`U_0`); :math:`\lambda_k(t) = \exp(s_k + r_kt + q_k\sin\omega_kt)`, log-spaced and
    non-crossing on ``[0, 1]`` (simple spectrum: Kato coefficients finite), spanning at most
    ``log_range`` in :math:`\log\lambda` (so the flow is not stiff), plus at most ``max_null``
    zero modes.  See :func:`grsd_sym.numeric.synthetic.random_system`.

    Example::

        >>> from hypothesis import given
        >>> @given(psd_paths(n_max=5))
        ... def check(system):
        ...     M = system(0.5)
        ...     assert np.allclose(M, M.T) and np.linalg.eigvalsh(M).min() > -1e-12
        >>> check()
    """
    n = draw(st.integers(n_min, n_max))
    null = draw(st.integers(0, min(max_null, n - 1))) if n > 1 else 0
    seed = draw(st.integers(0, 2**32 - 1))
    rot = draw(st.floats(0.0, rotation_max, allow_nan=False))
    spacing = draw(st.floats(0.2, 1.0))
    spacing = min(spacing, log_range / max(n - null - 1, 1) / 1.1)
    s_min = draw(st.floats(-3.0, -1.0))
    return random_system(n, seed=seed, rotation_scale=rot, spacing=spacing, drift=0.1 * spacing,
                         wiggle=0.05 * spacing, null=null, s_min=s_min)


def error_vectors(n: int, *, scale: float = 10.0):
    r"""Finite error vectors of length ``n`` with entries in ``[-scale, scale]``.

    Example::

        >>> from hypothesis import given
        >>> @given(error_vectors(3))
        ... def check(e):
        ...     assert e.shape == (3,) and np.isfinite(e).all()
        >>> check()
    """
    return st.lists(st.floats(-scale, scale, allow_nan=False), min_size=n, max_size=n).map(
        lambda xs: np.array(xs, dtype=float))
