r"""Random matrix paths for custom numeric witnesses (non-commutative and jet identities).

The default witness of :func:`grsd_sym.certificate.check_zero` evaluates a residual at random
rational points; identities in a matrix algebra, or identities that hold only on the
constraint set (:math:`U^T U = I`, :math:`P^2 = P`), need random *matrices that satisfy the
hypotheses*.  These are built exactly here, at mpmath precision:

* a rotation path :math:`U(t) = (I - W(t))^{-1}(I + W(t))` (Cayley) of a random rational
  antisymmetric generator :math:`W(t) = W_0 + t W_1 + t^2 W_2`, with the exact derivative
  :math:`\dot U = (I - W)^{-1}\dot W (I + U)`;
* a spectral path :math:`M = U \Lambda U^T` with random eigenvalue paths (optionally with
  repeated eigenvalues) and :math:`\dot M = \dot U\Lambda U^T + U\dot\Lambda U^T + U\Lambda\dot U^T`;
* a projector path :math:`P = U D U^T`, :math:`D = \mathrm{diag}(1,\dots,1,0,\dots,0)`.

:func:`agreement_digits` turns a residual and the size of its terms into digits of agreement.

>>> import random
>>> path = rotation_path(3, random.Random(0))
>>> agreement_digits(path.U.T * path.U - mpmath.eye(3), 1) > 40
True
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import mpmath

from grsd_sym.certificate import WITNESS_DPS
from grsd_sym.errors import InputError

__all__ = [
    "RotationPath",
    "SpectralPath",
    "JetInstant",
    "rotation_path",
    "spectral_path",
    "projector_path",
    "cayley_jet_instant",
    "jet_witness",
    "index_entry_witness",
    "agreement_digits",
    "max_abs",
]


def _rat(rng: random.Random, lo: float = -1.0, hi: float = 1.0) -> mpmath.mpf:
    q = 97
    return mpmath.mpf(lo) + (mpmath.mpf(hi) - mpmath.mpf(lo)) * rng.randint(1, q - 1) / q


def max_abs(m: Any) -> mpmath.mpf:
    """Largest absolute entry of an mpmath matrix (or number).

    Parameters
    ----------
    m : Any
        An mpmath matrix or number.

    Returns
    -------
    mpmath.mpf
        The largest absolute value.

    Examples
    --------
    >>> max_abs(mpmath.matrix([[1, -3], [2, 0]]))
    mpf('3.0')
    """
    if isinstance(m, mpmath.matrix):
        return max((abs(m[i, j]) for i in range(m.rows) for j in range(m.cols)), default=mpmath.mpf(0))
    return abs(m)


def agreement_digits(residual: Any, scale: Any) -> float:
    """``-log10(|residual| / scale)`` (``inf`` for an exact zero).

    Parameters
    ----------
    residual, scale : Any
        mpmath matrices or numbers.

    Returns
    -------
    float
        Digits of agreement.

    Examples
    --------
    >>> agreement_digits(mpmath.mpf("1e-30"), 1)
    30.0
    """
    r, sc = max_abs(residual), max_abs(scale)
    if r == 0:
        return math.inf
    if sc == 0:
        return -math.inf
    return float(-mpmath.log10(r / sc))


@dataclasses.dataclass
class RotationPath:
    """An orthogonal matrix and its exact time derivative at one instant.

    Attributes
    ----------
    U, U_dot : mpmath.matrix
        :math:`U` and :math:`\\dot U`.

    Examples
    --------
    >>> p = rotation_path(2, random.Random(1))
    >>> agreement_digits(p.U_dot.T * p.U + p.U.T * p.U_dot, 1) > 40
    True
    """

    U: mpmath.matrix
    U_dot: mpmath.matrix


@dataclasses.dataclass
class SpectralPath:
    r"""An instant of :math:`M = U\Lambda U^T` with all first derivatives.

    Attributes
    ----------
    U, U_dot : mpmath.matrix
        Eigenvectors and their derivative.
    lam, lam_dot : list
        Eigenvalues and their derivatives.
    M, M_dot : mpmath.matrix
        :math:`M` and :math:`\dot M`.

    Examples
    --------
    >>> p = spectral_path(3, random.Random(0))
    >>> agreement_digits(p.M - p.U * p.Lam * p.U.T, max_abs(p.M)) > 12
    True
    """

    U: mpmath.matrix
    U_dot: mpmath.matrix
    lam: list[Any]
    lam_dot: list[Any]
    M: mpmath.matrix
    M_dot: mpmath.matrix

    @property
    def Lam(self) -> mpmath.matrix:
        r""":math:`\Lambda`."""
        return mpmath.diag(self.lam)

    @property
    def Lam_dot(self) -> mpmath.matrix:
        r""":math:`\dot\Lambda`."""
        return mpmath.diag(self.lam_dot)


def rotation_path(n: int, rng: random.Random) -> RotationPath:
    """A random rotation path at a random instant (exact derivative), at ``WITNESS_DPS`` digits.

    Parameters
    ----------
    n : int
        Matrix size.
    rng : random.Random
        The random source.

    Returns
    -------
    RotationPath
        :math:`U` and :math:`\\dot U`.

    Raises
    ------
    InputError
        For ``n < 1``.

    Examples
    --------
    >>> p = rotation_path(3, random.Random(0))
    >>> agreement_digits(p.U.T * p.U - mpmath.eye(3), 1) > 40
    True
    """
    if n < 1:
        raise InputError(f"matrix size must be positive, got {n}")
    with mpmath.workdps(WITNESS_DPS):
        t = _rat(rng, 0, 1)
        W = mpmath.zeros(n, n)
        Wd = mpmath.zeros(n, n)
        for i in range(n):
            for j in range(i + 1, n):
                c0, c1, c2 = _rat(rng), _rat(rng), _rat(rng)
                W[i, j], W[j, i] = c0 + c1 * t + c2 * t**2, -(c0 + c1 * t + c2 * t**2)
                Wd[i, j], Wd[j, i] = c1 + 2 * c2 * t, -(c1 + 2 * c2 * t)
        return _cayley(W, Wd)


def _cayley(W: mpmath.matrix, Wd: mpmath.matrix) -> RotationPath:
    r""":math:`U = (I - W)^{-1}(I + W)` and :math:`\dot U = (I - W)^{-1}\dot W (I + U)` (at the caller's precision)."""
    I = mpmath.eye(W.rows)
    inv = mpmath.inverse(I - W)
    U = inv * (I + W)
    return RotationPath(U, inv * Wd * (I + U))


def _spectral(rp: RotationPath, lam: list[Any], lam_dot: list[Any]) -> SpectralPath:
    r""":math:`M = U\Lambda U^T` and :math:`\dot M` from a rotation instant and eigenvalue paths."""
    L, Ld = mpmath.diag(lam), mpmath.diag(lam_dot)
    U, Ud = rp.U, rp.U_dot
    return SpectralPath(U, Ud, lam, lam_dot, U * L * U.T, Ud * L * U.T + U * Ld * U.T + U * L * Ud.T)


def spectral_path(n: int, rng: random.Random, multiplicities: Iterable[int] | None = None) -> SpectralPath:
    """A random :math:`M = U\\Lambda U^T` path instant; ``multiplicities`` repeats eigenvalue paths.

    Parameters
    ----------
    n : int
        Size of :math:`M`.
    rng : random.Random
        Source of the random coefficients.
    multiplicities : iterable of int, optional
        Multiplicity of each eigenvalue path (default all 1).

    Returns
    -------
    SpectralPath
        The instant.

    Raises
    ------
    InputError
        If the multiplicities do not sum to ``n``.

    Examples
    --------
    >>> p = spectral_path(3, random.Random(0), multiplicities=[2, 1])
    >>> p.lam[0] == p.lam[1]
    True
    """
    mult = [1] * n if multiplicities is None else list(multiplicities)
    if sum(mult) != n or any(m < 1 for m in mult):
        raise InputError(f"multiplicities {mult} must be positive and sum to n = {n}")
    rp = rotation_path(n, rng)
    with mpmath.workdps(WITNESS_DPS):
        lam, lam_dot = [], []
        for m in mult:
            val, rate = _rat(rng, 0.1, 3), _rat(rng)
            lam += [val] * m
            lam_dot += [rate] * m
        return _spectral(rp, lam, lam_dot)


def projector_path(n: int, rank: int, rng: random.Random) -> tuple[mpmath.matrix, mpmath.matrix]:
    r"""A random projector path instant: :math:`P = U D U^T` and :math:`\dot P` (exact).

    Parameters
    ----------
    n, rank : int
        Size and rank.
    rng : random.Random
        The random source.

    Returns
    -------
    tuple of mpmath.matrix
        ``(P, P_dot)``.

    Raises
    ------
    InputError
        For a rank outside ``0..n``.

    Examples
    --------
    >>> P, Pd = projector_path(3, 1, random.Random(0))
    >>> agreement_digits(P * P - P, 1) > 12, agreement_digits(P * Pd * P, 1) > 12
    (True, True)
    """
    if not 0 <= rank <= n:
        raise InputError(f"projector rank must be in 0..{n}, got {rank}")
    rp = rotation_path(n, rng)
    with mpmath.workdps(WITNESS_DPS):
        D = mpmath.diag([1] * rank + [0] * (n - rank))
        P = rp.U * D * rp.U.T
        P_dot = rp.U_dot * D * rp.U.T + rp.U * D * rp.U_dot.T
    return P, P_dot


@dataclasses.dataclass
class JetInstant:
    """A random point of the :math:`3\\times3` Cayley jet space with the numeric matrices there.

    Attributes
    ----------
    values : dict
        Jet symbol name -> value.
    path : SpectralPath
        The matrices there.
    e : mpmath.matrix
        The error.

    Examples
    --------
    >>> inst = cayley_jet_instant(random.Random(0))
    >>> sorted(inst.values)[:2], inst.e.rows
    (['e1', 'e1_dot'], 3)
    """

    values: dict[str, Any]  # jet symbol name -> mpmath number
    path: SpectralPath
    e: mpmath.matrix


def cayley_jet_instant(rng: random.Random) -> JetInstant:
    r"""Random jet values ``(w, w_dot, l, l_dot, e)`` and, computed *numerically* from them,
    :math:`U = (I-W)^{-1}(I+W)`, :math:`\dot U = (I-W)^{-1}\dot W(I+U)`, :math:`M`, :math:`\dot M`.

    An independent numeric route to the symbolic jet computation of
    :func:`grsd_sym.theory.kato.cayley_spectral_path_3`.

    Parameters
    ----------
    rng : random.Random
        The random source.

    Returns
    -------
    JetInstant
        The jet values and the matrices.

    Examples
    --------
    >>> inst = cayley_jet_instant(random.Random(0))
    >>> p = inst.path
    >>> agreement_digits(p.U.T * p.U - mpmath.eye(3), 1) > 40
    True
    """
    with mpmath.workdps(WITNESS_DPS):
        vals = {}
        for i in (1, 2, 3):
            vals[f"w{i}"], vals[f"w{i}_dot"] = _rat(rng), _rat(rng)
            vals[f"e{i}"], vals[f"e{i}_dot"] = _rat(rng), _rat(rng)
        for i, base in zip((1, 2, 3), (0.5, 1.5, 2.5), strict=True):  # separated eigenvalues: no tiny gaps
            vals[f"l{i}"], vals[f"l{i}_dot"] = _rat(rng, base - 0.4, base + 0.4), _rat(rng)

        def cross(a1: Any, a2: Any, a3: Any) -> mpmath.matrix:
            return mpmath.matrix([[0, -a3, a2], [a3, 0, -a1], [-a2, a1, 0]])

        rp = _cayley(cross(vals["w1"], vals["w2"], vals["w3"]), cross(vals["w1_dot"], vals["w2_dot"], vals["w3_dot"]))
        lam = [vals[f"l{i}"] for i in (1, 2, 3)]
        lam_dot = [vals[f"l{i}_dot"] for i in (1, 2, 3)]
        e = mpmath.matrix([vals[f"e{i}"] for i in (1, 2, 3)])
        return JetInstant(vals, _spectral(rp, lam, lam_dot), e)


def _path_tables(p: SpectralPath) -> dict:
    return {
        "B": p.U.T * p.M_dot * p.U,
        "Omega": p.U.T * p.U_dot,
        "A": (p.U.T * p.U_dot).T,
        "lambda": p.lam,
        "lambdadot": p.lam_dot,
    }


def index_entry_witness(
    expr: Any,
    j: Any,
    k: Any,
    *,
    sizes: Sequence[int] = (2, 3, 4, 6),
    skip: Callable[[int, int], bool] | None = None,
    name: str | None = None,
) -> Callable[[random.Random], float]:
    r"""Witness for an expression in ``IndexedBase`` objects with symbolic indices ``j, k``.

    On random spectral paths of each size it evaluates ``expr`` for every concrete pair
    ``(j, k)`` (``skip(j, k)`` excludes pairs, e.g. the diagonal), with ``B`` :math:`= U^T\dot M U`,
    ``Omega`` :math:`= U^T\dot U`, ``A`` :math:`= \Omega^T`, ``lambda``, ``lambdadot`` taken
    from the path.  Returns the digits by which the worst value is zero relative to the size
    of ``B``.

    Parameters
    ----------
    expr : Any
        The expression (``IndexedBase`` named ``B``, ``Omega``, ``A``, ``lambda``, ``lambdadot``).
    j, k : Any
        The symbolic indices.
    sizes : sequence of int
        Matrix sizes tried.
    skip : callable, optional
        ``skip(j, k)`` excludes a pair.
    name : str, optional
        The witness's name (recorded in the certificate).

    Returns
    -------
    callable
        ``rng -> digits`` (a custom witness for :func:`~grsd_sym.certificate.check_zero`; GRSD-T2).

    Examples
    --------
    >>> import sympy as sp
    >>> j, k = sp.symbols("j k", integer=True)
    >>> Om = sp.IndexedBase("Omega")
    >>> w = index_entry_witness(Om[j, k] + Om[k, j], j, k, sizes=(2, 3))
    >>> w(random.Random(0)) > 40
    True
    """
    import sympy as sp

    atoms = sorted(expr.atoms(sp.Indexed) | expr.atoms(sp.KroneckerDelta), key=str)
    dums = [sp.Dummy() for _ in atoms]
    f = sp.lambdify(dums, expr.xreplace(dict(zip(atoms, dums, strict=True))), modules="mpmath")

    def witness(rng: random.Random) -> float:
        worst = math.inf
        for n in sizes:
            p = spectral_path(n, rng)
            with mpmath.workdps(WITNESS_DPS):
                tab = _path_tables(p)
                big = mpmath.mpf(0)
                for jj in range(n):
                    for kk in range(n):
                        if skip is not None and skip(jj, kk):
                            continue
                        sub = {j: jj, k: kk}
                        args = []
                        for at in atoms:
                            if isinstance(at, sp.KroneckerDelta):
                                args.append(1 if at.args[0].subs(sub) == at.args[1].subs(sub) else 0)
                                continue
                            idx = [int(i.subs(sub)) for i in at.indices]
                            tb = tab[at.base.name]
                            args.append(tb[idx[0], idx[1]] if len(idx) == 2 else tb[idx[0]])
                        big = max(big, abs(f(*args)))
                worst = min(worst, agreement_digits(big, max_abs(tab["B"]) + 1))
        return worst

    witness.__name__ = name or f"random spectral paths n = {', '.join(map(str, sizes))}: every concrete (j, k)"
    return witness


def jet_witness(
    exprs: Sequence[Any],
    numeric: Callable[[JetInstant], Sequence[Any]],
    *,
    points: int = 4,
    name: str | None = None,
) -> Callable[[random.Random], float]:
    """Witness: symbolic jet results ``exprs`` (in the jet symbols of
    :func:`grsd_sym.theory.kato.cayley_spectral_path_3`) against ``numeric(instant)``, a list
    of the same quantities computed numerically on the independent Cayley route, at random
    jet points.  Digits relative to ``|value| + 1``.

    Parameters
    ----------
    exprs : sequence
        Symbolic results in the jet symbols.
    numeric : callable
        ``numeric(instant)``: the same quantities computed numerically.
    points : int
        Random jet points.
    name : str, optional
        The witness's name.

    Returns
    -------
    callable
        ``rng -> digits`` (a custom witness; GRSD-T2, T3).

    Examples
    --------
    >>> import sympy as sp
    >>> w1 = sp.Symbol("w1", real=True)
    >>> w = jet_witness([w1**2], lambda inst: [inst.values["w1"] ** 2], points=2)
    >>> w(random.Random(0)) > 40
    True
    """
    import sympy as sp

    compiled = []
    for ex in exprs:
        ex = sp.sympify(ex, strict=True)
        syms = sorted(ex.free_symbols, key=lambda z: z.name)
        compiled.append((syms, sp.lambdify(syms, ex, modules="mpmath")))

    def witness(rng: random.Random) -> float:
        worst = math.inf
        for _ in range(points):
            inst = cayley_jet_instant(rng)
            with mpmath.workdps(WITNESS_DPS):
                want = numeric(inst)
                for (syms, f), w in zip(compiled, want, strict=True):
                    got = f(*[inst.values[z.name] for z in syms])
                    worst = min(worst, agreement_digits(got - w, abs(w) + 1))
        return worst

    witness.__name__ = name or "independent numeric Cayley route at random jet points (mpmath, 50 digits)"
    return witness
