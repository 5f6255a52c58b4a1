r"""Finite-volume solver of the GRSD transport PDE on the log-spectral grid, and its exact oracle.

The PDE (GRSD-T7, log coordinates :math:`s = \log\lambda`, no source):

.. math::

    \partial_t \epsilon + \partial_s (V \epsilon) = -d\, e^{s} \epsilon, \qquad
    V = \frac{v}{\lambda} = \sigma\, c(t)\, \lambda^{b-1}, \qquad
    c(t) = c_0 \ \text{('const')} \quad\text{or}\quad c(t) = c_0\, t^{b-2}\ \text{('self-similar')},

from :math:`\epsilon(s, 0) = \lambda\, g_0(\lambda) = \lambda^\kappa` on :math:`(0, \lambda_{max}]`
(:math:`g_0 = \lambda^{\kappa-1}`).  The loss is :math:`L(t) = \int g\, d\lambda = \int \epsilon\, ds`.

The exact solution by characteristics (GRSD-T14) and the exact loss live in
:mod:`grsd_sym.derive.frontier` (the characteristic, lowered to a kernel) and
:func:`grsd_sym.derive.loss_quadrature.exact_loss`; the parameters are one
:class:`~grsd_sym.params.TransportParams`, of which :class:`TransportProblem` is the float view.

**Scheme** (:func:`simulate_transport`).  Cells of width :math:`h` in :math:`s`; cell masses
:math:`m_i` (= shell energies, GRSD-T4).  Each step :math:`[t, t+\Delta t]` is a Strang
splitting: exact dissipation over :math:`\Delta t/2`, :math:`m_i \leftarrow m_i
e^{-d\bar\lambda_i\Delta t/2}` with :math:`\bar\lambda_i = (e^{s_{i+1}} - e^{s_i})/h` the
cell-average of :math:`\lambda` (exact dissipation *rate* of a uniform cell), then the transport,
then dissipation again.  The transport is the *flux-form semi-Lagrangian* finite-volume update

.. math::  m_i^{+} = m_i + F_i - F_{i+1}, \qquad
           F_j = \int_{s_j^{dep}}^{s_j} \epsilon(s)\, ds ,

:math:`F_j` the mass swept through face :math:`s_j` in the step, :math:`s_j^{dep}` the exact
departure point of the characteristic through :math:`s_j` (upwind by construction), with a
piecewise-linear reconstruction of :math:`\epsilon` limited by the monotonized-central (MC)
limiter (second order in smooth regions; ``'constant'`` gives first-order donor cell).  The
limited reconstruction is non-negative, so every new mass is an integral of a non-negative
function over an interval: **positivity holds**; the update telescopes: **mass is conserved**
up to the fluxes through the two ends of the grid, which are booked (bottom: a reservoir at
:math:`\lambda < \lambda_{min}` whose dissipation :math:`\le d\lambda_{min} t` is neglected;
top: "learned" mass for :math:`\sigma = +1`).

*CFL condition.*  An explicit donor-cell step needs the Courant number
:math:`\max_j |V(s_j, t)|\Delta t / h \le 1`; with :math:`|V| = c(t)e^{(b-1)s}` this forces
:math:`\Delta t \propto t^{2-b}`-small steps at the top of the grid for :math:`b > 2`.  The
flux-form semi-Lagrangian update integrates over the exact departure interval, possibly
spanning many cells, so it is stable for *any* Courant number (the update is a monotone remap
because characteristics do not cross); :math:`\Delta t` is limited only for accuracy:
:math:`\Delta t = r\,\max(t, t_{floor})` (default :math:`r = 0.1`), self-similar steps, so a
horizon :math:`t = 10^8` costs a few hundred steps, shortened where the split dissipation would
err: :math:`d\,\Delta t\,|\lambda(s^{dep}) - \lambda(s)| \le` ``max_shift`` on live faces (binds
e.g. for constant ``c`` with ``b <= 1``, ``sigma = +1``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, NonFiniteError
from grsd_sym.params import C_FORMS, TransportParams, time_grid

__all__ = [
    "TransportProblem",
    "TransportSolution",
    "simulate_transport",
    "expected_loss_exponent",
    "observed_order",
    "C_FORMS",
]


def _finite(name: str, value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(x):
        raise NonFiniteError(f"{name} must be finite, got {value!r}")
    return x


class TransportProblem:
    r"""The float view of one :class:`~grsd_sym.params.TransportParams`, for the solver.

    ``TransportProblem(b, c0, kappa, d=2, sigma=-1, c_form="self-similar", lambda_max=1)``
    builds (and so validates) the exact parameters once; ``TransportProblem(params=P)`` wraps
    given ones.  The attributes ``b, c0, kappa, d, lambda_max`` are floats, ``params`` the exact
    object.

    Examples
    --------

    Parameters
    ----------
    b, c0, kappa, d, sigma, c_form, lambda_max
        As in :class:`~grsd_sym.params.TransportParams`.
    params : TransportParams, optional
        Ready exact parameters (then the others are not read).

    Raises
    ------
    InputError, NonFiniteError, RegionError
        Invalid parameters.

    Examples
    --------
    >>> P = TransportProblem(b=3, c0=4, kappa=1)
    >>> P.b, P.frontier_constant, P.params.xi_star
    (3.0, 0.5, 1/2)

    References
    ----------
    GRSD-T7.
    """

    __slots__ = ("b", "c0", "c_form", "d", "kappa", "lambda_max", "params", "sigma")
    b: float
    c0: float
    kappa: float
    d: float
    sigma: int
    c_form: str
    lambda_max: float
    params: TransportParams

    def __init__(
        self,
        b: Any = None,
        c0: Any = None,
        kappa: Any = None,
        d: Any = 2,
        sigma: int = -1,
        c_form: str = "self-similar",
        lambda_max: Any = 1,
        *,
        params: TransportParams | None = None,
    ) -> None:
        if params is None:
            params = TransportParams(b, c0, kappa, d, sigma, c_form, lambda_max)
        elif not isinstance(params, TransportParams):
            raise InputError("params must be a TransportParams")
        object.__setattr__(self, "params", params)
        for name, value in params.floats().items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TransportProblem is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TransportProblem) and other.params == self.params

    def __hash__(self) -> int:
        return hash(self.params)

    def __repr__(self) -> str:
        return f"TransportProblem({self.params!r})"

    @property
    def p(self) -> float:
        """``b - 1``."""
        return self.b - 1.0

    @property
    def lazy(self) -> bool:
        """No transport (``c0 = 0``)."""
        return self.params.lazy

    @property
    def frontier_constant(self) -> float | None:
        r""":math:`\xi^* = c_0^{-1/(b-1)}` as a float (``inf`` lazy; ``None``: no frontier)."""
        if self.lazy:
            return math.inf
        if not (self.c_form == "self-similar" or self.b == 2.0):
            return None
        from grsd_sym.derive.frontier import frontier_constant_kernel

        kern = frontier_constant_kernel().numpy_function((True, True))
        with np.errstate(over="ignore"):  # e.g. c0 = 1e-3, b = 1.0001: beyond every float -> inf
            return float(kern(np.float64(self.b), np.float64(self.c0)))

    def c(self, t: Any) -> np.ndarray:
        """The amplitude ``c(t)`` of the velocity."""
        t = np.asarray(t, dtype=float)
        if self.c_form == "const" or self.lazy:
            return np.full_like(t, self.c0)
        with np.errstate(divide="ignore"):
            return self.c0 * t ** (self.b - 2.0)

    def c_integral(self, t0: float, t1: float) -> float:
        r""":math:`\int_{t_0}^{t_1} c(\tau)\, d\tau` (exact)."""
        if self.lazy:
            return 0.0
        if self.c_form == "const":
            return self.c0 * (t1 - t0)
        p = self.p
        if t0 <= 0.0:
            return self.c0 * t1**p / p
        return self.c0 * t0**p * math.expm1(p * math.log(t1 / t0)) / p

    def departure_faces(self, s: np.ndarray, C: float) -> np.ndarray:
        r"""Departure points of the characteristics through ``s`` after the action ``C`` of ``c``.

        The lowered characteristic (:func:`~grsd_sym.derive.frontier.characteristic_kernel`, ``log=True``)
        run backwards (``-sigma``); ``+inf`` / ``-inf`` where it came from :math:`\lambda = \infty`
        / :math:`\lambda = 0`; :math:`p = 0`: :math:`s - \sigma C`.
        """
        if C == 0.0:
            return np.array(s, dtype=np.float64)
        p = self.p
        if p == 0.0:
            return s - self.sigma * C
        from grsd_sym.derive.frontier import characteristic_kernel

        fn = characteristic_kernel(-self.sigma, log=True).numpy_function((True, True, False))
        with np.errstate(all="ignore"):
            out = np.asarray(fn(self.b, C, np.asarray(s, dtype=float)), dtype=float)
        bad = np.isnan(out)
        if bad.any():
            out[bad] = math.inf if p > 0 else -math.inf
        return out

    def departure(self, s: Any, t_from: float, t_to: float) -> np.ndarray:
        r"""Position at ``t_from`` of the characteristic through ``s`` at ``t_to`` (``t_from <= t_to``)."""
        return self.departure_faces(np.asarray(s, dtype=float), self.c_integral(t_from, t_to))

    def to_dict(self) -> dict[str, Any]:
        """The parameters as floats (JSON-able)."""
        return self.params.floats()


# --------------------------------------------------------------------------------------
# the finite-volume solver
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class TransportSolution:
    r"""Result of :func:`solve_transport`.

    ``t`` output times; ``loss`` :math:`L(t) = \sum_i m_i + m_{res}`; ``shell_energies``
    (``len(t) x cells``, the masses :math:`m_i` of the cells :math:`[s_i, s_{i+1})`);
    ``s_edges``; booked budget terms ``dissipated``, ``reservoir`` (mass below the grid),
    ``outflow_top`` (mass that left through the top: learned, :math:`\sigma = +1`);
    ``initial_mass``; ``steps`` (number of time steps); ``problem``.

    Attributes
    ----------
    t, loss : numpy.ndarray
        Output times and :math:`L(t)`.
    shell_energies : numpy.ndarray or None
        Cell masses (len(t), cells).
    s_edges : numpy.ndarray
        Cell edges in ``s``.
    dissipated, reservoir, outflow_top : numpy.ndarray
        Booked budget terms.
    initial_mass : float
        :math:`L(0)`.
    steps : int
        Time steps taken.
    problem : TransportProblem
        The parameters.
    settings : dict
        The resolved solver settings.

    Examples
    --------
    >>> sol = simulate_transport(TransportProblem(b=3, c0=4, kappa=0.5), [1.0, 1e2, 1e4], store_shells=False)
    >>> sol.shell_energies is None, round(sol.exponent_fit(decades=2), 2)   # GRSD-T16: kappa = 0.5
    (True, 0.49)
    """

    t: np.ndarray
    loss: np.ndarray
    shell_energies: np.ndarray | None
    s_edges: np.ndarray
    dissipated: np.ndarray
    reservoir: np.ndarray
    outflow_top: np.ndarray
    initial_mass: float
    steps: int
    problem: TransportProblem
    settings: dict

    @property
    def budget_residual(self) -> np.ndarray:
        r"""Initial mass minus (grid + reservoir + dissipated + top outflow): zero up to rounding."""
        return self.initial_mass - (self.loss + self.dissipated + self.outflow_top)

    def exponent_fit(self, decades: float = 1.0) -> float:
        """Late-time exponent: :func:`~grsd_sym.derive.loss_quadrature.fit_loss_exponent` over the
        last ``decades`` of ``t``."""
        from grsd_sym.derive.loss_quadrature import fit_loss_exponent

        return fit_loss_exponent(self.t, self.loss, decades=decades)


def _mc_slopes(a: np.ndarray, limiter: str) -> np.ndarray:
    """Limited differences across each cell (zero-gradient ghosts at both ends)."""
    dl = np.empty_like(a)
    dr = np.empty_like(a)
    dl[0] = 0.0
    dl[1:] = a[1:] - a[:-1]
    dr[-1] = 0.0
    dr[:-1] = dl[1:]
    same = dl * dr > 0
    if limiter == "mc":
        mag = np.minimum(np.minimum(2 * np.abs(dl), 2 * np.abs(dr)), 0.5 * np.abs(dl + dr))
    else:  # minmod
        mag = np.minimum(np.abs(dl), np.abs(dr))
    return np.where(same, np.sign(dl) * mag, 0.0)


def simulate_transport(
    problem: TransportProblem | TransportParams,
    t_eval: ArrayLike,
    *,
    h: float = 0.1,
    s_min: float | None = None,
    s_max: float | None = None,
    dt_growth: float = 0.1,
    reconstruction: str = "mc",
    max_shift: float = 0.05,
    store_shells: bool = True,
    progress: Callable[[float, float], None] | None = None,
) -> TransportSolution:
    r"""Solve the transport PDE (module docstring) and return the loss at the times ``t_eval``.

    Parameters
    ----------
    problem : TransportProblem or TransportParams
        The parameters.
    t_eval : array_like
        Increasing output times ``> 0``.
    h : float
        Cell width in ``s``.
    s_min, s_max : float, optional
        Grid range; defaults: the top is :math:`\log\lambda_{max}` (+5 for :math:`\sigma=+1`), the
        bottom :math:`\log(10^{-4}\min(1/(d t_{max}), \xi^*/t_{max}))`, so that the dissipation
        neglected below the grid is :math:`\le 10^{-4}`.
    dt_growth : float
        ``r`` in :math:`\Delta t = r\max(t, t_{floor})`, in (0, 1].
    reconstruction : {"mc", "minmod", "constant"}
        Second order with the MC or minmod limiter, or donor cell.
    max_shift : float
        Accuracy cap on the split dissipation,
        :math:`d\,\Delta t\,|\lambda(s^{dep}_j) - \lambda(s_j)| \le` ``max_shift`` over faces next
        to live cells (mass > 1e-20 of the total); steps are shortened, at most 16-fold, when it binds.
    store_shells : bool
        Keep the cell masses at every output time.
    progress : callable, optional
        ``progress(t, t_max)`` after each output time.

    Returns
    -------
    TransportSolution

    Raises
    ------
    InputError
        A setting out of range or a grid that misses :math:`\log\lambda_{max}`.
    TimeGridError
        Bad output times.

    Examples
    --------
    >>> sol = simulate_transport(TransportProblem(b=2, c0=0, kappa=1), [1.0, 10.0])
    >>> [round(float(x), 3) for x in sol.loss], bool(abs(sol.budget_residual).max() < 1e-12)
    ([0.432, 0.05], True)

    References
    ----------
    GRSD-T7 (the PDE), GRSD-T14 (the departure points).
    """
    P = TransportProblem(params=problem) if isinstance(problem, TransportParams) else problem
    if not isinstance(P, TransportProblem):
        raise InputError("problem must be a TransportProblem or TransportParams")
    ts = time_grid(t_eval)
    h = _finite("h", h)
    dt_growth = _finite("dt_growth", dt_growth)
    max_shift = _finite("max_shift", max_shift)
    if max_shift <= 0:
        raise InputError(f"max_shift must be > 0, got {max_shift}")
    if h <= 0:
        raise InputError(f"cell width h must be > 0, got {h}")
    if not 0 < dt_growth <= 1:
        raise InputError(f"dt_growth must be in (0, 1], got {dt_growth}")
    if reconstruction not in ("mc", "minmod", "constant"):
        raise InputError(f"reconstruction must be 'mc', 'minmod' or 'constant', got {reconstruction!r}")
    t_max = float(ts[-1])
    log_lmax = math.log(P.lambda_max)
    if s_max is None:
        s_max = log_lmax + (5.0 if (P.sigma == 1 and not P.lazy) else 0.0)
    if s_min is None:
        scale = 1.0 / (P.d * t_max)
        xs = P.frontier_constant
        if xs is not None and math.isfinite(xs):
            scale = min(scale, xs / t_max)
        s_min = math.log(1e-4 * min(scale, P.lambda_max))
    s_min, s_max = _finite("s_min", s_min), _finite("s_max", s_max)
    if not s_min < log_lmax <= s_max:
        raise InputError(
            f"the grid [s_min, s_max] = [{s_min:g}, {s_max:g}] must contain "
            f"log(lambda_max) = {log_lmax:g} with s_min < log(lambda_max)"
        )
    n = math.ceil((s_max - s_min) / h - 1e-9)
    if n < 4:
        raise InputError(f"the grid needs at least 4 cells, got {n} (decrease h)")
    if n > 2_000_000:
        raise InputError(f"the grid has {n} cells; increase h or shrink [s_min, s_max]")
    s_min = s_max - n * h  # exact cell width; the bottom moves down by < h
    edges = s_min + h * np.arange(n + 1)
    lam_e = np.exp(edges)
    lam_bar = (lam_e[1:] - lam_e[:-1]) / h  # cell average of lambda over s
    kap = P.kappa
    # initial cell masses int e^{kappa s} ds over [s_i, s_i+1] cut at log(lambda_max)
    top_e = np.minimum(edges, log_lmax)
    m = np.exp(kap * top_e[:-1]) * np.expm1(kap * (top_e[1:] - top_e[:-1])) / kap
    lam_min = math.exp(s_min)
    res0 = lam_min**kap / kap
    initial = float(m.sum() + res0)
    reservoir = res0
    dissipated = 0.0
    out_top = 0.0

    # time scale where the self-similar stepping starts
    rate = P.d * P.lambda_max + (P.c0 * P.lambda_max**P.p if not P.lazy else 0.0)
    t_floor = 1.0 / rate

    n_out = ts.size
    L = np.empty(n_out)
    D = np.empty(n_out)
    R = np.empty(n_out)
    T = np.empty(n_out)
    shells = np.empty((n_out, n)) if store_shells else None

    def res_cum(s_dep_time0):  # reservoir mass below a point whose time-0 position is given
        lam0 = np.exp(np.minimum(s_dep_time0, s_min))
        return lam0**kap / kap

    sg = P.sigma
    zeros = np.zeros(n)
    t = 0.0
    k_out = 0
    steps = 0
    err = np.seterr(divide="ignore", over="ignore", invalid="ignore")
    try:
        while k_out < n_out:
            target = ts[k_out]
            dt = dt_growth * max(t, t_floor)
            hit = target - (t + dt) < 1e-3 * dt
            if hit:
                dt = target - t
            t1 = t + dt
            if not P.lazy:  # accuracy cap on the split dissipation (max_shift)
                live = m > 1e-20 * m.sum()
                lf = np.zeros(n + 1, dtype=bool)
                lf[:-1] |= live
                lf[1:] |= live
                dt_min = dt / 16.0  # the cap shortens a step at most 16-fold
                for _ in range(60):
                    C = P.c_integral(t, t1)
                    dep = P.departure_faces(edges, C)
                    # split-dissipation error: d dt |lambda(departure) - lambda(arrival)|
                    ok = lf & np.isfinite(dep) & (dep >= s_min) & (dep <= s_max)
                    shift = float(np.max(np.abs(np.exp(dep[ok]) - lam_e[ok]))) * P.d * dt if ok.any() else 0.0
                    if shift <= max_shift or dt <= dt_min:
                        break
                    dt = max(dt_min, dt * (0.5 if not math.isfinite(shift) else max(0.1, 0.9 * max_shift / shift)))
                    t1 = t + dt
                    hit = False
            f_half = np.exp((-0.5 * P.d * dt) * lam_bar)  # exact dissipation over dt/2
            before = m.sum()
            m = m * f_half
            dissipated += before - m.sum()
            if not P.lazy:
                pos = (np.clip(dep, s_min, s_max) - s_min) * (1.0 / h)
                k = np.minimum(pos.astype(np.int64), n - 1)
                th = pos - k
                a = m * (1.0 / h)
                sl = zeros if reconstruction == "constant" else _mc_slopes(a, reconstruction)
                cum = np.empty(n + 1)
                cum[0] = 0.0
                np.cumsum(m, out=cum[1:])
                klo, khi, tlo, thi = k[:-1], k[1:], th[:-1], th[1:]
                alo, slo, ahi, shi = a[klo], sl[klo], a[khi], sl[khi]
                seg_same = (thi - tlo) * (alo + slo * (0.5 * (tlo + thi) - 0.5))
                seg_split = (1.0 - tlo) * (alo + slo * (0.5 * tlo)) + thi * (ahi + shi * (0.5 * thi - 0.5))
                whole = cum[khi] - cum[np.minimum(klo + 1, n)]
                new = np.where(klo == khi, h * seg_same, h * seg_split + np.maximum(whole, 0.0))
                np.maximum(new, 0.0, out=new)
                # bottom face: for sigma = -1 the mass in [s_min, dep_0] leaves to the reservoir
                if dep[0] > s_min:
                    k0, t0_ = k[0], th[0]
                    reservoir += float(cum[k0] + h * t0_ * (a[k0] + sl[k0] * (0.5 * t0_ - 0.5)))
                # sigma = +1: the reservoir (initial mass below the grid) flows in, analytically
                if sg == 1 and dep[0] < s_min:
                    below = dep[:-1] < s_min
                    dep0_now = P.departure(np.array([s_min]), 0.0, t)[0]
                    r_face = res_cum(P.departure(edges, 0.0, t1))  # mass below each face's departure
                    r_top = np.where(dep[1:] < s_min, r_face[1:], res_cum(np.array([dep0_now]))[0])
                    inflow = np.where(below, np.maximum(r_top - r_face[:-1], 0.0), 0.0)
                    new = new + inflow
                    reservoir -= float(inflow.sum())
                # top face: for sigma = +1 the mass in [dep_N, s_max] leaves (learned)
                if dep[-1] < s_max:
                    kn, tn = k[-1], th[-1]
                    out_t = float(cum[n] - (cum[kn] + h * tn * (a[kn] + sl[kn] * (0.5 * tn - 0.5))))
                    out_top += max(out_t, 0.0)
                m = new
            before = m.sum()
            m = m * f_half
            dissipated += before - m.sum()
            t = t1
            steps += 1
            if hit:
                L[k_out] = m.sum() + reservoir
                D[k_out] = dissipated
                R[k_out] = reservoir
                T[k_out] = out_top
                if shells is not None:
                    shells[k_out] = m
                k_out += 1
                if progress is not None:
                    progress(t, t_max)
    finally:
        np.seterr(**err)
    return TransportSolution(
        t=ts,
        loss=L,
        shell_energies=shells,
        s_edges=edges,
        dissipated=D,
        reservoir=R,
        outflow_top=T,
        initial_mass=initial,
        steps=steps,
        problem=P,
        settings={
            "h": h,
            "s_min": s_min,
            "s_max": s_max,
            "dt_growth": dt_growth,
            "max_shift": max_shift,
            "reconstruction": reconstruction,
            "cells": n,
        },
    )


# --------------------------------------------------------------------------------------
# exponents
# --------------------------------------------------------------------------------------


def expected_loss_exponent(problem: TransportProblem) -> tuple[float | None, str]:
    r"""Closed-form late-time exponent :math:`\alpha` of :math:`L \sim t^{-\alpha}` and its reason.

    * lazy (``c0 = 0``), GRSD-T13: :math:`\kappa`;
    * self-similar ``c = c0 t^(b-2)``, ``b > 1`` (and constant ``c`` at ``b = 2``), GRSD-T16:
      :math:`\sigma=-1`: :math:`\min(\kappa, d\xi^*)`, :math:`\xi^* = c_0^{-1/(b-1)}` (the
      characteristics tend to :math:`\xi^*/t`, so :math:`\int^t\lambda \approx \xi^*\log t`);
      :math:`\sigma = +1`: :math:`\kappa` (modes with :math:`\lambda_0 t > \xi^*` blew up);
    * constant ``c``, ``b != 2`` (derived from :math:`\Phi = \int_0^\infty\lambda`):
      :math:`\sigma=-1`, ``b < 2``: 0 (finite total dissipation :math:`\lambda_0^{2-b}/((2-b)c_0)`:
      the loss freezes); :math:`\sigma=-1`, ``b > 2``: :math:`\kappa` (stretched-exponential damping
      above :math:`\lambda_0 \sim t^{-1/(b-1)}`, lazy below); :math:`\sigma=+1`, ``1 < b < 2``:
      :math:`\kappa/(b-1)` (blow-up of every :math:`\lambda_0 > ((b-1)c_0t)^{-1/(b-1)}`);
      :math:`\sigma=+1`, ``b > 2``: :math:`\kappa`; ``b <= 1``, :math:`\sigma=+1`: not a power law
      (``None``); ``b <= 1``, :math:`\sigma = -1`: 0 (frozen).

    Parameters
    ----------
    problem : TransportProblem
        The parameters.

    Returns
    -------
    alpha : float or None
        The exponent (``None``: not a power law).
    reason : str
        Which case applies.

    Examples
    --------
    >>> expected_loss_exponent(TransportProblem(b=3, c0=4, kappa=2))[0]   # d xi* = 2 * 4**-0.5 = 1
    1.0

    References
    ----------
    GRSD-T13, GRSD-T16.
    """
    P = problem
    k = P.kappa
    if P.lazy:
        return k, "lazy (v = 0): L ~ Gamma(kappa) (d t)^-kappa"
    xs = P.frontier_constant
    if xs is not None:
        if P.sigma == -1:
            dx = P.d * xs
            if abs(dx - k) <= 1e-12 * k:
                return k, "sigma=-1 at the phase boundary kappa = d xi*: t^-kappa with a log correction"
            if dx < k:
                return dx, f"sigma=-1, transport-limited: d xi* = {dx:.6g} < kappa (xi* = c0^(-1/(b-1)))"
            return k, f"sigma=-1, dissipation-limited: kappa < d xi* = {dx:.6g}"
        return k, "sigma=+1: modes with lambda0 t > xi* are learned in finite time; exponent kappa"
    b, sg = P.b, P.sigma
    if sg == -1:
        if b < 2:
            return 0.0, "constant c, b < 2, sigma=-1: finite total dissipation, the loss freezes"
        return k, "constant c, b > 2, sigma=-1: lazy part dominates, exponent kappa"
    if b > 2:
        return k, "constant c, b > 2, sigma=+1: exponent kappa"
    if b > 1:
        return k / (b - 1), "constant c, 1 < b < 2, sigma=+1: blow-up front, exponent kappa/(b-1)"
    return None, "constant c, b <= 1, sigma=+1: (stretched-)exponential decay, not a power law"


def observed_order(errors: ArrayLike, hs: ArrayLike) -> np.ndarray:
    r"""Observed orders :math:`\log(e_i/e_{i+1})/\log(h_i/h_{i+1})` of a refinement sequence.

    Parameters
    ----------
    errors : array_like
        Positive errors of the refinements.
    hs : array_like
        Their step sizes.

    Returns
    -------
    numpy.ndarray
        Orders, one fewer than the inputs.

    Raises
    ------
    InputError
        Different lengths, fewer than two, or non-positive values.

    Examples
    --------
    >>> observed_order([4e-2, 1e-2], [0.2, 0.1]).tolist()
    [2.0]
    """
    e = np.asarray(errors, dtype=float)
    hh = np.asarray(hs, dtype=float)
    if e.shape != hh.shape or e.size < 2:
        raise InputError("errors and hs must have the same length >= 2")
    if (e <= 0).any() or (hh <= 0).any() or not np.isfinite(e).all():
        raise InputError("errors and hs must be finite and > 0")
    return np.log(e[:-1] / e[1:]) / np.log(hh[:-1] / hh[1:])
