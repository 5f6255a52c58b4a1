r"""Microscopic dynamics: gradient flow of the error (docs/theory/microscopic.md; GRSD-T1..T3).

.. math::  \dot e = -\eta\, M(t)\, e, \qquad M = J J^T = U \Lambda U^T,
           \qquad L = \tfrac12 \lVert e \rVert^2 .

Pure SymPy objects: a general symmetric path of undefined functions, rotation paths
(plane rotations, Cayley transform of an antisymmetric generator), the spectral form
:math:`U \Lambda U^T`, and validation of symmetry / antisymmetry / shapes with project
errors.

>>> import sympy as sp
>>> M = sp.Matrix([[2, 1], [1, 2]]); e = sp.Matrix([1, 0])
>>> gradient_flow_rhs(M, e).T
Matrix([[-2, -1]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from grsd_sym.errors import InputError, NotSymmetricError, ShapeError

__all__ = [
    "as_matrix",
    "require_symmetric",
    "require_antisymmetric",
    "gradient_flow_rhs",
    "loss",
    "plane_rotation",
    "antisymmetric_generator_3",
    "cayley_rotation",
    "spectral_operator",
]


def as_matrix(x: Any, name: str = "matrix") -> sp.Matrix:
    """A SymPy Matrix from ``x``; floats are rejected (symbolic derivations are exact).

    Parameters
    ----------
    x : Any
        Anything ``sympy.Matrix`` accepts.
    name : str
        Its name, for the error message.

    Returns
    -------
    sympy.Matrix
        The matrix.

    Raises
    ------
    ShapeError, InputError
        If it is not a matrix, or contains floats.

    Examples
    --------
    >>> as_matrix([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    try:
        m = sp.Matrix(x)
    except Exception as exc:
        raise ShapeError(f"{name} is not a matrix: {exc}") from exc
    if any(isinstance(z, sp.Float) for entry in m for z in sp.preorder_traversal(entry)):
        raise InputError(f"{name} contains floats; use sympy.Rational in symbolic derivations")
    return m


def _is_zero(e) -> bool:
    e = sp.expand(e)
    if e == 0:
        return True
    return sp.simplify(e) == 0


def require_symmetric(M: Any, name: str = "M") -> sp.Matrix:
    """``M`` as a square symmetric Matrix, or :class:`NotSymmetricError` / :class:`ShapeError`.

    Parameters
    ----------
    M : Any
        The matrix.
    name : str
        Its name, for the error message.

    Returns
    -------
    sympy.Matrix
        ``M``.

    Raises
    ------
    NotSymmetricError, ShapeError
        If it is not square and symmetric.

    Examples
    --------
    >>> require_symmetric([[2, 1], [1, 2]]).is_symmetric()
    True
    """
    M = as_matrix(M, name)
    if M.rows != M.cols:
        raise ShapeError(f"{name} must be square, got {M.rows}x{M.cols}")
    for i in range(M.rows):
        for j in range(i + 1, M.cols):
            if not _is_zero(M[i, j] - M[j, i]):
                raise NotSymmetricError(
                    f"{name} must be symmetric (M = J J^T); entries ({i},{j}) and ({j},{i}) differ: "
                    f"{M[i, j]} vs {M[j, i]}"
                )
    return M


def require_antisymmetric(A: Any, name: str = "A") -> sp.Matrix:
    """``A`` as a square antisymmetric Matrix (``A^T = -A``), or a project error.

    Parameters
    ----------
    A : Any
        The candidate :math:`A`.
    name : str
        Shown in the error.

    Returns
    -------
    sympy.Matrix
        ``A``.

    Raises
    ------
    InputError, ShapeError
        Unless square with ``A.T == -A``.

    Examples
    --------
    >>> require_antisymmetric([[0, 1], [-1, 0]])[0, 1]
    1
    """
    A = as_matrix(A, name)
    if A.rows != A.cols:
        raise ShapeError(f"{name} must be square, got {A.rows}x{A.cols}")
    for i in range(A.rows):
        for j in range(i, A.cols):
            if not _is_zero(A[i, j] + A[j, i]):
                raise InputError(
                    f"{name} must be antisymmetric; A[{i},{j}] + A[{j},{i}] = {sp.simplify(A[i, j] + A[j, i])} != 0"
                )
    return A


def gradient_flow_rhs(M: Any, e: Any, eta: Any = 1) -> sp.Matrix:
    r"""Right-hand side of the error flow :math:`\dot e = -\eta M e` (docs/theory/microscopic.md).

    Parameters
    ----------
    M : Any
        The symmetric operator :math:`M = J J^T`.
    e : Any
        The error, a column.
    eta : Any
        The learning rate (exact, positive).

    Returns
    -------
    sympy.Matrix
        :math:`\dot e` (GRSD-T1).

    Raises
    ------
    ShapeError, InputError, NotSymmetricError
        On bad shapes, a float or non-positive ``eta``, a non-symmetric ``M``.

    Examples
    --------
    >>> gradient_flow_rhs([[2, 1], [1, 2]], [1, 0], eta=2).T
    Matrix([[-4, -2]])
    """
    M = require_symmetric(M)
    e = as_matrix(e, "e")
    if e.shape != (M.rows, 1):
        raise ShapeError(f"e must be a column of length {M.rows}, got shape {e.shape}")
    eta = sp.sympify(eta, strict=True)
    if isinstance(eta, sp.Float):
        raise InputError("eta must be exact (sympy.Rational or a symbol), not a float")
    if eta.is_positive is False:
        raise InputError(f"the learning rate eta must be positive, got {eta}")
    return -eta * M * e


def loss(e: Any) -> sp.Basic:
    r"""The loss :math:`L = \tfrac12 e^T e`.

    Parameters
    ----------
    e : Any
        The error, a column.

    Returns
    -------
    sympy.Basic
        :math:`L`.

    Raises
    ------
    ShapeError
        If ``e`` is not a column.

    Examples
    --------
    >>> loss([3, 4])
    25/2
    """
    e = as_matrix(e, "e")
    if e.cols != 1:
        raise ShapeError(f"e must be a column vector, got shape {e.shape}")
    return sp.Rational(1, 2) * (e.T * e)[0, 0]


def plane_rotation(n: int, i: int, j: int, phi: Any) -> sp.Matrix:
    r"""Rotation by ``phi`` in the ``(i, j)`` coordinate plane of :math:`\mathbb{R}^n`.

    Parameters
    ----------
    n : int
        Dimension.
    i, j : int
        Distinct axes.
    phi : Any
        The angle.

    Returns
    -------
    sympy.Matrix
        The rotation.

    Raises
    ------
    InputError
        If ``(i, j)`` is not a pair of distinct axes.

    Examples
    --------
    >>> import sympy as sp
    >>> plane_rotation(2, 0, 1, sp.pi / 2)
    Matrix([
    [0, -1],
    [1,  0]])
    """
    if not (0 <= i < n and 0 <= j < n and i != j):
        raise InputError(f"plane ({i}, {j}) is not a pair of distinct axes of R^{n}")
    R = sp.eye(n)
    R[i, i] = R[j, j] = sp.cos(phi)
    R[i, j] = -sp.sin(phi)
    R[j, i] = sp.sin(phi)
    return R


def antisymmetric_generator_3(w: Sequence) -> sp.Matrix:
    r"""The general antisymmetric :math:`3\times3` matrix :math:`[w]_\times` of ``w = (w1, w2, w3)``.

    Parameters
    ----------
    w : sequence
        Three components.

    Returns
    -------
    sympy.Matrix
        :math:`[w]_\times` (:math:`[w]_\times v = w \times v`).

    Raises
    ------
    ShapeError
        If ``len(w) != 3``.

    Examples
    --------
    >>> antisymmetric_generator_3([1, 2, 3]) * __import__("sympy").Matrix([1, 0, 0])
    Matrix([
    [ 0],
    [ 3],
    [-2]])
    """
    if len(w) != 3:
        raise ShapeError(f"a 3x3 antisymmetric generator needs 3 components, got {len(w)}")
    w1, w2, w3 = w
    return sp.Matrix([[0, -w3, w2], [w3, 0, -w1], [-w2, w1, 0]])


def cayley_rotation(W: Any) -> tuple[sp.Matrix, sp.Basic]:
    r"""Cayley transform :math:`U = (I - W)^{-1}(I + W)` of an antisymmetric ``W``.

    Returns ``(Q, delta)`` with :math:`U = Q/\delta`, ``Q`` polynomial (adjugate form) and
    :math:`\delta = \det(I - W) > 0`.  Every rotation without eigenvalue :math:`-1` arises.

    Parameters
    ----------
    W : Any
        An antisymmetric matrix.

    Returns
    -------
    tuple of (sympy.Matrix, sympy.Basic)
        ``(Q, delta)``.

    Raises
    ------
    InputError, ShapeError
        If ``W`` is not antisymmetric.

    Examples
    --------
    >>> import sympy as sp
    >>> Q, delta = cayley_rotation([[0, -1], [1, 0]])
    >>> (Q / delta).T * (Q / delta) == sp.eye(2), delta
    (True, 2)
    """
    W = require_antisymmetric(W, "W")
    n = W.rows
    I = sp.eye(n)
    Q = ((I - W).adjugate() * (I + W)).applyfunc(sp.expand)
    delta = sp.expand((I - W).det())
    return Q, delta


def spectral_operator(U: Any, eigenvalues: Sequence) -> sp.Matrix:
    r""":math:`M = U \Lambda U^T` from an orthogonal ``U`` and eigenvalues :math:`\lambda_k`.

    Parameters
    ----------
    U : Any
        An orthogonal matrix (eigenvectors as columns).
    eigenvalues : sequence
        One per column.

    Returns
    -------
    sympy.Matrix
        :math:`M` (GRSD-T2).

    Raises
    ------
    ShapeError
        If ``U`` is not square with one eigenvalue per column.

    Examples
    --------
    >>> import sympy as sp
    >>> spectral_operator(sp.eye(2), [1, 3])
    Matrix([
    [1, 0],
    [0, 3]])
    """
    U = as_matrix(U, "U")
    lam = list(eigenvalues)
    if U.rows != U.cols or len(lam) != U.cols:
        raise ShapeError(f"U must be square with one eigenvalue per column; got U {U.shape}, {len(lam)} eigenvalues")
    return U * sp.diag(*lam) * U.T
