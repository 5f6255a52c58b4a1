"""``grsd exponents time|transport|size|compute-optimal --convention NAME [parameters] [--json]``.

Closed-form scaling exponents, exact (rationals or expressions) and as floats, with the
convention stated (:mod:`grsd_sym.derive.exponents`; GRSD-T13, T16, S8a, S8b, S8c).

Conventions and their flags: ``bordelon2024`` (Convention A: ``--a``, ``--b``),
``source-capacity`` (``--alpha``, ``--r``), ``paquette2024`` (``--alpha``, ``--beta``),
``lin2024`` (``--a``), ``grsd`` (``--kappa``, ``--A``, ``--d``).

* ``transport`` takes ``--b --c0 --kappa --d [--sigma]``: **here ``--b`` is the velocity exponent**
  of ``v = sigma c0 t^(b-2) lambda^b``, not Convention A's spectral exponent (so ``transport``
  refuses ``bordelon2024``; other conventions may replace ``--kappa``).
* ``size`` and ``compute-optimal`` in the ``grsd`` convention take ``--b`` as the mode-counting
  exponent (``lambda_k = k^-b``: N modes resolve ``lambda_min = N^-b``).
* ``compute-optimal --form chinchilla --alpha --beta --A --B [--E]``: ``E + A/N^alpha + B/D^beta``
  with ``C = 6 N D``.
* ``loss --g0 EXPR [--lambda-max L] [--b B --c0 C --sigma S [--c constant] [--t0 T]] --d D``: the
  asymptotic engine (:mod:`grsd_sym.derive.asymptotics`) on the user's own initial spectrum
  ``g0(lambda)`` (lazy when no velocity is given; ``L`` may be ``oo``): ``L(t) ~ P t^-exponent
  (log t)^log_power``, with its certificate.  ``time`` and ``transport`` are thin wrappers over the
  same engine (``g0 = A lambda^(kappa-1)`` from the convention; ``transport`` uses
  ``--lambda-max``, default 1, and reports the prefactor only when ``--lambda-max`` is given).

Values are exact: ``3/2``, ``0.34`` (read as ``17/50``), ``2``.  Exponents are positive:
``L ~ t^-exponent``, ``L* ~ C^-exponent``, ``N* ~ C^n_exponent``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import sympy as sp

from grsd_sym import literature as lit
from grsd_sym import symbols as sym
from grsd_sym.cli._io import NEGATIVE_NUMBER
from grsd_sym.errors import ConventionError, DerivationError, GRSDError, InputError, RegionError

__all__ = ["HELP", "add_arguments", "run"]

HELP = "closed-form scaling exponents (time, transport, size, compute-optimal) in any convention"

_VALUE_FLAGS = {
    "a": "bordelon2024 / lin2024: task-power (Convention A) or spectrum (Lin) exponent",
    "b": "bordelon2024: spectral exponent lambda_k = k^-b; transport: VELOCITY exponent "
    "(v = sigma c0 t^(b-2) lambda^b); grsd size/compute-optimal: mode-counting exponent",
    "alpha": "source-capacity: capacity; paquette2024: covariance j^(-2 alpha); chinchilla: N exponent",
    "r": "source-capacity: source exponent",
    "beta": "paquette2024: target b_j = j^-beta; chinchilla: D exponent",
    "kappa": "grsd: g0 = A lambda^(kappa-1)",
    "A": "grsd: amplitude of g0; chinchilla: coefficient of N^-alpha",
    "d": "grsd: dissipation factor (default 2)",
    "c0": "transport: velocity amplitude",
    "sigma": "transport: sign of the velocity (-1 default, or +1)",
    "lambda-max": "loss/transport: upper end of the spectrum (a number or oo; loss default oo)",
    "t0": "loss with b = 1 (c = c0/t): start time t0 (default 1)",
    "B": "chinchilla: coefficient of D^-beta",
    "E": "chinchilla: irreducible loss (default 0)",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of ``grsd exponents`` (the kind, ``--convention``, one flag per value) to ``p``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        Parser of the ``exponents`` sub-command.

    Examples
    --------
    >>> add_arguments(parser := argparse.ArgumentParser())
    >>> parser.parse_args(["transport", "--sigma", "-1"]).v_sigma
    '-1'
    """
    p._negative_number_matcher = NEGATIVE_NUMBER  # accept --beta -1/2, --sigma -1
    p.add_argument(
        "kind",
        choices=["time", "transport", "size", "compute-optimal", "loss"],
        help="which exponent: L(t), L(t) with transport, size floor L(N), L*(C), or the loss law of your own g0 (loss)",
    )
    p.add_argument(
        "--g0",
        dest="g0",
        default=None,
        metavar="EXPR",
        help="loss: initial spectrum g0 as an expression in lambda (safe parser)",
    )
    p.add_argument(
        "--c-form",
        "--c",
        dest="c_kind",
        type=_c_form,
        default="self-similar",
        help="loss/transport: c(t) = c0 t^(b-2) (self-similar, default) or c = c0 (const)",
    )
    p.add_argument(
        "--convention",
        default=None,
        type=lambda text: text.strip().lower(),
        help="bordelon2024, source-capacity, paquette2024, lin2024 or grsd (transport: default grsd)",
    )
    p.add_argument(
        "--form",
        choices=["power", "chinchilla"],
        default="power",
        help="compute-optimal: the GRSD power form (default) or chinchilla",
    )
    for name, text in _VALUE_FLAGS.items():
        p.add_argument(f"--{name}", dest=f"v_{name.replace('-', '_')}", default=None, metavar="X", help=text)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _human(d: dict) -> str:
    lines = [
        f"{d['kind']} exponent in convention {d['convention']}"
        + (f" ({d['convention_definition']})" if d.get("convention_definition") else ""),
        f"  {'law:':<22}{d['law']}",
        f"  {'exponent:':<22}{d['exponent']}  (= {d['exponent_float']:.10g})",
    ]
    if d.get("prefactor") is not None:
        lines.append(f"  {'prefactor:':<22}{d['prefactor']}  (= {d['prefactor_float']:.10g})")
    for key in ("n_exponent", "t_exponent", "d_exponent", "G", "time_exponent", "xi_star", "phase_boundary_kappa"):
        if key in d:
            fl = d.get(f"{key}_float")
            lines.append(f"  {key + ':':<22}{d[key]}" + (f"  (= {fl:.10g})" if fl is not None else ""))
    if d.get("grsd"):
        g = d["grsd"]
        lines.append(
            f"  GRSD continuum: kappa = {g['kappa']}, A = {g['A']}, d = {g['d']}"
            + (f", modes b = {g['modes_b']}" if g.get("modes_b") else "")
        )
    if d.get("dynamics_convention"):
        lines.append(f"  dynamics convention: {d['dynamics_convention']}")
    lines.append("  assumptions:")
    lines += [f"    - {a}" for a in d["assumptions"]]
    return "\n".join(lines)


def _parse(text: str, name: str, *, expression: bool = False) -> Any:
    """User text -> exact SymPy value through the project's safe parser (never ``sympify``)."""
    from grsd_sym import parsing

    if expression:
        return parsing.parse_expression(text, symbols={"lambda": sym.lam}, name=f"--{name}")
    return parsing.parse_number(text, name=f"--{name}", allow_infinity=True)


def _c_form(text: str) -> str:
    key = text.strip().lower()
    forms = {"self-similar": "self-similar", "const": "constant", "constant": "constant"}
    if key not in forms:
        raise argparse.ArgumentTypeError(f"expected self-similar or const, got {text[:40]!r}")
    return forms[key]


def _velocity(args: argparse.Namespace, need: bool) -> Any:
    from grsd_sym.derive.asymptotics import Velocity

    given = {n: getattr(args, f"v_{n}") for n in ("b", "c0", "sigma")}
    if all(v is None for v in given.values()):
        if need:
            raise InputError("transport needs --b and --c0 (velocity v = sigma c0 t^(b-2) lambda^b)")
        return None
    missing = [n for n in ("b", "c0") if given[n] is None]
    if missing:
        raise InputError(f"the velocity needs {', '.join('--' + m for m in missing)} (v = sigma c(t) lambda^b)")
    sig = _parse(given["sigma"], "sigma") if given["sigma"] is not None else -1
    if sig not in (-1, 1):
        raise InputError(f"--sigma must be -1 or +1, got {sig}")
    t0 = _parse(args.v_t0, "t0") if args.v_t0 is not None else 1
    return Velocity.of(
        _parse(given["b"], "b"), _parse(given["c0"], "c0"), int(sig), getattr(args, "c_kind", "self-similar"), t0
    )


def _engine(fn: Any, *a: Any, **kw: Any) -> Any:
    """Run the asymptotic engine; a case it does not derive (or a failure inside it) is one line, exit 2."""
    try:
        return fn(*a, **kw)
    except GRSDError:
        raise
    except NotImplementedError as exc:
        raise DerivationError(f"not derived: {exc}") from exc
    except (ArithmeticError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise DerivationError(f"not derived: the engine failed on this input ({type(exc).__name__}: {exc})") from exc


def _loss(args: argparse.Namespace) -> dict:
    from grsd_sym.derive.asymptotics import loss_asymptotics

    if args.g0 is None:
        raise InputError("loss needs --g0 EXPR (the initial spectrum g0(lambda))")
    if args.v_d is None:
        raise InputError("loss needs --d D (the dissipation factor)")
    for bad in ("a", "alpha", "r", "beta", "kappa", "A", "B", "E"):
        if getattr(args, f"v_{bad}") is not None:
            raise InputError(f"loss: --{bad} is not a parameter of loss (state the spectrum with --g0)")
    g0 = _parse(args.g0, "g0", expression=True)
    lam_max = _parse(args.v_lambda_max, "lambda-max") if args.v_lambda_max is not None else sp.oo
    d, vel = _parse(args.v_d, "d"), _velocity(args, False)
    res = _engine(loss_asymptotics, g0, d=d, lambda_max=lam_max, velocity=vel)
    out = res.to_dict()
    out["kind"] = "loss"
    out["g0"] = str(g0)
    out["lambda_max"] = str(lam_max)
    return out


def _wrapped(args: argparse.Namespace, params: dict) -> dict:
    """``time`` / ``transport``: the convention translation, then the engine on g0 = A lambda^(kappa-1)."""
    from grsd_sym.derive import exponents as ex
    from grsd_sym.derive.asymptotics import loss_asymptotics

    kind, convention = args.kind, args.convention
    if convention is None:
        if kind == "time":
            raise ConventionError(
                "time: state the convention (--convention one of "
                f"{', '.join(lit.NAMES)}); a result without its convention is meaningless"
            )
        convention = "grsd"
    if convention not in lit.NAMES:
        raise ConventionError(f"unknown convention {convention!r}; valid: {', '.join(lit.NAMES)}")
    lam_text = params.pop("lambda-max", None)
    params.pop("t0", None)
    own, _extra = ex._split(kind, convention, params)
    if kind == "transport" and convention == "grsd" and "kappa" not in own:
        raise InputError("transport needs --kappa (initial spectrum g0 ~ lambda^(kappa-1))")
    cd = ex._continuum(convention, own, need_A=(kind == "time"))
    vel = _velocity(args, True) if kind == "transport" else None  # time: --b is the spectrum's
    lam_max = sp.oo if kind == "time" else (_parse(lam_text, "lambda-max") if lam_text else sp.Integer(1))
    if vel is not None and vel.b.is_number and not vel.b > 1:
        raise RegionError(
            f"transport is the self-similar velocity with b > 1 (got b = {vel.b}); "
            "for b = 1 (c = c0/t, GRSD-T17) use grsd exponents loss"
        )
    res = _engine(loss_asymptotics, cd.A * sym.lam ** (cd.kappa - 1), d=cd.d, lambda_max=lam_max, velocity=vel)
    log_law = res.log_power != 0
    law = (
        "L(t) ~ prefactor * t^-exponent (t -> infinity)"
        if kind == "time"
        else "L(t) ~ t^-exponent up to a logarithmic factor (phase boundary kappa = d xi*, GRSD-T16)"
        if log_law
        else "L(t) ~ t^-exponent (t -> infinity)"
    )
    pref = (
        res.prefactor
        if res.prefactor is not None
        else (sp.Float(res.prefactor_float, 15) if res.prefactor_float is not None else None)
    )
    if kind == "transport" and lam_text is None:
        pref = None  # depends on lambda_max, which was not stated
    more: dict = {
        "phase": res.phase,
        "log_power": res.log_power,
        "certificate": res.certificate.to_dict(),
        "verified": res.verified,
        "evidence": None if res.evidence is None else res.evidence.to_dict(),
    }
    if vel is not None:
        more.update({"velocity_b": vel.b, "c0": vel.c0, "sigma": vel.sigma})
        if res.action.xi_star is not None:
            more["xi_star"] = res.action.xi_star
            more["phase_boundary_kappa"] = sp.nsimplify(cd.d * res.action.xi_star)
    pars = dict(own)
    if vel is not None:
        pars.update({"b": vel.b, "c0": vel.c0, "sigma": vel.sigma, "lambda_max": lam_max})
    assumptions = [
        *ex._convention_text(cd, convention),
        "derived by the asymptotic engine (grsd_sym.derive.asymptotics) from g0 = A lambda^(kappa-1) on "
        f"(0, {lam_max}]: "
        + ("no transport (v = 0), GRSD-T13" if vel is None else f"velocity {vel.expr()}, GRSD-T14/T16"),
        f"phase: {res.phase}; the comparison of the two ends is a checked step of the certificate",
    ]
    from grsd_sym.conventions import Convention

    dyn = Convention(d=cd.d) if vel is None else Convention(d=cd.d, sigma=vel.sigma)
    return ex.ExponentResult(kind, convention, pars, res.exponent, law, pref, assumptions, cd, dyn, more).to_dict()


def run(args: argparse.Namespace) -> int:
    """Run ``grsd exponents`` on parsed ``args``; print the result (text or ``--json``).

    Parameters
    ----------
    args : argparse.Namespace
        Options parsed by the ``exponents`` parser.

    Returns
    -------
    int
        0, or 1 if the derivation's certificate is not verified.

    Raises
    ------
    InputError, ConventionError, RegionError
        On invalid values, an unknown convention or parameters outside its region.

    Examples
    --------
    >>> import contextlib, io
    >>> add_arguments(parser := argparse.ArgumentParser())
    >>> argv = ["size", "--convention", "bordelon2024", "--a", "2", "--b", "3/2", "--json"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     rc = run(parser.parse_args(argv))
    >>> rc, json.loads(out.getvalue())["exponent"]
    (0, '1')
    """
    from grsd_sym.derive.exponents import exponents

    if args.kind == "loss":
        out = _loss(args)
    else:
        params = {name: getattr(args, f"v_{name.replace('-', '_')}") for name in _VALUE_FLAGS}
        if args.kind in ("time", "transport") and args.form == "power":
            out = _wrapped(args, {k: v for k, v in params.items() if v is not None})
        else:
            for extra in ("lambda-max", "t0"):
                if params.pop(extra) is not None:
                    raise InputError(f"--{extra} applies to loss and transport only")
            res = exponents(args.kind, args.convention, form=args.form, **params)
            out = res.to_dict()
    ok = out.get("verified", True) is not False
    warnings = [] if ok else ["the derivation's certificate is not verified: the result is not derived"]
    out = {"command": f"exponents {args.kind}", "ok": ok, "warnings": warnings, **out}
    if args.json:
        print(json.dumps(out, indent=2, sort_keys=True, default=str))
    else:
        print(_human(out) if args.kind != "loss" else _human_loss(out))
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0 if ok else 1


def _human_loss(d: dict) -> str:
    lines = [
        f"loss law for g0 = {d['g0']} on (0, {d['lambda_max']}]",
        f"  {'law:':<22}{d['law']}",
        f"  {'exponent:':<22}{d['exponent']}",
        f"  {'log_power:':<22}{d['log_power']}",
        f"  {'prefactor:':<22}{d['prefactor']}  (= {d['prefactor_float']:.10g}; {d['prefactor_method']})",
        f"  {'phase:':<22}{d['phase']}",
        (
            f"  {'certificate:':<22}{'verified' if d['verified'] else 'NOT VERIFIED'} "
            f"({len(d['certificate']['steps'])} steps)"
        ),
    ]
    ev = d.get("evidence")
    if ev:
        lines.append(
            f"  {'evidence:':<22}slope -> {ev['slope_limit']:.6g}, ratio -> {ev['ratio_limit']:.6g} "
            f"at t = 10^{[round(x, 1) for x in ev['log10_times']]} ({'passed' if ev['passed'] else 'FAILED'})"
        )
    return "\n".join(lines)
