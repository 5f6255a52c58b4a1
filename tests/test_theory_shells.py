"""Theory objects of GRSD-T4..T6: shells, projectors, fluxes, lattice sums, matrix algebra."""

import random

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import theory as T
from grsd_sym.errors import EmptyShellError, InputError, NegativeEigenvalueError, ShapeError, ShellGridError
from grsd_sym.theory import lattice as Lat
from grsd_sym.theory import shells as Sh
from grsd_sym.theory import witnesses as Wt


def test_assign_shells_null_shell_and_errors():
    shells, null = Sh.assign_shells([0, sp.Rational(1, 2), 1, sp.E**2, 0], h=1)
    assert null == [0, 4]
    assert shells == {-1: [1], 0: [2], 2: [3]}
    with pytest.raises(ShellGridError):
        Sh.assign_shells([1], h=0)
    with pytest.raises(ShellGridError):
        Sh.assign_shells([1], h=-1)
    with pytest.raises(NegativeEigenvalueError):
        Sh.assign_shells([1, -sp.Rational(1, 10)], h=1)


def test_shell_errors():
    A = sp.Matrix([[0, 1], [-1, 0]])
    a = sp.Matrix([1, 2])
    with pytest.raises(ShapeError):
        Sh.transfer(A, a, [0], [2])
    with pytest.raises(InputError):
        Sh.shell_energy(a, [0, 0])
    with pytest.raises(EmptyShellError):
        Sh.spectral_projector(sp.eye(2), [])
    with pytest.raises(ShapeError):
        Sh.boundary_flux(A, 5)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 9))
def test_energies_sum_to_loss_and_transfers_cancel(seed, n):
    rng = random.Random(seed)
    lam = [sp.Integer(0) if rng.random() < 0.25 else sp.Rational(rng.randint(1, 400), 37) for _ in range(n)]
    shells, null = Sh.assign_shells(lam, h=sp.Rational(1, 2))
    a = sp.Matrix([sp.Rational(rng.randint(-30, 30), rng.randint(1, 7)) for _ in range(n)])
    total = sum(Sh.shell_energy(a, S) for S in shells.values()) + Sh.shell_energy(a, null)
    assert total == T.loss(a)  # exactly: zero eigenvalues are not dropped
    A = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            A[i, j] = sp.Rational(rng.randint(-30, 30), rng.randint(1, 7))
            A[j, i] = -A[i, j]
    groups = list(shells.values()) + ([null] if null else [])
    for S in groups:
        assert Sh.intra_shell_transfer(A, a, S) == 0
    Tm = sp.Matrix(len(groups), len(groups), lambda x, y: Sh.transfer(A, a, groups[x], groups[y]))
    assert Tm + Tm.T == sp.zeros(len(groups), len(groups))
    nets = Sh.net_transfers_from_matrix(Tm)
    assert sum(nets) == 0
    for al in range(len(groups)):
        assert nets[al] == Sh.boundary_flux(Tm, al - 1) - Sh.boundary_flux(Tm, al)


def test_projector_energy_equals_mode_energy_numeric():
    rng = random.Random(5)
    p = Wt.spectral_path(5, rng, multiplicities=(2, 3))
    with mpmath.workdps(50):
        D = mpmath.diag([1, 1, 0, 0, 0])
        P = p.U * D * p.U.T
        e = mpmath.matrix([1, -2, 3, 1, 2])
        a = p.U.T * e
        assert Wt.agreement_digits((e.T * P * e)[0] / 2 - (a[0] ** 2 + a[1] ** 2) / 2, 1) > 40


def test_rectangle_sum_matches_explicit_sums():
    x, y = sp.symbols("x y", integer=True)

    def G(u, w):
        return u**3 * w + 2 * u * w**2 - u

    for a0, b0, c0, e0 in [(1, 4, 2, 5), (0, 0, -1, 3), (2, 6, 2, 2)]:
        direct = sum(Lat.lattice_difference(G, xx, yy) for xx in range(a0, b0 + 1) for yy in range(c0, e0 + 1))
        formula = Lat.rectangle_sum(G, (x, a0, b0), (y, c0, e0))
        assert sp.expand(direct - formula) == 0


def test_ncalgebra_leibniz_rewrite_evaluate():
    X, Y, Xd, Yd = sp.symbols("X Y Xd Yd", commutative=False)
    assert T.leibniz(X * Y, {X: Xd, Y: Yd}) == Xd * Y + X * Yd
    with pytest.raises(InputError):
        T.leibniz(X * Y, {X: Xd})
    assert T.rewrite(X * X * Y, [((X, X), (X,))]) == X * Y
    Xm = mpmath.matrix([[1, 2], [0, 1]])
    Ym = mpmath.matrix([[0, 1], [1, 0]])
    r = T.evaluate(X * Y - Y * X, {X: Xm, Y: Ym}, 2)
    assert r == Xm * Ym - Ym * Xm
