r"""Closed-form scaling exponents in any convention: the engine behind ``grsd exponents``.

:func:`exponents` answers four queries for a problem stated in any convention of
:mod:`grsd_sym.literature` (translated to the GRSD continuum :math:`(\kappa, A, d)` from the
convention's definition):

* ``time`` -- lazy loss (no transport, GRSD-T13): :math:`L(t)\simeq A\Gamma(\kappa)(dt)^{-\kappa}`,
  exponent :math:`\kappa`;
* ``transport`` -- with the velocity :math:`v = \sigma c_0 t^{b-2}\lambda^b` (GRSD-T16, from
  :mod:`grsd_sym.derive.frontier`): exponent :math:`\min(\kappa, d\xi^*)` for :math:`\sigma=-1,
  b>1`.  **Here ``b`` is the velocity exponent**, not Convention A's spectral exponent;
* ``size`` -- the floor of a model of :math:`N` modes (GRSD-S8a):
  :math:`L(\infty, N) = (A/\kappa)N^{-b_{\rm modes}\kappa}`, exponent :math:`b_{\rm modes}\kappa`
  (:math:`a-1` in Convention A);
* ``compute-optimal`` -- :math:`L^*(C)\propto C^{-xy/(x+y)}` for :math:`L\simeq A_1t^{-x}+A_2N^{-y}`,
  :math:`C = Nt` (GRSD-S8b), or the Chinchilla form (``form="chinchilla"``).

Exponents are positive numbers: :math:`L\sim t^{-e}`, :math:`L^*\sim C^{-e}`,
:math:`N^*\sim C^{n}`.

>>> from grsd_sym.derive.exponents import exponents
>>> r = exponents("compute-optimal", "bordelon2024", a=2, b=3/2)
>>> r.exponent, r.extra["n_exponent"]
(2/5, 2/5)
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any

import sympy as sp

from grsd_sym import literature as lit
from grsd_sym.conventions import Convention
from grsd_sym.display import RichDisplay
from grsd_sym.errors import ConventionError, DerivationError, InputError, RegionError

__all__ = ["KINDS", "ExponentResult", "exponents"]

KINDS = ("time", "transport", "size", "compute-optimal")


def _to_float(expr: Any) -> float | None:
    """A finite real float of an exact result (``None`` passes through)."""
    if expr is None:
        return None
    val = complex(sp.N(sp.sympify(expr, strict=True), 17))
    if abs(val.imag) > 1e-30 * max(1.0, abs(val.real)) or not math.isfinite(val.real):
        raise DerivationError(f"{expr} does not lower to a finite real number")
    return float(val.real)


@dataclasses.dataclass(repr=False)
class ExponentResult(RichDisplay):
    """One answer of :func:`exponents`: exact exponent (and prefactor), its law, the convention.

    Attributes
    ----------
    kind, convention : str
        The query and the literature convention.
    params : dict
        The parameters as given (exact).
    exponent : sympy.Expr
        The exponent (positive: ``L ~ t^-exponent``).
    law : str
        The law it is the exponent of.
    prefactor : sympy.Expr or None
        Its prefactor, where derived.
    assumptions : list of str
        What the answer assumes.
    continuum : ContinuumData or None
        The GRSD continuum data (GRSD-S8c).
    dynamics : Convention or None
        The dynamics convention of the answer.
    extra : dict
        Further results by name (e.g. ``xi_star``).

    Examples
    --------
    >>> r = exponents("size", "bordelon2024", a=2, b="3/2")
    >>> r.exponent, r.to_dict()["exponent_float"]
    (1, 1.0)
    """

    kind: str
    convention: str
    params: dict
    exponent: sp.Expr
    law: str
    prefactor: sp.Expr | None
    assumptions: list[str]
    continuum: lit.ContinuumData | None
    dynamics: Convention | None
    extra: dict = dataclasses.field(default_factory=dict)

    def _display_parts(self):
        fl = _to_float(self.exponent)
        return (
            f"ExponentResult {self.kind}",
            r"\text{exponent}",
            self.exponent,
            f"{self.convention}" + ("" if fl is None else f"; = {fl:.6g}"),
            [self.law, *self.assumptions],
        )

    def to_dict(self) -> dict:
        """JSON-ready record: exact values as text, with ``*_float`` companions."""
        out = {
            "kind": self.kind,
            "convention": self.convention,
            "parameters": {k: str(v) for k, v in self.params.items()},
            "exponent": str(self.exponent),
            "exponent_float": _to_float(self.exponent),
            "law": self.law,
            "prefactor": None if self.prefactor is None else str(self.prefactor),
            "prefactor_float": _to_float(self.prefactor),
            "assumptions": list(self.assumptions),
            "grsd": None if self.continuum is None else self.continuum.to_dict(),
            "dynamics_convention": None if self.dynamics is None else self.dynamics.to_dict(),
        }
        if self.convention in lit.CONVENTIONS:
            c = lit.CONVENTIONS[self.convention]
            out["convention_definition"] = c.definition
            out["convention_source"] = c.source
        elif self.convention == "grsd":
            out["convention_definition"] = "g0(lambda) = A lambda^(kappa-1), energy decays at d lambda"
        for key, val in self.extra.items():
            if isinstance(val, sp.Basic):
                out[key] = str(val)
                if val.is_number:
                    out[f"{key}_float"] = _to_float(val)
            else:
                out[key] = val
        return out


# --------------------------------------------------------------------------------------


def _split(kind: str, convention: str, params: dict) -> tuple[dict, dict]:
    """Split ``params`` into the convention's own and the query's extra parameters."""
    params = {k: v for k, v in params.items() if v is not None}
    if convention == "grsd":
        own_names = ["kappa", "A", "d"]
    else:
        own_names = list(lit.get_convention(convention).param_names)
    extra_allowed = {
        "time": [],
        "size": ["b"] if convention == "grsd" else [],
        "compute-optimal": ["b"] if convention == "grsd" else [],
        "transport": ["b", "c0", "sigma"],
    }[kind]
    if kind == "transport" and convention == "bordelon2024":
        raise ConventionError(
            "transport: --b is the velocity exponent (v = sigma c0 t^(b-2) lambda^b), "
            "which clashes with bordelon2024's spectral --b; state the spectrum with "
            "--convention grsd --kappa K (kappa = (a-1)/b) or another convention"
        )
    own = {k: lit.parse_value(params.pop(k), k) for k in own_names if k in params}
    extra = {k: lit.parse_value(params.pop(k), k) for k in extra_allowed if k in params}
    if params:
        valid = ", ".join("--" + n for n in own_names + extra_allowed)
        raise InputError(
            f"{kind} in convention {convention}: unexpected parameter(s) "
            f"{', '.join('--' + k for k in sorted(params))}; valid: {valid}"
        )
    return own, extra


def _continuum(convention: str, own: dict, modes_b=None, *, need_A: bool = True) -> lit.ContinuumData:
    if convention == "grsd":
        if "A" not in own:
            if need_A:
                raise InputError(
                    "the grsd convention needs --kappa and --A (g0 = A lambda^(kappa-1)); --d defaults to 2"
                )
            own = {**own, "A": 1}  # the transport exponent does not depend on A
        return lit.to_grsd("grsd", modes_b=modes_b, **own)
    return lit.to_grsd(convention, **own)


def _convention_text(cd: lit.ContinuumData, convention: str) -> list[str]:
    base = []
    if convention in lit.CONVENTIONS:
        c = lit.CONVENTIONS[convention]
        base.append(
            f"convention {convention}: {c.definition} ({c.source}); gradient flow on the "
            f"squared loss, energy of mode k decays as exp(-2 lambda_k t) (d = 2)"
        )
        base.append(
            f"translated to the GRSD continuum by the sum-to-integral limit (GRSD-S8c): "
            f"g0(lambda) = A lambda^(kappa-1) with kappa = {cd.kappa}, A = {cd.A}, d = {cd.d}"
        )
    else:
        base.append(f"convention grsd: g0(lambda) = A lambda^(kappa-1), kappa = {cd.kappa}, A = {cd.A}, d = {cd.d}")
    return base


def _time(convention, own, extra) -> ExponentResult:
    cd = _continuum(convention, own)
    pref = cd.A * sp.gamma(cd.kappa) * cd.d ** (-cd.kappa)
    return ExponentResult(
        "time",
        convention,
        own,
        cd.kappa,
        "L(t) ~ prefactor * t^-exponent (t -> infinity)",
        pref,
        [
            *_convention_text(cd, convention),
            "no transport (v = 0) and lambda_max = infinity: lazy loss A Gamma(kappa) (d t)^-kappa (GRSD-T13)",
            "large t: the continuum limit of the mode sum (discreteness corrections decay faster than "
            "any power of (d t)^(1/b))",
        ],
        cd,
        Convention(d=cd.d),
    )


def _size(convention, own, extra) -> ExponentResult:
    from grsd_sym.derive import scaling

    cd = _continuum(convention, own, extra.get("b"))
    assumptions = [
        *_convention_text(cd, convention),
        "no transport (v = 0); the model resolves lambda >= lambda_min and the energy below is never "
        "learned: floor = int_0^lambda_min A lambda^(kappa-1) dlambda = (A/kappa) lambda_min^kappa (GRSD-S8a)",
    ]
    if cd.modes_b is None:
        return ExponentResult(
            "size",
            convention,
            own,
            cd.kappa,
            "L(infinity) ~ prefactor * (1/lambda_min)^-exponent (no mode count given: pass --b, "
            "lambda_k = k^-b, for the exponent in N)",
            cd.A / cd.kappa,
            assumptions,
            cd,
            Convention(d=cd.d),
            {"variable": "1/lambda_min"},
        )
    A1, x, A2, y = scaling.power_law_terms(cd.kappa, cd.A, cd.d, cd.modes_b)
    t_, N_ = sp.symbols("t N", positive=True)
    exact = scaling.loss_t_N(cd.kappa, cd.A, cd.d, cd.modes_b, t_, N_, exact=True)
    return ExponentResult(
        "size",
        convention,
        own,
        y,
        "L(infinity, N) ~ prefactor * N^-exponent",
        A2,
        [
            *assumptions,
            f"N modes with lambda_k = k^-{cd.modes_b}: lambda_min = N^-{cd.modes_b}",
            "L(t, N) ~ A1 t^-x + A2 N^-y for d t lambda_min << 1",
        ],
        cd,
        Convention(d=cd.d),
        {
            "variable": "N",
            "time_exponent": x,
            "A1": A1,
            "A2": A2,
            "modes_b": cd.modes_b,
            "loss_t_N": str(A1 * t_ ** (-x) + A2 * N_ ** (-y)),
            "loss_t_N_exact": str(exact),
        },
    )


def _compute(convention, own, extra) -> ExponentResult:
    from grsd_sym.derive import scaling

    cd = _continuum(convention, own, extra.get("b"))
    if cd.modes_b is None:
        raise InputError(
            "compute-optimal in the grsd convention needs the mode-counting exponent --b "
            "(lambda_k = k^-b, so N modes resolve lambda_min = N^-b and C = N t)"
        )
    A1, x, A2, y = scaling.power_law_terms(cd.kappa, cd.A, cd.d, cd.modes_b)
    co = scaling.compute_optimal(x, y, A1, A2)
    return ExponentResult(
        "compute-optimal",
        convention,
        own,
        co.exponent,
        "L*(C) ~ prefactor * C^-exponent, N*(C) ~ C^n_exponent, t*(C) ~ C^t_exponent, C = N t",
        co.prefactor,
        [
            *_convention_text(cd, convention),
            "no transport (v = 0); L(t, N) ~ A1 t^-x + A2 N^-y with x = kappa, y = b kappa (GRSD-S8a)",
            "compute C = N t; N* from SymPy solve on dL/dN = 0 at fixed C, checked by substitution (GRSD-S8b)",
            "the exact incomplete-gamma L(t, N) is scale covariant, so it has the same exponents (other constants)",
        ],
        cd,
        Convention(d=cd.d),
        {
            "n_exponent": co.n_exponent,
            "t_exponent": co.t_exponent,
            "N_prefactor": co.N_prefactor,
            "time_exponent": x,
            "size_exponent": y,
            "N_star": str(co.N_star),
            "t_star": str(co.t_star),
            "L_star": str(co.L_star),
        },
    )


def _chinchilla(params) -> ExponentResult:
    from grsd_sym.derive import scaling

    params = {k: v for k, v in params.items() if v is not None}
    need = ["alpha", "beta", "A", "B"]
    missing = [n for n in need if n not in params]
    unknown = set(params) - set(need) - {"E"}
    if missing or unknown:
        raise InputError(
            "compute-optimal --form chinchilla takes --alpha --beta --A --B [--E]"
            + (f"; missing {', '.join('--' + m for m in missing)}" if missing else "")
            + (f"; unexpected {', '.join('--' + u for u in sorted(unknown))}" if unknown else "")
        )
    vals = {k: lit.parse_value(v, k) for k, v in params.items()}
    for k in need:
        if not vals[k] > 0:
            raise RegionError(f"chinchilla: {k} = {vals[k]} is outside the region {k} > 0")
    ch = scaling.chinchilla_optimal(vals["alpha"], vals["beta"], vals["A"], vals["B"], vals.get("E", 0))
    return ExponentResult(
        "compute-optimal",
        "chinchilla",
        vals,
        ch.exponent,
        "L*(C) - E ~ prefactor * C^-exponent; N* = G (C/6)^n_exponent, D* = (C/6)^d_exponent / G",
        ch.prefactor,
        [
            "L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022), compute C = 6 N D",
            "N* from SymPy solve on dL/dN = 0 at fixed C, checked by substitution (GRSD-S8b)",
        ],
        None,
        None,
        {
            "n_exponent": ch.n_exponent,
            "d_exponent": ch.d_exponent,
            "G": ch.G,
            "N_star": str(ch.N_star),
            "D_star": str(ch.D_star),
            "L_star": str(ch.L_star),
        },
    )


def _transport(convention, own, extra) -> ExponentResult:
    try:
        from grsd_sym.derive import frontier
    except ImportError as exc:  # pragma: no cover - frontier is part of the package
        raise DerivationError(f"transport exponents need grsd_sym.derive.frontier: {exc}") from exc
    if convention == "grsd" and "kappa" not in own:
        raise InputError("transport needs --kappa (initial spectrum g0 ~ lambda^(kappa-1))")
    cd = _continuum(convention, own, need_A=False)
    missing = [n for n in ("b", "c0") if n not in extra]
    if missing:
        raise InputError(
            f"transport needs {', '.join('--' + m for m in missing)} (velocity v = sigma c0 t^(b-2) lambda^b)"
        )
    bv = lit.parse_value(extra["b"], "b")
    c0v = lit.parse_value(extra["c0"], "c0")
    sig = lit.parse_value(extra.get("sigma", -1), "sigma")
    if sig not in (-1, 1):
        raise ConventionError(f"sigma must be -1 or +1, got {sig}")
    if not c0v > 0:
        raise RegionError(f"transport: c0 = {c0v} is outside the region c0 > 0")
    try:
        x = frontier.transport_loss_exponent(bv, c0=c0v, kappa=cd.kappa, d=cd.d, sigma=int(sig))
    except NotImplementedError as exc:
        raise DerivationError(f"transport exponent not available yet (grsd_sym.derive.frontier: {exc})") from exc
    more: dict = {"velocity_b": bv, "c0": c0v, "sigma": int(sig)}
    if int(sig) == -1 and bv > 1:  # each left out where it is not defined
        with contextlib.suppress(NotImplementedError, RegionError):
            more["xi_star"] = frontier.frontier_constant(bv, c0v)
        with contextlib.suppress(NotImplementedError, RegionError):
            more["phase_boundary_kappa"] = frontier.phase_boundary(bv, c0=c0v, d=cd.d)
    law = "L(t) ~ t^-exponent (t -> infinity)"
    pb = more.get("phase_boundary_kappa")
    if pb is None:
        more["phase"] = "lazy (no frontier: sigma = +1 or b <= 1)"
    elif sp.simplify(cd.kappa - pb) == 0:
        more["phase"] = "phase boundary kappa = d xi* (logarithmic correction)"
        law = "L(t) ~ t^-exponent up to a logarithmic factor (phase boundary kappa = d xi*, GRSD-T16)"
    elif bool(cd.kappa < pb):
        more["phase"] = "lazy-limited (kappa < d xi*)"
    else:
        more["phase"] = "transport-limited (d xi* < kappa; prefactor depends on lambda_max)"
    params = dict(own)
    params.update({"b": bv, "c0": c0v, "sigma": int(sig)})
    return ExponentResult(
        "transport",
        convention,
        params,
        x,
        law,
        None,
        [
            *_convention_text(cd, convention),
            f"velocity v = sigma c0 t^(b-2) lambda^b with b = {bv} (velocity exponent), c0 = {c0v}, "
            f"sigma = {int(sig)}; no source (GRSD-T14, T16)",
            "exponent min(kappa, d xi*) for sigma = -1, b > 1 (log correction at kappa = d xi*); "
            "kappa for sigma = +1; the transport-limited prefactor depends on lambda_max",
        ],
        cd,
        Convention(d=cd.d, sigma=int(sig)),
        more,
    )


def exponents(kind: str, convention: str | None = None, *, form: str = "power", **params: Any) -> ExponentResult:
    """Answer an exponent query (see the module docstring).

    ``convention`` is one of :data:`grsd_sym.literature.NAMES` (``transport`` defaults to
    ``grsd``); ``params`` are the convention's parameters by name (``a, b``; ``alpha, r``;
    ``alpha, beta``; ``a``; ``kappa, A, d``) plus the query's (``transport``: ``b, c0, sigma``;
    ``size``/``compute-optimal`` in ``grsd``: mode-counting ``b``).  ``form="chinchilla"`` with
    ``alpha, beta, A, B[, E]`` for the Chinchilla compute-optimal form.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    convention : str or None
        Literature convention (required except for ``transport`` and ``form="chinchilla"``).
    form : str
        ``"power"`` or ``"chinchilla"``.
    **params
        Parameter values, exact (numbers or text such as ``"3/2"``).

    Returns
    -------
    ExponentResult
        The answer with its law, assumptions and convention.

    Raises
    ------
    InputError, ConventionError, RegionError
        On an unknown query, a missing or unknown convention, or values outside its region.

    Examples
    --------
    >>> r = exponents("time", "bordelon2024", a=2, b="3/2")  # GRSD-T13 after GRSD-S8c
    >>> r.exponent, r.prefactor
    (2/3, 2**(1/3)*gamma(2/3)/3)
    """
    if kind not in KINDS:
        raise InputError(f"unknown exponent query {kind!r}; valid: {', '.join(KINDS)}")
    if form not in ("power", "chinchilla"):
        raise InputError(f"unknown form {form!r}; valid: power, chinchilla")
    if form == "chinchilla":
        if kind != "compute-optimal":
            raise InputError("--form chinchilla applies to compute-optimal only")
        if convention not in (None, "chinchilla"):
            raise InputError(
                "--form chinchilla is stated by its own parameters (--alpha --beta --A --B); drop --convention"
            )
        return _chinchilla(params)
    if convention is None:
        if kind == "transport":
            convention = "grsd"
        else:
            raise ConventionError(
                f"{kind}: state the convention (--convention one of "
                f"{', '.join(lit.NAMES)}); a result without its convention is meaningless"
            )
    if convention not in lit.NAMES:
        raise ConventionError(f"unknown convention {convention!r}; valid: {', '.join(lit.NAMES)}")
    own, extra = _split(kind, convention, params)
    return {"time": _time, "size": _size, "compute-optimal": _compute, "transport": _transport}[kind](
        convention, own, extra
    )
