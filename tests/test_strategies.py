"""The public Hypothesis strategies produce what their docstrings promise."""

import numpy as np
from hypothesis import given, settings

from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.strategies import error_vectors, power_law_spectra, psd_paths, shell_grids


@settings(max_examples=20)
@given(power_law_spectra(n_max=60))
def test_power_law_spectra(spec):
    lam = spec.eigenvalues
    assert lam.shape == spec.amplitudes.shape
    assert (lam == 0).sum() == spec.n_null and np.all(lam >= 0)
    pos = lam[lam > 0]
    if pos.size >= 8:
        k = np.arange(1, pos.size + 1)
        slope = np.polyfit(np.log(k), np.log(pos), 1)[0]
        assert abs(-slope - spec.b) < 0.1              # the tail exponent is the one drawn


@settings(max_examples=20)
@given(shell_grids())
def test_shell_grids(g):
    assert isinstance(g, ShellGrid) and 0.05 <= g.h <= 2.0


@settings(max_examples=15)
@given(psd_paths())
def test_psd_paths_are_smooth_simple_psd(system):
    ts = np.linspace(0, 1, 11)
    for t in ts:
        M = system(t)
        assert np.array_equal(M, M.T) or np.allclose(M, M.T, atol=1e-12)
        lam = np.sort(system.eigenvalues(t))
        np.testing.assert_allclose(np.linalg.eigvalsh(M), lam, atol=1e-10 * (1 + lam.max()))
        pos = lam[lam > 0]
        assert np.all(np.diff(np.log(pos)) > 0)        # simple positive spectrum: no crossings
    assert system.n <= 12


@settings(max_examples=10)
@given(error_vectors(4))
def test_error_vectors(e):
    assert e.shape == (4,) and np.isfinite(e).all()
