"""Couplings (GRSD section 5): energy and overlap estimators, Toeplitz deviation, empty shells."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import EmptyShellError, InputError, ShapeError
from grsd_sym.numeric import ShellGrid, measure_shells
from grsd_sym.numeric.couplings import (
    energy_couplings,
    overlap_couplings,
    renormalized_couplings,
    toeplitz_deviation,
    toeplitz_deviations,
    toeplitz_projection,
)
from grsd_sym.numeric.spectra import eigh_psd
from grsd_sym.numeric.synthetic import Rotation
from grsd_sym.strategies import psd_paths, shell_grids


@settings(max_examples=15)
@given(psd_paths(max_null=0), shell_grids(h_min=0.3), st.integers(0, 2**31))
def test_energy_and_renormalized_couplings(system, grid, seed):
    e = np.random.default_rng(seed).standard_normal(system.n)
    m = measure_shells(system(0.5), e, grid, dM=system.dM(0.5))
    C = energy_couplings(m.transfer, m.energies)
    K = renormalized_couplings(C)
    E = m.energies.values
    lam_c = np.exp(grid.s0 + (m.energies.alphas + 0.5) * grid.h)
    for i in range(E.size):
        for j in range(E.size):
            if E[i] > 0 and E[j] > 0:
                ref = m.transfer.inter[i, j] / math.sqrt(E[i] * E[j])
                assert math.isclose(C.matrix[i, j], ref, rel_tol=1e-12, abs_tol=1e-300)
                assert math.isclose(K.matrix[i, j], ref / math.sqrt(lam_c[i] * lam_c[j]), rel_tol=1e-12, abs_tol=1e-300)
            else:
                assert C.matrix.mask[i, j] and K.matrix.mask[i, j]
    assert np.all(np.isfinite(C.matrix.data))


def test_empty_shells_are_masked_or_raise():
    grid = ShellGrid(1.0)
    lam = np.array([np.exp(0.5), np.exp(2.5)])  # shell 1 is empty
    m = measure_shells(np.diag(lam), np.array([1.0, 1.0]), grid, dM=np.array([[0.0, 1.0], [1.0, 0.0]]))
    C = energy_couplings(m.transfer, m.energies)
    assert C.matrix.mask[1].all() and C.matrix.mask[:, 1].all()
    assert not C.matrix.mask[0, 2]
    with pytest.raises(EmptyShellError):
        energy_couplings(m.transfer, m.energies, strict=True)
    W = overlap_couplings(lam, np.eye(2), lam, np.eye(2), grid)
    assert W.matrix.mask[:, 1].all()
    with pytest.raises(EmptyShellError):
        overlap_couplings(lam, np.eye(2), lam, np.eye(2), grid, strict=True)
    with pytest.raises(EmptyShellError):
        toeplitz_deviation(np.ma.MaskedArray(np.ones((2, 2)), mask=True))
    with pytest.raises(InputError):
        toeplitz_deviation(np.zeros((3, 3)))


@settings(max_examples=15)
@given(st.integers(2, 12), st.integers(0, 2**31), st.floats(0.01, 1.0), shell_grids(h_min=0.3))
def test_overlap_couplings(n, seed, angle, grid):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n))
    M1 = X @ X.T
    G = rng.standard_normal((n, n))
    G = angle * (G - G.T)
    R = Rotation(G).at(1.0)
    M2 = R @ M1 @ R.T + 0.1 * np.eye(n)
    lam1, U1 = eigh_psd(M1)
    lam2, U2 = eigh_psd(0.5 * (M2 + M2.T))
    W = overlap_couplings(lam1, U1, lam2, U2, grid, block=3)
    # naive definition, mode by mode, including the null shell rows/cols
    al = W.alphas

    def shell(l):
        return None if l <= 0 else math.floor((math.log(l) - grid.s0) / grid.h)

    s1 = [shell(x) for x in lam1]
    s2 = [shell(x) for x in lam2]
    for ia, a in enumerate(al):
        for ib, b in enumerate(al):
            js = [j for j in range(n) if s1[j] == b]
            if not js:
                assert W.matrix.mask[ia, ib]
                continue
            ref = sum(float(U2[:, k] @ U1[:, j]) ** 2 for k in range(n) if s2[k] == a for j in js) / len(js)
            assert math.isclose(W.matrix[ia, ib], ref, rel_tol=1e-10, abs_tol=1e-13)
    # columns of a complete basis sum to one (null row included)
    col = W.matrix.sum(axis=0) + W.null_row
    assert np.allclose(col.compressed(), 1.0)


def test_toeplitz_projection_and_deviation():
    rng = np.random.default_rng(1)
    c = rng.standard_normal(9)
    Tm = np.array([[c[i - j + 4] for j in range(5)] for i in range(5)])
    assert toeplitz_deviation(Tm) < 1e-15
    # shift-invariance window: the deviation only counts the window
    K = Tm.copy()
    K[0, 0] += 5.0
    assert toeplitz_deviation(K, alphas=np.arange(-2, 3), window=(-1, 2)) < 1e-15
    assert toeplitz_deviation(K) > 0.1
    # brute force against the definition on a random matrix with masked entries
    A = rng.standard_normal((4, 4))
    mask = np.zeros((4, 4), bool)
    mask[0, 3] = mask[2, 1] = True
    Am = np.ma.MaskedArray(A, mask=mask)
    P = toeplitz_projection(Am)
    for i in range(4):
        for j in range(4):
            vals = [A[p, q] for p in range(4) for q in range(4) if p - q == i - j and not mask[p, q]]
            if vals:
                assert math.isclose(P[i, j], sum(vals) / len(vals), rel_tol=1e-12)
            else:
                assert P.mask[i, j]
    num = sum((A[p, q] - P[p, q]) ** 2 for p in range(4) for q in range(4) if not mask[p, q])
    den = sum(A[p, q] ** 2 for p in range(4) for q in range(4) if not mask[p, q])
    assert math.isclose(toeplitz_deviation(Am), math.sqrt(num / den), rel_tol=1e-12)
    with pytest.raises(ShapeError):
        toeplitz_deviation(np.ones((2, 3)))


def test_batched_toeplitz_deviations_match_the_single_one():
    rng = np.random.default_rng(3)
    mask = rng.random((6, 6)) < 0.2
    P = rng.standard_normal((5, 6, 6))
    batch = toeplitz_deviations(P, mask)
    for k in range(5):
        single = toeplitz_deviation(np.ma.MaskedArray(P[k], mask=mask))
        assert batch[k] == pytest.approx(single, rel=1e-13)
    assert np.isnan(toeplitz_deviations(np.zeros((1, 6, 6)), mask)[0])
