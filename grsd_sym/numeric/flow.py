r"""Simulators of the microscopic dynamics that do not use the theory (GRSD sections 1-2).

(a) :func:`integrate_flow`: the error flow :math:`\dot e = -M(t)\,e` for a user-given callable
:math:`M(t)` (symmetric PSD), by

* ``"magnus4"`` (default): the commutator-free Magnus integrator of order 4 (Blanes-Moan),
  with Gauss nodes :math:`c_{1,2} = \tfrac12\mp\tfrac{\sqrt3}{6}`,

  .. math:: e_{n+1} = e^{-h(\alpha_2M_1+\alpha_1M_2)}\,e^{-h(\alpha_1M_1+\alpha_2M_2)}\,e_n,
            \qquad \alpha_{1,2} = \tfrac14\pm\tfrac{\sqrt3}{6};

* ``"magnus2"``: the exponential midpoint rule :math:`e_{n+1} = e^{-hM(t_n+h/2)}e_n` (order 2);
* ``"rk4"``: classical Runge-Kutta (explicit; a step with :math:`h\|M\|_\infty > 2.7` is refused).

The matrix exponentials act on the vector only (:func:`expm_sym_apply`: Lanczos with full
reorthogonalization and an a-posteriori error estimate, dense ``eigh`` for small n): no n x n
exponential is ever formed.

(b) :func:`integrate_modes`: the Kato mode equations (GRSD-T3)
:math:`\dot a_k = -\lambda_k a_k + \sum_j A_{kj}a_j` for a given path of eigenvalues and Kato
coefficients (e.g. :func:`kato_mode_path` from eigenpairs and :math:`\dot M`), by RK4.

Both keep the dissipation book (GRSD-T6: :math:`\dot L = -e^TMe`):
``dissipated[i]`` :math:`= \int_{t_0}^{t_i} e^TM e\,dt` by Simpson's rule on each step with the
cubic-Hermite midpoint (order 4), so :math:`L(t_i) - L(t_0) + \mathrm{dissipated}[i]` is the
energy-balance defect (``FlowResult.balance_defect``), zero up to the integration error.
The book is a polynomial quadrature: it is accurate when :math:`h\lambda_{\max}\lesssim 1`; with
the large stable steps the exponential methods allow on stiff problems (:math:`h\lambda_{\max}\gg1`)
the *flow* stays accurate but the book's defect then measures its own quadrature error.

>>> res = integrate_flow(lambda t: np.diag([1.0, 2.0]), [1.0, 1.0], [0.0, 1.0], max_step=0.1)
>>> np.allclose(res.errors[-1], np.exp([-1.0, -2.0]))
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, NegativeEigenvalueError, NonFiniteError, ShapeError
from grsd_sym.numeric.spectra import DEFAULT_SYM_RTOL, validate_finite, validate_symmetric, validate_time_grid
from grsd_sym.numeric.transfer import kato_coefficients, projected_derivative

__all__ = [
    "expm_sym_apply",
    "FlowResult",
    "integrate_flow",
    "integrate_modes",
    "kato_mode_path",
    "FLOW_METHODS",
]

#: method name -> order of accuracy
FLOW_METHODS = {"magnus4": 4, "magnus2": 2, "rk4": 4}

_SQ3 = math.sqrt(3.0)
_C1, _C2 = 0.5 - _SQ3 / 6.0, 0.5 + _SQ3 / 6.0
_A1, _A2 = 0.25 + _SQ3 / 6.0, 0.25 - _SQ3 / 6.0
_RK4_STABLE = 2.7


def expm_sym_apply(
    S: np.ndarray,
    v: ArrayLike,
    tau: float,
    *,
    tol: float = 1e-13,
    m_max: int = 60,
    dense_below: int = 40,
    _depth: int = 0,
) -> np.ndarray:
    r""":math:`\exp(-\tau S)\,v` for a symmetric ``S`` without forming the exponential.

    n <= ``dense_below``: ``eigh`` of S.  Otherwise Lanczos: :math:`v = \beta V_m e_1`,
    :math:`\exp(-\tau S)v \approx \beta V_m\exp(-\tau T_m)e_1` with the a-posteriori estimate
    :math:`\beta\,\beta_m|e_m^T\exp(-\tau T_m)e_1| \le \mathrm{tol}\,\beta`; if ``m_max`` steps do
    not suffice, :math:`\tau` is halved (two half steps).  Memory O(m n).

    Parameters
    ----------
    S : numpy.ndarray
        Symmetric (n, n) matrix (any object with ``@``).
    v : array_like
        Vector (n,).
    tau : float
        Time step.
    tol : float
        Lanczos error target, relative to :math:`\|v\|`.
    m_max : int
        Largest Krylov dimension.
    dense_below : int
        Dense ``eigh`` up to this size.

    Returns
    -------
    numpy.ndarray
        :math:`\exp(-\tau S)v`.

    Raises
    ------
    NonFiniteError
        Non-finite ``v``, ``tau`` or result.
    InputError
        No convergence.

    Examples
    --------
    >>> S = np.diag(np.arange(100.0)); v = np.ones(100)
    >>> np.allclose(expm_sym_apply(S, v, 0.1), np.exp(-0.1 * np.arange(100.0)), atol=1e-12)
    True
    """
    v = np.asarray(v, dtype=float)
    if _depth == 0:
        if not (np.isfinite(v).all() and math.isfinite(tau)):
            raise NonFiniteError("expm_sym_apply: v or tau contains NaN or infinity; they must be finite")
        out = _expm_sym_apply(S, v, tau, tol=tol, m_max=m_max, dense_below=dense_below)
        if not np.isfinite(out).all():  # NaN/inf in S propagate (O(n) check, S itself is not scanned)
            raise NonFiniteError(
                "expm_sym_apply: non-finite result; S must be finite (and symmetric), "
                "tau * lambda_min(S) must not overflow exp"
            )
        return out
    return _expm_sym_apply(S, v, tau, tol=tol, m_max=m_max, dense_below=dense_below, _depth=_depth)


def _expm_sym_apply(S, v, tau: float, *, tol: float, m_max: int, dense_below: int, _depth: int = 0) -> np.ndarray:
    n = v.size
    if n <= dense_below:
        try:
            lam, U = np.linalg.eigh(S)
        except np.linalg.LinAlgError:
            raise NonFiniteError("expm_sym_apply: eigh of S failed (S contains NaN or infinity?)") from None
        return U @ (np.exp(-tau * lam) * (U.T @ v))
    beta0 = float(np.linalg.norm(v))
    if beta0 == 0.0:
        return np.zeros_like(v)
    m_max = min(m_max, n)
    V = np.empty((m_max + 1, n))
    V[0] = v / beta0
    alpha = np.zeros(m_max)
    beta = np.zeros(m_max)
    for j in range(m_max):
        w = S @ V[j]
        alpha[j] = V[j] @ w
        w -= alpha[j] * V[j]
        if j:
            w -= beta[j - 1] * V[j - 1]
        w -= V[: j + 1].T @ (V[: j + 1] @ w)  # full reorthogonalization
        b = float(np.linalg.norm(w))
        if not math.isfinite(b):
            raise NonFiniteError("expm_sym_apply: S v is not finite (S contains NaN or infinity?)")
        beta[j] = b
        m = j + 1
        if m % 4 == 0 or b <= 1e-14 * abs(alpha[j]) or m == m_max:
            T = np.diag(alpha[:m]) + np.diag(beta[: m - 1], 1) + np.diag(beta[: m - 1], -1)
            try:
                th, Q = np.linalg.eigh(T)
            except np.linalg.LinAlgError:
                raise NonFiniteError(
                    "expm_sym_apply: Lanczos produced a non-finite tridiagonal (S contains NaN or infinity?)"
                ) from None
            y = Q @ (np.exp(-tau * th) * Q[0])
            if b * abs(y[-1]) <= tol or b <= 1e-14 * max(abs(alpha[j]), 1e-300):
                return beta0 * (V[:m].T @ y)
            if m == m_max:
                break
        V[j + 1] = w / b
    if _depth > 30:
        raise InputError("expm_sym_apply: Lanczos did not converge (is S finite and symmetric?)")
    half = _expm_sym_apply(S, v, tau / 2, tol=tol / 2, m_max=m_max, dense_below=dense_below, _depth=_depth + 1)
    return _expm_sym_apply(S, half, tau / 2, tol=tol / 2, m_max=m_max, dense_below=dense_below, _depth=_depth + 1)


@dataclass(frozen=True)
class FlowResult:
    r"""Output of :func:`integrate_flow` / :func:`integrate_modes` at the requested times.

    ``errors[i]`` is :math:`e(t_i)` (or the amplitudes :math:`a(t_i)`), ``loss[i]``
    :math:`=\tfrac12\|e(t_i)\|^2`, ``dissipated[i]`` :math:`=\int_{t_0}^{t_i}e^TMe\,dt` (NaN-free;
    zeros if the book was switched off), ``steps`` the number of steps taken, ``method`` and
    ``order``.

    Attributes
    ----------
    times : numpy.ndarray
        Output times.
    errors : numpy.ndarray
        States at those times (T, n).
    loss : numpy.ndarray
        :math:`\tfrac12\|e\|^2`.
    dissipated : numpy.ndarray
        Cumulative dissipation.
    steps : int
        Steps taken.
    method : str
        Integrator.
    order : int
        Its order.
    dissipation_tracked : bool
        Whether ``dissipated`` was booked.

    Examples
    --------
    >>> r = integrate_flow(np.eye(1), [1.0], [0.0, 1.0], steps=50)
    >>> r.method, r.order, round(float(r.loss[-1] + r.dissipated[-1]), 8)
    ('magnus4', 4, 0.5)
    """

    times: np.ndarray
    errors: np.ndarray
    loss: np.ndarray
    dissipated: np.ndarray
    steps: int
    method: str
    order: int
    dissipation_tracked: bool

    @property
    def balance_defect(self) -> np.ndarray:
        r""":math:`L(t_i) - L(t_0) + \int_{t_0}^{t_i}e^TMe\,dt` (zero for the exact flow)."""
        if not self.dissipation_tracked:
            raise InputError("the dissipation book was switched off (dissipation=False)")
        return self.loss - self.loss[0] + self.dissipated


def _kernel(M, n: int, sym_rtol: float, validate: bool) -> Callable[[float], np.ndarray]:
    if callable(M):

        def f(t):
            A = M(t)
            if validate:
                A = validate_symmetric(A, sym_rtol=sym_rtol, name=f"M({t:.6g})")
            else:
                A = np.asarray(A, dtype=float)
            if A.shape != (n, n):
                raise ShapeError(f"M({t:.6g}) has shape {A.shape}, expected ({n}, {n}) to match e0")
            return A

        return f
    A = validate_symmetric(M, sym_rtol=sym_rtol)
    if A.shape != (n, n):
        raise ShapeError(f"M has shape {A.shape}, expected ({n}, {n}) to match e0")
    return lambda t: A


def _check_psd(A: np.ndarray, t: float) -> None:
    r"""Raise :class:`NegativeEigenvalueError` if :math:`\lambda_{\min}(M(t)) < -\mathrm{tol}`.

    ``tol`` :math:`= 64\,n\,\epsilon\,\|M\|_\infty` (the default of
    :func:`~grsd_sym.numeric.spectra.default_psd_tol`, with the row-sum bound of
    :math:`\lambda_{\max}`); one Cholesky factorisation of :math:`M + \mathrm{tol}\,I`
    (:math:`n^3/3` flops), the eigenvalues only when it fails.
    """
    n = A.shape[0]
    if n == 0:
        return
    scale = float(np.max(np.abs(A).sum(axis=1)))
    tol = 64.0 * n * float(np.finfo(float).eps) * scale
    try:
        np.linalg.cholesky(A + (tol if tol > 0 else 1e-300) * np.eye(n))
    except np.linalg.LinAlgError:
        lmin = float(np.linalg.eigvalsh(A)[0])
        if lmin < -tol:
            raise NegativeEigenvalueError(
                f"M({t:.6g}): eigenvalue {lmin:.6e} is below -psd_tol = {-tol:.3e}; M = J J^T must be "
                f"positive semidefinite (checked at every output time when validate=True)"
            ) from None


def _substeps(times: np.ndarray, max_step: float | None, steps: int | None) -> list[int]:
    dts = np.diff(times)
    if steps is not None:
        if int(steps) < 1:
            raise InputError(f"steps must be >= 1, got {steps!r}")
        return [int(steps)] * dts.size
    if max_step is None:
        max_step = (times[-1] - times[0]) / 200.0 if times.size > 1 else 1.0
    if not (math.isfinite(max_step) and max_step > 0):
        raise InputError(f"max_step must be finite and > 0, got {max_step!r}")
    return [max(1, math.ceil(dt / max_step - 1e-12)) for dt in dts]


def _simpson_hermite(h, e0, Me0, e1, Me1, M_mid) -> float:
    """Simpson's rule for e^T M e on a step with the cubic-Hermite midpoint of e (order 4)."""
    e_mid = 0.5 * (e0 + e1) + (h / 8.0) * (Me1 - Me0)  # f = -M e
    q0, q1 = float(e0 @ Me0), float(e1 @ Me1)
    qm = float(e_mid @ (M_mid @ e_mid))
    return h / 6.0 * (q0 + 4.0 * qm + q1)


def integrate_flow(
    M: Callable[[float], np.ndarray] | ArrayLike,
    e0: ArrayLike,
    times: ArrayLike,
    *,
    method: str = "magnus4",
    max_step: float | None = None,
    steps: int | None = None,
    dissipation: bool = True,
    krylov_tol: float = 1e-13,
    sym_rtol: float = DEFAULT_SYM_RTOL,
    validate: bool = True,
) -> FlowResult:
    r"""Integrate :math:`\dot e = -M(t)e` from ``e0`` at ``times[0]``, output at every ``times[i]``.

    ``M`` is a callable ``t -> (n, n)`` array (checked finite and symmetric at every call when
    ``validate``, and positive semidefinite to ``64 n eps ||M||_inf`` at ``times[0]`` and every
    output time: :class:`NegativeEigenvalueError`) or a constant matrix.  Each output interval is split into equal steps of at most
    ``max_step`` (default: 1/200 of the horizon), or exactly ``steps`` steps.  ``method``: one of
    :data:`FLOW_METHODS` (module docstring).

    Parameters
    ----------
    M : callable or array_like
        ``t -> M(t)`` or a constant symmetric PSD matrix.
    e0 : array_like
        Initial error (n,).
    times : array_like
        Increasing output times; ``times[0]`` is the start.
    method : str
        A key of :data:`FLOW_METHODS`.
    max_step : float, optional
        Largest step.
    steps : int, optional
        Steps per output interval.
    dissipation : bool
        Book :math:`\int e^TMe\,dt`.
    krylov_tol : float
        Tolerance of :func:`expm_sym_apply`.
    sym_rtol : float
        Symmetry tolerance.
    validate : bool
        Check ``M`` along the way.

    Returns
    -------
    FlowResult

    Raises
    ------
    InputError
        Unknown method or an unstable rk4 step.
    ShapeError, NotSymmetricError, NegativeEigenvalueError
        Invalid ``e0`` or ``M``.

    Examples
    --------
    >>> r = integrate_flow(np.diag([0.0, 1.0]), [1.0, 1.0], [0.0, 2.0], method="rk4", max_step=0.01)
    >>> bool(abs(r.balance_defect[-1]) < 1e-10), r.steps
    (True, 200)

    References
    ----------
    GRSD-T1 (the gradient flow).
    """
    if method not in FLOW_METHODS:
        raise InputError(f"method must be one of {sorted(FLOW_METHODS)}, got {method!r}")
    e = validate_finite(e0, "e0").copy()
    if e.ndim != 1:
        raise ShapeError(f"e0 must be a vector, got shape {e.shape}")
    n = e.size
    t = validate_time_grid(times, min_length=1)
    Mf = _kernel(M, n, sym_rtol, validate)
    subs = _substeps(t, max_step, steps)
    out = np.empty((t.size, n))
    out[0] = e
    diss = np.zeros(t.size)
    acc = []  # dissipation increments, summed with fsum
    M_left = Mf(t[0]) if (dissipation or method == "rk4") else None
    if validate:  # PSD at the start and at every output time (symmetry is checked at every call)
        _check_psd(M_left if M_left is not None else Mf(t[0]), float(t[0]))
    total = 0
    for i, nsub in enumerate(subs):
        h = (t[i + 1] - t[i]) / nsub
        for k in range(nsub):
            tn = t[i] + k * h
            M_right = None
            M_mid: np.ndarray | None
            if method == "magnus2":
                M_mid = Mf(tn + 0.5 * h)
                e_new = expm_sym_apply(M_mid, e, h, tol=krylov_tol)
            elif method == "magnus4":
                M1, M2 = Mf(tn + _C1 * h), Mf(tn + _C2 * h)
                Sa = _A1 * M1 + _A2 * M2
                Sb = _A2 * M1 + _A1 * M2
                e_new = expm_sym_apply(Sb, expm_sym_apply(Sa, e, h, tol=krylov_tol), h, tol=krylov_tol)
                M_mid = Mf(tn + 0.5 * h) if dissipation else None
            else:  # rk4
                M_mid = Mf(tn + 0.5 * h)
                M_right = Mf(tn + h)
                bound = float(np.max(np.abs(M_mid).sum(axis=1)))
                if h * bound > _RK4_STABLE:
                    raise InputError(
                        f"rk4: step h = {h:.3g} times ||M||_inf = {bound:.3g} exceeds the "
                        f"stability limit {_RK4_STABLE}; use a smaller max_step or an "
                        "exponential method ('magnus4', 'magnus2')"
                    )
                k1 = -(M_left @ e)
                k2 = -(M_mid @ (e + 0.5 * h * k1))
                k3 = -(M_mid @ (e + 0.5 * h * k2))
                k4 = -(M_right @ (e + h * k3))
                e_new = e + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
            if dissipation:
                if M_right is None:
                    M_right = Mf(tn + h)
                acc.append(_simpson_hermite(h, e, M_left @ e, e_new, M_right @ e_new, M_mid))
            if M_right is not None:
                M_left = M_right
            e = e_new
            total += 1
        if validate:
            _check_psd(M_left if M_left is not None else Mf(t[i + 1]), float(t[i + 1]))
        out[i + 1] = e
        diss[i + 1] = math.fsum(acc)
    loss = 0.5 * np.einsum("ij,ij->i", out, out)
    return FlowResult(t, out, loss, diss, total, method, FLOW_METHODS[method], bool(dissipation))


def kato_mode_path(
    eigenpairs: Callable[[float], tuple[np.ndarray, np.ndarray]],
    dM: Callable[[float], np.ndarray],
    *,
    gap_tol: float | None = None,
) -> Callable[[float], tuple[np.ndarray, np.ndarray]]:
    r"""Path ``t -> (lambda(t), A(t))`` with :math:`A_{kj} = u_j^T\dot Mu_k/(\lambda_k-\lambda_j)` (GRSD-T2/T3).

    ``eigenpairs(t)`` must return a *smooth* labelling ``(lambda, U)`` (continuous in t, the
    parallel-transport gauge :math:`u_k^T\dot u_k = 0`, e.g. a tracked trajectory or
    :meth:`~grsd_sym.numeric.synthetic.SyntheticSystem.eigenpairs`), ``dM(t)`` the derivative of
    the kernel.

    Parameters
    ----------
    eigenpairs : callable
        ``t -> (lambda, U)``, smoothly labelled.
    dM : callable
        ``t -> dM/dt``.
    gap_tol : float, optional
        For :func:`kato_coefficients`.

    Returns
    -------
    callable
        ``t -> (lambda, A)`` for :func:`integrate_modes`.

    Examples
    --------
    >>> path = kato_mode_path(lambda t: (np.array([1.0, 3.0]), np.eye(2)), lambda t: np.array([[0.0, 2.0], [2.0, 0.0]]))
    >>> path(0.0)[1].tolist()
    [[0.0, -1.0], [1.0, 0.0]]
    """

    def path(t):
        lam, U = eigenpairs(t)
        return np.asarray(lam, dtype=float), kato_coefficients(lam, projected_derivative(U, dM(t)), gap_tol=gap_tol)

    return path


def integrate_modes(
    path: Callable[[float], tuple[np.ndarray, np.ndarray]],
    a0: ArrayLike,
    times: ArrayLike,
    *,
    max_step: float | None = None,
    steps: int | None = None,
    dissipation: bool = True,
) -> FlowResult:
    r"""Integrate the Kato mode equations :math:`\dot a = (-\Lambda(t) + A(t))\,a` (GRSD-T3) by RK4.

    ``path(t)`` returns ``(lambda (m,), A (m, m))`` (:func:`kato_mode_path`); the dissipation book
    uses :math:`\sum_k\lambda_ka_k^2` (:math:`= e^TMe` for a complete basis).  A step with
    :math:`h\max_k(|\lambda_k| + \sum_j|A_{kj}|) > 2.7` is refused (:class:`InputError`).

    Parameters
    ----------
    path : callable
        ``t -> (lambda, A)``.
    a0 : array_like
        Initial amplitudes (m,).
    times : array_like
        Output times.
    max_step, steps
        Step control as in :func:`integrate_flow`.
    dissipation : bool
        Book the dissipation.

    Returns
    -------
    FlowResult
        Amplitudes in ``errors``.

    Raises
    ------
    InputError
        An unstable step.
    ShapeError
        ``path`` of the wrong shapes.

    Examples
    --------
    >>> path = lambda t: (np.array([1.0, 2.0]), np.zeros((2, 2)))
    >>> r = integrate_modes(path, [1.0, 1.0], [0.0, 1.0], max_step=0.01)
    >>> np.allclose(r.errors[-1], np.exp([-1.0, -2.0]))
    True

    References
    ----------
    GRSD-T3.
    """
    a = validate_finite(a0, "a0").copy()
    if a.ndim != 1:
        raise ShapeError(f"a0 must be a vector, got shape {a.shape}")
    m = a.size
    t = validate_time_grid(times, min_length=1)
    subs = _substeps(t, max_step, steps)

    def gen(tau):
        lam, A = path(tau)
        lam = validate_finite(lam, f"lambda({tau:.6g})")
        A = validate_finite(A, f"A({tau:.6g})")
        if lam.shape != (m,) or A.shape != (m, m):
            raise ShapeError(f"path({tau:.6g}) gave lambda {lam.shape}, A {A.shape}; expected ({m},), ({m},{m})")
        return lam, A

    out = np.empty((t.size, m))
    out[0] = a
    diss = np.zeros(t.size)
    acc = []
    left = gen(t[0])
    total = 0
    for i, nsub in enumerate(subs):
        h = (t[i + 1] - t[i]) / nsub
        for k in range(nsub):
            tn = t[i] + k * h
            mid, right = gen(tn + 0.5 * h), gen(tn + h)
            bound = float(np.max(np.abs(mid[0]) + np.abs(mid[1]).sum(axis=1)))
            if h * bound > _RK4_STABLE:
                raise InputError(
                    f"integrate_modes: step h = {h:.3g} times the rate bound {bound:.3g} "
                    f"exceeds the RK4 stability limit {_RK4_STABLE}; use a smaller max_step"
                )

            def f(g, x):
                return -g[0] * x + g[1] @ x

            k1 = f(left, a)
            k2 = f(mid, a + 0.5 * h * k1)
            k3 = f(mid, a + 0.5 * h * k2)
            k4 = f(right, a + h * k3)
            a_new = a + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
            if dissipation:
                # Simpson with the Hermite midpoint of a (derivatives f(left, a), f(right, a_new))
                fa, fb = f(left, a), f(right, a_new)
                a_mid = 0.5 * (a + a_new) + (h / 8.0) * (fa - fb)
                q0 = float(left[0] @ (a * a))
                q1 = float(right[0] @ (a_new * a_new))
                qm = float(mid[0] @ (a_mid * a_mid))
                acc.append(h / 6.0 * (q0 + 4 * qm + q1))
            a = a_new
            left = right
            total += 1
        out[i + 1] = a
        diss[i + 1] = math.fsum(acc)
    loss = 0.5 * np.einsum("ij,ij->i", out, out)
    return FlowResult(t, out, loss, diss, total, "kato-rk4", 4, bool(dissipation))
