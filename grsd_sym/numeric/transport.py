r"""Finite-volume solver of the GRSD transport PDE on the log-spectral grid, and its exact oracle.

The PDE (GRSD-T7, log coordinates :math:`s = \log\lambda`, no source):

.. math::

    \partial_t \epsilon + \partial_s (V \epsilon) = -d\, e^{s} \epsilon, \qquad
    V = \frac{v}{\lambda} = \sigma\, c(t)\, \lambda^{b-1}, \qquad
    c(t) = c_0 \ \text{('const')} \quad\text{or}\quad c(t) = c_0\, t^{b-2}\ \text{('self-similar')},

from :math:`\epsilon(s, 0) = \lambda\, g_0(\lambda) = \lambda^\kappa` on :math:`(0, \lambda_{max}]`
(:math:`g_0 = \lambda^{\kappa-1}`).  The loss is :math:`L(t) = \int g\, d\lambda = \int \epsilon\, ds`.

**Characteristics** (GRSD-T14, re-derived here).  :math:`\dot\lambda = \sigma c(t) \lambda^{b}`;
with :math:`p = b - 1 \neq 0` and :math:`u = \lambda^{-p}`, :math:`\dot u = -p\sigma c(t)`, so

.. math::

    \lambda(t)^{-p} = \lambda_0^{-p} - p\,\sigma \int_0^t c, \qquad
    \text{const: } \lambda = \lambda_0\bigl(1 - \sigma (b-1) c_0 \lambda_0^{b-1} t\bigr)^{-1/(b-1)},
    \qquad \text{self-similar: } \lambda = \lambda_0 \bigl(1 - \sigma c_0 (\lambda_0 t)^{b-1}\bigr)^{-1/(b-1)} .

The documented formula :math:`\lambda_0(1 + c_0(\lambda_0 t)^{b-1})^{-1/(b-1)}` is the *self-similar*
one (:math:`\int_0^t c_0 \tau^{b-2} = c_0 t^{b-1}/(b-1)` cancels the factor :math:`b-1`); for
constant :math:`c` the factor :math:`(b-1)` is present.  For :math:`\sigma=-1` and the
self-similar :math:`c`, :math:`\lambda(t) < \xi^*/t` for every :math:`\lambda_0` and
:math:`\lambda(t)\,t \to \xi^* = c_0^{-1/(b-1)}` (the frontier); for constant :math:`c` the
characteristics tend to :math:`((b-1)c_0 t)^{-1/(b-1)}`, which is :math:`\xi^*/t` only for
:math:`b = 2`.  Along a characteristic the mass :math:`\epsilon\, ds` is conserved by the
transport and damped by :math:`\exp(-d\int_0^t\lambda)`, so the exact loss is

.. math::  L(t) = \int_0^{\lambda_{max}} \lambda_0^{\kappa-1}
           \exp\Bigl(-d \int_0^t \lambda(\tau;\lambda_0)\,d\tau\Bigr)\,
           \mathbf 1[\text{not blown up}]\, d\lambda_0,

evaluated by :func:`exact_loss` with mpmath quadrature (the inner integral in closed form,
self-similar: :math:`\int_0^t\lambda = x\,{}_2F_1(1/p, 1/p; 1 + 1/p; \sigma c_0 x^p)`,
:math:`x = \lambda_0 t`).

**Scheme** (:func:`solve_transport`).  Cells of width :math:`h` in :math:`s`; cell masses
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
from typing import Sequence

import mpmath
import numpy as np

from grsd_sym.errors import InputError, NonFiniteError, RegionError, TimeGridError

__all__ = [
    "TransportProblem", "TransportSolution", "solve_transport", "exact_loss",
    "characteristic", "dissipated_action", "lazy_loss", "fit_loss_exponent",
    "expected_loss_exponent", "observed_order", "C_FORMS",
]

C_FORMS = ("const", "self-similar")


def _finite(name: str, value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(x):
        raise NonFiniteError(f"{name} must be finite, got {value!r}")
    return x


@dataclasses.dataclass(frozen=True)
class TransportProblem:
    r"""Parameters of the transport PDE (module docstring) with :math:`g_0 = \lambda^{\kappa-1}`
    on :math:`(0, \lambda_{max}]`.

    Valid region: ``b`` finite; ``c0 >= 0`` (``c0 = 0`` is lazy training, GRSD-T8);
    ``kappa > 0``; ``d > 0``; ``sigma`` in {-1, +1}; ``c_form`` in {'const', 'self-similar'};
    ``'self-similar'`` (``c = c0 t^(b-2)``) needs ``b > 1`` (otherwise ``int_0 c`` diverges);
    ``lambda_max > 0``.
    """

    b: float
    c0: float
    kappa: float
    d: float = 2.0
    sigma: int = -1
    c_form: str = "self-similar"
    lambda_max: float = 1.0

    def __post_init__(self):
        for name in ("b", "c0", "kappa", "d", "lambda_max"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        if self.c0 < 0:
            raise RegionError(f"c0 must be >= 0 (the sign of the velocity is sigma), got {self.c0}")
        if self.kappa <= 0:
            raise RegionError(f"kappa must be > 0 (g0 = lambda^(kappa-1) integrable), got {self.kappa}")
        if self.d <= 0:
            raise RegionError(f"d must be > 0, got {self.d}")
        if self.lambda_max <= 0:
            raise RegionError(f"lambda_max must be > 0, got {self.lambda_max}")
        if self.sigma not in (-1, 1, -1.0, 1.0):
            raise RegionError(f"sigma must be -1 or +1, got {self.sigma!r}")
        object.__setattr__(self, "sigma", int(self.sigma))
        if self.c_form not in C_FORMS:
            raise RegionError(f"c_form must be one of {C_FORMS}, got {self.c_form!r}")
        if self.c_form == "self-similar" and self.c0 > 0 and not self.b > 1:
            raise RegionError(f"c_form='self-similar' (c = c0 t^(b-2)) needs b > 1, got b = {self.b}: "
                              "int_0^t c diverges at t = 0 for b <= 1; use c_form='const'")

    @property
    def p(self) -> float:
        """``b - 1``."""
        return self.b - 1.0

    @property
    def lazy(self) -> bool:
        return self.c0 == 0.0

    @property
    def frontier_constant(self) -> float | None:
        r""":math:`\xi^* = c_0^{-1/(b-1)}` (self-similar, ``b > 1``; also constant ``c`` at ``b = 2``)."""
        if self.lazy:
            return math.inf
        if self.c_form == "self-similar" or self.b == 2.0:
            return self.c0 ** (-1.0 / self.p)
        return None

    def c(self, t):
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
            return self.c0 * t1 ** p / p
        return self.c0 * t0 ** p * math.expm1(p * math.log(t1 / t0)) / p

    def departure(self, s, t_from: float, t_to: float):
        r"""Position at ``t_from`` of the characteristic through ``s`` at ``t_to`` (``t_from <= t_to``).

        .. math:: s_{from} = s - \log\bigl(1 + p\,\sigma\, C\, e^{p s}\bigr)/p,\quad
                  C = \int_{t_{from}}^{t_{to}} c, \qquad (p = 0:\ s - \sigma C);

        ``+inf`` / ``-inf`` when it came from :math:`\lambda = \infty` / :math:`\lambda = 0`.
        """
        s = np.asarray(s, dtype=float)
        C = self.c_integral(t_from, t_to)
        if C == 0.0:
            return s.copy()
        p, sg = self.p, self.sigma
        if p == 0.0:
            return s - sg * C
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            arg = p * sg * C * np.exp(p * s)
            out = s - np.log1p(np.maximum(arg, -1.0)) / p
        hit = arg <= -1.0
        if hit.any():
            out = np.where(hit, math.inf if p > 0 else -math.inf, out)
        return out

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# --------------------------------------------------------------------------------------
# the exact solution by characteristics (independent of the scheme)
# --------------------------------------------------------------------------------------

def characteristic(problem: TransportProblem, lambda0, t):
    r"""The characteristic :math:`\lambda(t;\lambda_0)` (GRSD-T14, formulas in the module docstring).

    ``inf`` after a blow-up (:math:`\sigma=+1`), ``0`` after reaching :math:`\lambda = 0` (``b < 1``).
    """
    P = problem
    lam0 = np.asarray(lambda0, dtype=float)
    t = np.asarray(t, dtype=float)
    if P.lazy:
        return lam0 * np.ones_like(t)
    p, sg = P.p, P.sigma
    Cint = P.c0 * t if P.c_form == "const" else P.c0 * t ** p / p
    if p == 0.0:
        return lam0 * np.exp(sg * Cint)
    with np.errstate(all="ignore"):
        u = lam0 ** (-p) - p * sg * Cint
        lam = np.where(u > 0, np.abs(u) ** (-1.0 / p), math.inf if p > 0 else 0.0)
    return lam


def dissipated_action(problem: TransportProblem, lambda0, t):
    r""":math:`\Phi = \int_0^t \lambda(\tau;\lambda_0)\,d\tau` in mpmath (current precision), and
    whether the characteristic is still alive (not blown up) at ``t``.

    Returns ``(Phi, alive)``; ``Phi`` is frozen after a characteristic reaches ``lambda = 0``.
    """
    P = problem
    lam0 = mpmath.mpf(lambda0)
    t = mpmath.mpf(t)
    if P.lazy:
        return lam0 * t, True
    c0, sg = mpmath.mpf(P.c0), P.sigma
    p = mpmath.mpf(P.b) - 1
    if P.c_form == "self-similar":
        x = lam0 * t
        z = sg * c0 * x ** p
        if z >= 1:
            return mpmath.inf, False
        q = 1 / p
        return x * mpmath.hyp2f1(q, q, 1 + q, z), True
    if p == 0:
        return lam0 * mpmath.expm1(sg * c0 * t) / (sg * c0), True
    A = -p * sg * c0 * lam0 ** p
    T, alive = t, True
    if 1 + A * t <= 0:  # p > 0: blow-up (dead); p < 0: reached lambda = 0 (alive, frozen)
        if p > 0:
            return mpmath.inf, False
        T = -1 / A
    if p == 1:
        return lam0 * mpmath.log1p(A * T) / A, alive
    e = 1 - 1 / p
    return lam0 * mpmath.expm1(e * mpmath.log1p(A * T)) / (A * e), alive


def _blowup_lambda0(P: TransportProblem, t: float) -> float:
    """Smallest lambda0 whose characteristic has blown up by time t (inf if none)."""
    if P.lazy or P.sigma == -1 or P.p <= 0:
        return math.inf
    if P.c_form == "self-similar":
        return P.frontier_constant / t
    return (P.p * P.c0 * t) ** (-1.0 / P.p)


def _closed_loss_b2(P: TransportProblem, t: float):
    r"""``b = 2`` (``c = c0`` in both forms): :math:`e^{-d\Phi} = (1 - \sigma c_0\lambda_0 t)^{\sigma d/c_0}`, so

    .. math:: \sigma=-1:\ L = {}_2F_1(d/c_0, \kappa; \kappa+1; -c_0 t)/\kappa, \qquad
              \sigma=+1:\ L = {}_2F_1(-d/c_0, \kappa; \kappa+1; c_0 t)/\kappa\ (c_0 t < 1),\
              (c_0 t)^{-\kappa} B(\kappa, 1 + d/c_0)\ (c_0 t \ge 1),\ \text{for } \lambda_{max} = 1.
    """
    k, d, c0 = mpmath.mpf(P.kappa), mpmath.mpf(P.d), mpmath.mpf(P.c0)
    lm = mpmath.mpf(P.lambda_max)
    x = c0 * lm * t
    if P.sigma == -1:
        return lm ** k * mpmath.hyp2f1(d / c0, k, k + 1, -x) / k
    if x < 1:
        return lm ** k * mpmath.hyp2f1(-d / c0, k, k + 1, x) / k
    return (c0 * t) ** (-k) * mpmath.beta(k, 1 + d / c0)


def exact_loss(problem: TransportProblem, t, *, dps: int = 20, method: str = "quad") -> np.ndarray:
    r"""Exact :math:`L(t)` by characteristics and mpmath quadrature (module docstring).

    Independent of the finite-volume scheme: the mass of every initial :math:`d\lambda_0` is
    carried along its characteristic and damped by :math:`\exp(-d\Phi)`.  ``method="closed"``
    uses the closed forms instead (lazy: :func:`lazy_loss`; ``b = 2``: hypergeometric, see
    :func:`_closed_loss_b2`); ``"auto"`` uses them where they exist.
    """
    P = problem
    ts = _time_grid(t, allow_zero=True)
    if method not in ("quad", "closed", "auto"):
        raise InputError(f"method must be 'quad', 'closed' or 'auto', got {method!r}")
    has_closed = P.lazy or P.b == 2.0
    if method == "closed" and not has_closed:
        raise RegionError("closed-form exact loss exists only for c0 = 0 (lazy) or b = 2")
    out = np.empty(ts.shape)
    if method != "quad" and has_closed:
        with mpmath.workdps(dps):
            for n, tt in enumerate(ts):
                if tt == 0.0:
                    out[n] = P.lambda_max ** P.kappa / P.kappa
                elif P.lazy:
                    k = mpmath.mpf(P.kappa)
                    dd = mpmath.mpf(P.d)
                    out[n] = float(mpmath.gammainc(k, 0, dd * P.lambda_max * tt) * (dd * tt) ** (-k))
                else:
                    out[n] = float(_closed_loss_b2(P, mpmath.mpf(tt)))
        return out
    with mpmath.workdps(dps):
        kap, d = mpmath.mpf(P.kappa), mpmath.mpf(P.d)
        for n, tt in enumerate(ts):
            top = min(P.lambda_max, _blowup_lambda0(P, tt))
            if tt == 0.0:
                out[n] = float(mpmath.mpf(P.lambda_max) ** kap / kap)
                continue
            top_m = mpmath.mpf(top)

            def f(y):  # lambda0 = top * exp(-y)
                lam0 = top_m * mpmath.exp(-y)
                phi, alive = dissipated_action(P, lam0, tt)
                if not alive:
                    return mpmath.mpf(0)
                return top_m ** kap * mpmath.exp(-kap * y - d * phi)

            # breakpoints where lambda0 t crosses decades (the structure of exp(-d Phi))
            y_scale = math.log(top * tt) if top * tt > 0 else 0.0
            pts = [0.0]
            for k in range(-4, 5):
                y = y_scale + k * math.log(10.0)
                if y > pts[-1] + 1e-9:
                    pts.append(y)
            pts = [mpmath.mpf(y) for y in pts] + [mpmath.inf]
            out[n] = float(mpmath.quad(f, pts))
    return out


def lazy_loss(kappa: float, d: float, t, lambda_max: float = 1.0, *, dps: int = 30) -> np.ndarray:
    r"""GRSD-T13 with finite :math:`\lambda_{max}` (``v = 0``):
    :math:`L(t) = \gamma(\kappa, d\lambda_{max} t)\,(d t)^{-\kappa}`, which tends to
    :math:`\Gamma(\kappa)(dt)^{-\kappa}` as :math:`d\lambda_{max} t \to \infty`."""
    ts = _time_grid(t)
    with mpmath.workdps(dps):
        k, dd, lm = mpmath.mpf(kappa), mpmath.mpf(d), mpmath.mpf(lambda_max)
        return np.array([float(mpmath.gammainc(k, 0, dd * lm * tt) * (dd * tt) ** (-k)) for tt in ts])


# --------------------------------------------------------------------------------------
# the finite-volume solver
# --------------------------------------------------------------------------------------

def _time_grid(t, *, allow_zero: bool = False) -> np.ndarray:
    ts = np.atleast_1d(np.asarray(t, dtype=float))
    if ts.ndim != 1 or ts.size == 0:
        raise TimeGridError("times must be a non-empty 1-d sequence")
    if not np.isfinite(ts).all():
        raise TimeGridError("times must be finite (got NaN or infinity)")
    if (ts < 0).any() or (not allow_zero and (ts <= 0).any()):
        raise TimeGridError("times must be > 0" + (" (or = 0)" if allow_zero else ""))
    if ts.size > 1 and not (np.diff(ts) > 0).all():
        raise TimeGridError("times must be strictly increasing")
    return ts


@dataclasses.dataclass
class TransportSolution:
    r"""Result of :func:`solve_transport`.

    ``t`` output times; ``loss`` :math:`L(t) = \sum_i m_i + m_{res}`; ``shell_energies``
    (``len(t) x cells``, the masses :math:`m_i` of the cells :math:`[s_i, s_{i+1})`);
    ``s_edges``; booked budget terms ``dissipated``, ``reservoir`` (mass below the grid),
    ``outflow_top`` (mass that left through the top: learned, :math:`\sigma = +1`);
    ``initial_mass``; ``steps`` (number of time steps); ``problem``.
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
        """Late-time exponent: :func:`fit_loss_exponent` over the last ``decades`` of ``t``."""
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


def solve_transport(problem: TransportProblem, t_eval: Sequence[float], *, h: float = 0.1,
                    s_min: float | None = None, s_max: float | None = None,
                    dt_growth: float = 0.1, reconstruction: str = "mc",
                    max_shift: float = 0.05, store_shells: bool = True,
                    progress=None) -> TransportSolution:
    r"""Solve the transport PDE (module docstring) and return the loss at the times ``t_eval``.

    Parameters: ``h`` cell width in ``s``; ``s_min``/``s_max`` grid range (defaults: the top is
    :math:`\log\lambda_{max}` (+5 for :math:`\sigma=+1`), the bottom
    :math:`\log(10^{-4}\min(1/(d t_{max}), \xi^*/t_{max}))`, so that the dissipation neglected below
    the grid is :math:`\le 10^{-4}`); ``dt_growth`` = r in :math:`\Delta t = r\max(t, t_{floor})`;
    ``reconstruction`` 'mc' (second order, MC limiter), 'minmod', or 'constant' (donor cell);
    ``max_shift``: accuracy cap on the split dissipation,
    :math:`d\,\Delta t\,|\lambda(s^{dep}_j) - \lambda(s_j)| \le` ``max_shift`` over faces next to
    live cells (mass > 1e-20 of the total): the damping rate must not change much along a
    characteristic within one step (steps are shortened, at most 16-fold, when it binds).
    ``progress`` is an optional callable ``progress(t, t_max)``.
    """
    P = problem
    if not isinstance(P, TransportProblem):
        raise InputError("problem must be a TransportProblem")
    ts = _time_grid(t_eval)
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
        raise InputError(f"the grid [s_min, s_max] = [{s_min:g}, {s_max:g}] must contain "
                         f"log(lambda_max) = {log_lmax:g} with s_min < log(lambda_max)")
    n = int(math.ceil((s_max - s_min) / h - 1e-9))
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
    res0 = lam_min ** kap / kap
    initial = float(m.sum() + res0)
    reservoir = res0
    dissipated = 0.0
    out_top = 0.0

    # time scale where the self-similar stepping starts
    rate = P.d * P.lambda_max + (P.c0 * P.lambda_max ** P.p if not P.lazy else 0.0)
    t_floor = 1.0 / rate

    n_out = ts.size
    L = np.empty(n_out)
    D = np.empty(n_out)
    R = np.empty(n_out)
    T = np.empty(n_out)
    shells = np.empty((n_out, n)) if store_shells else None

    def res_cum(s_dep_time0):  # reservoir mass below a point whose time-0 position is given
        lam0 = np.exp(np.minimum(s_dep_time0, s_min))
        return lam0 ** kap / kap

    p, sg = P.p, P.sigma
    with np.errstate(over="ignore"):
        ep = np.exp(p * edges)  # e^{p s} at the faces (constant)
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
                    if p == 0.0:
                        dep = edges - sg * C
                    else:  # log1p(-1) = -inf: departure from lambda = inf (p > 0) or 0 (p < 0)
                        dep = edges - np.log1p(np.maximum((p * sg * C) * ep, -1.0)) / p
                    # split-dissipation error: d dt |lambda(departure) - lambda(arrival)|
                    ok = lf & np.isfinite(dep) & (dep >= s_min) & (dep <= s_max)
                    shift = (float(np.max(np.abs(np.exp(dep[ok]) - lam_e[ok]))) * P.d * dt
                             if ok.any() else 0.0)
                    if shift <= max_shift or dt <= dt_min:
                        break
                    dt = max(dt_min, dt * (0.5 if not math.isfinite(shift)
                                           else max(0.1, 0.9 * max_shift / shift)))
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
                seg_split = ((1.0 - tlo) * (alo + slo * (0.5 * tlo)) + thi * (ahi + shi * (0.5 * thi - 0.5)))
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
                if store_shells:
                    shells[k_out] = m
                k_out += 1
                if progress is not None:
                    progress(t, t_max)
    finally:
        np.seterr(**err)
    return TransportSolution(t=ts, loss=L, shell_energies=shells, s_edges=edges, dissipated=D,
                             reservoir=R, outflow_top=T, initial_mass=initial, steps=steps,
                             problem=P, settings={"h": h, "s_min": s_min, "s_max": s_max,
                                                  "dt_growth": dt_growth, "max_shift": max_shift,
                                                  "reconstruction": reconstruction, "cells": n})


# --------------------------------------------------------------------------------------
# exponents
# --------------------------------------------------------------------------------------

def fit_loss_exponent(t, loss, *, decades: float = 1.0) -> float:
    r"""Least-squares :math:`\alpha` in :math:`L \propto t^{-\alpha}` over the last ``decades``
    of the (increasing, positive) times."""
    t = _time_grid(t)
    L = np.asarray(loss, dtype=float)
    if L.shape != t.shape:
        raise InputError("t and loss must have the same length")
    if not np.isfinite(L).all() or (L <= 0).any():
        raise NonFiniteError("the loss must be finite and > 0 to fit an exponent")
    sel = t >= t[-1] / 10 ** decades
    if sel.sum() < 2:
        raise InputError(f"need at least 2 times within the last {decades} decade(s) to fit an exponent")
    x, y = np.log(t[sel]), np.log(L[sel])
    slope = np.polyfit(x, y, 1)[0]
    return float(-slope)


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


def observed_order(errors: Sequence[float], hs: Sequence[float]) -> np.ndarray:
    r"""Observed orders :math:`\log(e_i/e_{i+1})/\log(h_i/h_{i+1})` of a refinement sequence."""
    e = np.asarray(errors, dtype=float)
    hh = np.asarray(hs, dtype=float)
    if e.shape != hh.shape or e.size < 2:
        raise InputError("errors and hs must have the same length >= 2")
    if (e <= 0).any() or (hh <= 0).any() or not np.isfinite(e).all():
        raise InputError("errors and hs must be finite and > 0")
    return np.log(e[:-1] / e[1:]) / np.log(hh[:-1] / hh[1:])
