"""Derivations as checked steps, and the certificates they produce.

A *derivation* is a sequence of :class:`Step` objects.  A checked step records the claim **as
written** (``lhs`` and ``rhs`` unevaluated) and its residual ``lhs - rhs``, and gets one of three
verdicts:

``verified``
    a *sound* symbolic proof that the residual is zero on the declared domain (the rung that
    succeeded is recorded: :mod:`grsd_sym.certify.zero_test`), **and** no refutation by the
    witness;
``refuted``
    the witness (:mod:`grsd_sym.certify.witness`: rigorous ``acb`` ball arithmetic at points
    spread over the whole domain, undefined functions replaced by positive, negative,
    sign-changing and complex test functions) found a point where the enclosure of the residual
    excludes zero; the counterexample (point, both sides, enclosure) is recorded;
``unproven``
    neither.

Overrides -- ``force`` (forced power/log rewrites that assume positive bases), ``domains``
(a restricted witness box), a custom ``witness``, a genericity assumption ``generic`` and
``side_conditions`` -- are recorded on the step, and shown in the JSON, the LaTeX, the report and
the one-line summary; ``grsd prove --strict`` refuses any certificate that uses one.  Numeric
evidence (fitted slopes, quadratures) goes to a separate :class:`Evidence` section: it never
makes a step verified, and a failed item makes the certificate at best unproven.  The
conclusion (``conclude``) must follow from the verified steps
(:mod:`grsd_sym.certify.conclusion`).

Example, a user's derivation (this is what ``grsd prove my_proof.py`` runs):

>>> import sympy as sp
>>> from grsd_sym.certificate import Derivation
>>> x = sp.Symbol("x", positive=True)
>>> dv = Derivation("MY-1", "derivative of x^2", provenance="derived")
>>> _ = dv.claim(sp.Derivative(x**2, x), 2*x, "power rule")
>>> dv.conclude(sp.Eq(sp.Derivative(x**2, x), 2*x))
>>> dv.certificate().verdict
'verified'
>>> bad = Derivation("MY-2", "a wrong claim", provenance="derived")
>>> _ = bad.claim(sp.Derivative(x**2, x), 3*x, "wrong on purpose")
>>> bad.certificate().verdict
'refuted'
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import os
import platform
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import mpmath
import numpy
import sympy as sp
from sympy.core.function import AppliedUndef

from grsd_sym.certify.conclusion import accept_conclusion
from grsd_sym.certify.latex import aligned_rows, latex_of, tex_text
from grsd_sym.certify.witness import WitnessResult, evaluate_witness
from grsd_sym.certify.zero_test import zero_test
from grsd_sym.cli._io import write_atomic
from grsd_sym.errors import DerivationError, InputError

__all__ = [
    "PROVENANCES",
    "REQUIRED_DIGITS",
    "VERDICTS",
    "WITNESS_DPS",
    "WITNESS_POINTS",
    "Certificate",
    "Check",
    "Derivation",
    "Evidence",
    "Step",
    "check_zero",
    "library_versions",
    "numeric_witness",
    "symbolic_zero",
]

#: decimal digits of the witness's working precision (192-bit balls)
WITNESS_DPS = 50
#: digits of agreement a custom witness must show
REQUIRED_DIGITS = 25
#: points per residual entry of the default witness
WITNESS_POINTS = 16
#: allowed provenance tags
PROVENANCES = ("paper", "derived", "defined")
#: the three verdicts
VERDICTS = ("verified", "refuted", "unproven")

_Expr = Any  # sympy Basic, Matrix, or a Python number


def _entries(expr: _Expr) -> list[sp.Basic]:
    """Flatten a residual (expression, Matrix, Eq, sequence) into scalar expressions."""
    if isinstance(expr, sp.Equality):
        return [sp.sympify(expr.lhs - expr.rhs, strict=True)]
    if isinstance(expr, (sp.MatrixBase, sp.NDimArray)):
        return [sp.sympify(e, strict=True) for e in expr]
    if isinstance(expr, (list, tuple)):
        out: list[sp.Basic] = []
        for e in expr:
            out.extend(_entries(e))
        return out
    return [sp.sympify(expr, strict=True)]


def _num(x: float | None, nd: int = 2) -> float | None:
    """A JSON-safe number: finite floats rounded, anything else ``None``."""
    if x is None or not isinstance(x, (int, float)) or not math.isfinite(x):
        return None
    return round(float(x), nd)


def _jsonable(obj: Any) -> Any:
    """Strict-JSON form of evidence data: finite numbers, strings, lists, dicts; else ``str``."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    try:
        f = float(obj)
    except (TypeError, ValueError):
        return str(obj)
    if isinstance(obj, sp.Basic) and not obj.is_Float and not obj.is_Integer:
        return str(obj)
    return f if math.isfinite(f) else None


# --------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Check:
    """Outcome of checking one residual: the symbolic proof and the refuting witness.

    Attributes
    ----------
    symbolic, method, remainder : bool, str, str
        Whether a rung showed the residual is zero, which rung, and what was left otherwise.
    witness_digits : float
        Worst agreement over the witness points (``inf`` if every point gave an exact zero).
    witness_points, skipped : int
        Points evaluated / undefined there.
    custom_witness : str or None
        Name of a custom witness (an override), if one was used.
    refuted : bool
        The witness found a point where the residual's enclosure excludes zero.
    engine : str
        ``arb``, ``mpmath``, ``custom``, ``none`` (non-commutative) or ``failed``.
    points, counterexample, forced, note : list, dict or None, bool, str
        Per-point records, the refuting point, whether a forced rewrite was used, a remark.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> check_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1).verdict
    'verified'
    """

    symbolic: bool
    method: str
    remainder: str
    witness_digits: float
    witness_points: int
    custom_witness: str | None = None
    refuted: bool = False
    skipped: int = 0
    engine: str = "arb"
    points: list = dataclasses.field(default_factory=list)
    counterexample: dict | None = None
    forced: bool = False
    note: str = ""

    @property
    def verdict(self) -> str:
        """``refuted``, ``verified`` (a symbolic zero and a witness) or ``unproven``."""
        if self.refuted:
            return "refuted"
        if not self.symbolic:
            return "unproven"
        if self.custom_witness is not None:
            return "verified" if self.witness_digits >= REQUIRED_DIGITS else "unproven"
        if self.engine == "none":  # no numeric witness applies (non-commutative algebra)
            return "verified"
        return "verified" if self.witness_points > 0 else "unproven"

    @property
    def passed(self) -> bool:
        """True iff the verdict is ``verified``."""
        return self.verdict == "verified"

    def to_dict(self) -> dict:
        """The JSON record of the check (the certificate's ``check`` entry)."""
        wd = self.witness_digits
        cx = None
        if self.counterexample is not None:
            cx = {k: v for k, v in self.counterexample.items() if k != "values"}
            cx["digits"] = _num(cx.get("digits"))
        return {
            "verdict": self.verdict,
            "symbolic_zero": self.symbolic,
            "method": self.method,
            "forced_rewrite": self.forced,
            "remainder": self.remainder,
            "witness_digits": _num(wd),
            "witness_exact": wd == math.inf,
            "witness_points": self.witness_points,
            "witness_skipped": self.skipped,
            "witness": self.custom_witness or f"default ({self.engine})",
            "witness_engine": self.engine,
            "witness_note": self.note,
            "points": [dict(p, digits=_num(p.get("digits"))) for p in self.points],
            "counterexample": cx,
            "passed": self.passed,
        }


def symbolic_zero(
    expr: _Expr, *, force: bool | None = None, side_conditions: Sequence[Any] = ()
) -> tuple[bool, str, str]:
    """Try to show that every entry of ``expr`` is identically zero on its declared domain.

    Parameters
    ----------
    expr : sympy expression, matrix or number
        The residual.
    force : bool, optional
        Allow the forced power/log rewrites (an override; see :mod:`grsd_sym.certify.zero_test`).
    side_conditions : sequence of relations
        Relations the zero test may use.

    Returns
    -------
    tuple of (bool, str, str)
        ``(ok, method, remainder)``: the rung that succeeded for the hardest entry and, on
        failure, the remainder of the first entry that did not vanish.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> symbolic_zero(sp.exp(sp.log(x)) - x)[0]
    True
    """
    ok, method, rem, _ = _symbolic(expr, bool(force), side_conditions)
    return ok, method, rem


def _symbolic(expr: _Expr, force: bool, side_conditions: Sequence[Any]) -> tuple[bool, str, str, bool]:
    methods: list[str] = []
    forced = False
    for entry in _entries(expr):
        res = zero_test(entry, force=force, side_conditions=side_conditions)
        if not res.ok:
            return False, res.method, res.remainder, forced
        methods.append(res.method)
        forced = forced or res.override
    hardest = "as is"
    for m in methods:
        if m != "as is":
            hardest = m
    return True, hardest, "0", forced


def numeric_witness(
    expr: _Expr,
    *,
    points: int = WITNESS_POINTS,
    dps: int = WITNESS_DPS,
    seed: int = 20261206,
    domains: Mapping[sp.Symbol, tuple] | None = None,
    functions: Mapping[Any, Callable] | None = None,
) -> float:
    """The worst digits of agreement of the witness over all entries (``<= 0`` if refuted).

    Parameters
    ----------
    expr : sympy expression, matrix or number
        The residual.
    points, seed : int
        Witness points per entry and the random seed.
    dps : int
        Accepted for compatibility (the witness works at 192 bits, re-evaluates at 2048 bits).
    domains : mapping, optional
        Symbol -> ``(low, high)`` box of the witness (an override).
    functions : mapping, optional
        Undefined function -> callable used for it.

    Returns
    -------
    float
        Digits of agreement (``inf`` if every point gave an exact zero).

    Raises
    ------
    DerivationError
        When some entry could not be evaluated at any of the ``points``.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> numeric_witness(sp.sin(2*x) - 2*sp.sin(x)*sp.cos(x)) > 25
    True
    """
    worst = math.inf
    for entry in _entries(expr):
        if entry == 0:
            continue
        res = evaluate_witness(entry, points=points, seed=seed, domains=domains, functions=functions)
        if res.evaluated == 0:
            raise DerivationError(f"numeric witness could not evaluate {entry} at any point")
        d = res.digits
        if res.refuted:
            d = min(d, 0.0)
        worst = min(worst, d)
    return worst


def _witness_all(entries: list, sides: list | None, **kw: Any) -> WitnessResult:
    """Run the witness on every entry; the first refutation wins."""
    total = WitnessResult(math.inf, 0, 0, False, "arb", [])
    notes = []
    for i, entry in enumerate(entries):
        if entry == 0:  # exactly zero as written: nothing to evaluate, an exact agreement
            total.evaluated += 1
            continue
        res = evaluate_witness(entry, sides=None if sides is None else sides[i], **kw)
        total.evaluated += res.evaluated
        total.skipped += res.skipped
        total.digits = min(total.digits, res.digits)
        total.points.extend(res.points[: max(0, 12 - len(total.points))])
        if res.engine != "arb":
            total.engine = res.engine
        if res.note not in notes:
            notes.append(res.note)
        if res.refuted:
            total.refuted = True
            total.counterexample = dict(res.counterexample or {}, entry=i)
            total.counterexample["residual_expr"] = str(entry)[:500]
            break
        if res.evaluated == 0:
            total.evaluated = 0  # an entry never evaluated: the witness says nothing about it
            notes.append(f"entry {i} could not be evaluated at any point")
            break
    total.note = "; ".join(notes)
    return total


def check_zero(
    residual: _Expr,
    *,
    domains: Mapping[sp.Symbol, tuple] | None = None,
    functions: Mapping[Any, Callable] | None = None,
    witness: Callable[[random.Random], float] | None = None,
    witness_name: str | None = None,
    force: bool | None = None,
    points: int = WITNESS_POINTS,
    side_conditions: Sequence[Any] = (),
    sides: tuple[Any, Any] | None = None,
) -> Check:
    """Check that ``residual`` vanishes: a sound symbolic proof, and no refutation.

    Parameters
    ----------
    residual : sympy expression, matrix or number
        What must be zero.
    domains, functions : mapping, optional
        Witness box per symbol (an override) and callables for undefined functions.
    witness, witness_name : callable ``rng -> digits`` and its name, optional
        Replaces the default witness where the residual lives in an algebra it cannot evaluate
        (non-commutative symbols standing for matrices); an override the certificate records.
    force : bool, optional
        Allow forced power/log rewrites (an override).
    points : int
        Witness points per entry.
    side_conditions : sequence of relations
        Conditions the zero test and the witness may use.
    sides : tuple, optional
        ``(lhs, rhs)`` of the claim, for the witness's relative digits.

    Returns
    -------
    Check
        The symbolic result, the witness result and the verdict.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> check_zero(sp.log(x**2) - 2*sp.log(x)).verdict, check_zero(x - 1).verdict
    ('verified', 'refuted')
    """
    if witness is not None:
        ok, method, remainder, forced = _symbolic(residual, bool(force), side_conditions)
        digits = float(witness(random.Random(1234)))
        name = witness_name or getattr(witness, "__name__", "custom")
        return Check(ok, method, remainder, digits, 0, name, engine="custom", forced=forced)
    entries = _entries(residual)
    nc = [e.is_commutative is False or any(not s.is_commutative for s in e.free_symbols) for e in entries]
    if all(nc):
        ok, method, remainder, forced = _symbolic(residual, bool(force), side_conditions)
        return Check(
            ok,
            method,
            remainder,
            math.inf if ok else -math.inf,
            0,
            None,
            engine="none",
            forced=forced,
            note="non-commutative: no numeric witness applies; exact expansion",
        )
    if any(nc):  # the witness still runs on every commutative entry
        entries = [e for e, is_nc in zip(entries, nc, strict=True) if not is_nc]
        sides = None
    side_entries = None
    if sides is not None and len(entries) == 1:
        side_entries = [sides]
    conds = [c for c in side_conditions if isinstance(c, sp.Basic)]
    try:
        res = _witness_all(entries, side_entries, points=points, domains=domains, functions=functions, conditions=conds)
    except Exception as exc:  # the witness must never crash a derivation
        ok, method, remainder, forced = _symbolic(residual, bool(force), side_conditions)
        return Check(
            ok,
            method,
            f"{remainder}; witness failed: {type(exc).__name__}: {exc}",
            -math.inf,
            0,
            None,
            engine="failed",
            forced=forced,
        )
    floats = any(e.atoms(sp.Float) for e in entries) or (
        sides is not None and any(sp.sympify(sd, strict=True).atoms(sp.Float) for sd in sides)
    )
    if res.refuted:  # a counterexample decides: the symbolic ladder is not run
        ok, method, remainder, forced = False, "not attempted (refuted by the witness)", "", False
        remainder = str(res.counterexample.get("residual_expr", "")) if res.counterexample else ""
    elif floats:  # SymPy rounds Float arithmetic to 15 digits while building the claim
        ok, method, remainder, forced = (
            False,
            "refused: the claim contains inexact Floats (use Rational)",
            str(residual)[:500],
            False,
        )
    else:
        ok, method, remainder, forced = _symbolic(residual, bool(force), side_conditions)
    carried = {f: getattr(res, f) for f in ("refuted", "skipped", "engine", "points", "counterexample", "note")}
    return Check(ok, method, remainder, res.digits, res.evaluated, None, forced=forced, **carried)


# --------------------------------------------------------------------------------------
# steps, evidence, certificates
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Evidence:
    """Numeric evidence (a fitted slope, a quadrature): shown, never a proof.

    Attributes
    ----------
    description : str
        What was measured.
    passed : bool
        Whether it agreed.
    data : dict
        The numbers behind it.
    method : str
        How it was measured.

    Examples
    --------
    >>> Evidence("slope of log L vs log t", True, {"slope": -0.5}).verdict
    'passed'
    """

    description: str
    passed: bool
    data: dict = dataclasses.field(default_factory=dict)
    method: str = ""

    @property
    def verdict(self) -> str:
        """``passed`` or ``failed``."""
        return "passed" if self.passed else "failed"

    def to_dict(self) -> dict:
        """The JSON record (``data`` made JSON-safe)."""
        return {**vars(self), "passed": bool(self.passed), "verdict": self.verdict, "data": _jsonable(self.data)}


@dataclasses.dataclass
class Step:
    """One line of a derivation.

    Attributes
    ----------
    kind : str
        ``"claim"`` (checked: its residual must vanish), ``"definition"`` (introduces a name;
        not checked), ``"assumption"`` (taken as given) or ``"solution"`` (a solver's result,
        checked by substitution like a claim).
    statement, reason : Any, str
        What the step states, and why.
    residual, check : Any, Check or None
        What must vanish, and the outcome of checking it.
    seconds : float
        Time spent checking.
    lhs, rhs : Any
        The claim as written.
    overrides : dict
        What the check was told to take on trust.
    usable : bool
        Whether ``conclude`` may use the statement.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> st = Derivation("EX", "example").claim(sp.cos(x)**2 + sp.sin(x)**2, 1, "Pythagoras")
    >>> st.checked, st.verdict, st.passed
    (True, 'verified', True)
    """

    kind: str
    statement: Any
    reason: str
    residual: Any = None
    check: Check | None = None
    seconds: float = 0.0
    lhs: Any = None
    rhs: Any = None
    overrides: dict = dataclasses.field(default_factory=dict)
    usable: bool = True  # the statement may be used by conclude()
    # side conditions of a conditional claim; set by Certificate.claim only (no default: unset otherwise)
    _side: tuple[Any, ...] = dataclasses.field(init=False, repr=False, compare=False)

    @property
    def checked(self) -> bool:
        """True for a claim or solution (a step with a check)."""
        return self.check is not None

    @property
    def verdict(self) -> str | None:
        """``verified``/``refuted``/``unproven`` for a checked step, ``None`` otherwise."""
        return None if self.check is None else self.check.verdict

    @property
    def passed(self) -> bool:
        """True for an unchecked step or a verified check."""
        return self.check is None or self.check.passed

    def to_dict(self) -> dict:
        """The JSON record of the step."""
        return {
            "kind": self.kind,
            "statement": str(self.statement),
            "latex": latex_of(self.statement),
            "lhs": None if self.lhs is None else str(self.lhs),
            "rhs": None if self.rhs is None else str(self.rhs),
            "reason": self.reason,
            "residual": None if self.residual is None else str(self.residual),
            "verdict": self.verdict,
            "check": None if self.check is None else self.check.to_dict(),
            "overrides": _jsonable(self.overrides),
            "seconds": round(self.seconds, 4),
        }


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries the checker relies on (recorded in a certificate).

    Returns
    -------
    dict of str to str
        ``python``, ``sympy``, ``numpy``, ``mpmath`` and ``python-flint`` versions.

    Examples
    --------
    >>> sorted(library_versions())
    ['mpmath', 'numpy', 'python', 'python-flint', 'sympy']
    """
    import flint

    return {
        "python": platform.python_version(),
        "sympy": sp.__version__,
        "numpy": numpy.__version__,
        "mpmath": mpmath.__version__,
        "python-flint": getattr(flint, "__version__", "?"),
    }


@dataclasses.dataclass
class Certificate:
    """The record of a derivation: what was claimed, under what assumptions, and whether it held.

    Attributes
    ----------
    theorem_id, title, statement : str, str, Any
        The theorem and what it concludes.
    assumptions, provenance, sources : list of str, str, list of str
        What it rests on, ``paper``/``derived``/``defined``, and where it comes from.
    steps, evidence : list of Step, list of Evidence
        The derivation and its numeric evidence.
    seconds, convention, error, versions : float, dict or None, str or None, dict
        Run time, convention, an error that stopped the proof, library versions.
    conclusion_accepted, conclusion_reason : bool, str
        Whether the conclusion follows from the verified steps, and why (not).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> dv = Derivation("EX", "log of a square")
    >>> dv.conclude(dv.claim(sp.log(x**2), 2*sp.log(x), "log rule"))
    >>> cert = dv.certificate()
    >>> cert.verified, cert.failed_steps, cert.to_dict()["verdict"]
    (True, [], 'verified')
    """

    theorem_id: str
    title: str
    statement: Any
    assumptions: list[str]
    provenance: str
    steps: list[Step]
    seconds: float
    convention: dict | None = None
    sources: list[str] = dataclasses.field(default_factory=list)
    error: str | None = None
    versions: dict = dataclasses.field(default_factory=library_versions)
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    conclusion_accepted: bool = False
    conclusion_reason: str = ""

    # -- verdicts -------------------------------------------------------------------------
    @property
    def verdict(self) -> str:
        """``refuted`` if a step is refuted; ``verified`` if everything holds; else ``unproven``."""
        checked = [s for s in self.steps if s.checked]
        if any(s.verdict == "refuted" for s in checked):
            return "refuted"
        if self.error is not None or not checked or not all(s.passed for s in checked):
            return "unproven"
        if not self.conclusion_accepted or not all(e.passed for e in self.evidence):
            return "unproven"
        return "verified"

    @property
    def verified(self) -> bool:
        """True iff the verdict is ``verified``."""
        return self.verdict == "verified"

    @property
    def evidence_verdict(self) -> str:
        """``passed``/``failed`` over the evidence section (``none`` when it is empty)."""
        if not self.evidence:
            return "none"
        return "passed" if all(e.passed for e in self.evidence) else "failed"

    @property
    def overrides(self) -> list[dict]:
        """Every override used: ``{"step": i, "reason": ..., "overrides": {...}}``."""
        return [
            {"step": i, "reason": s.reason, "overrides": s.overrides}
            for i, s in enumerate(self.steps, 1)
            if s.overrides
        ]

    def strict_verdict(self) -> str:
        """The verdict under ``--strict``: a verified certificate that uses an override is unproven."""
        v = self.verdict
        return "unproven" if v == "verified" and self.overrides else v

    def reasons(self, strict: bool = False) -> list[str]:
        """Why the certificate is not verified (empty when it is)."""
        out = []
        if self.error:
            out.append(f"error: {self.error}")
        if not any(s.checked for s in self.steps):
            out.append("no checked step")
        for i, s in enumerate(self.steps, 1):
            if s.checked and not s.passed:
                out.append(f"step {i} {s.verdict}: {s.reason}")
        if not self.conclusion_accepted:
            out.append(f"conclusion not accepted: {self.conclusion_reason}")
        for e in self.evidence:
            if not e.passed:
                out.append(f"evidence failed: {e.description}")
        if strict and self.overrides:
            out.append(f"--strict: {len(self.overrides)} step(s) use overrides")
        return out

    @property
    def failed_steps(self) -> list[Step]:
        """The checked steps that are not verified."""
        return [s for s in self.steps if not s.passed]

    @property
    def min_witness_digits(self) -> float:
        """The worst witness agreement over the checked steps (``nan`` without one)."""
        ds = [s.check.witness_digits for s in self.steps if s.check is not None]
        return min(ds) if ds else math.nan

    # -- serialisation --------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The JSON record of the certificate (what ``grsd prove`` writes)."""
        return {
            "id": self.theorem_id,
            "title": self.title,
            "statement": None if self.statement is None else str(self.statement),
            "statement_latex": None if self.statement is None else latex_of(self.statement),
            "conclusion": {"accepted": self.conclusion_accepted, "reason": self.conclusion_reason},
            "assumptions": list(self.assumptions),
            "provenance": self.provenance,
            "sources": list(self.sources),
            "convention": _jsonable(self.convention),
            "steps": [s.to_dict() for s in self.steps],
            "evidence": [e.to_dict() for e in self.evidence],
            "evidence_verdict": self.evidence_verdict,
            "overrides": _jsonable(self.overrides),
            "verdict": self.verdict,
            "strict_verdict": self.strict_verdict(),
            "verified": self.verified,
            "error": self.error,
            "seconds": round(self.seconds, 4),
            "min_witness_digits": _num(self.min_witness_digits),
            "versions": dict(self.versions),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as sorted, indented JSON."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, allow_nan=False) + "\n"

    def write_json(self, path: str | os.PathLike) -> Path:
        """Write :meth:`to_json` to ``path`` atomically; returns the path."""
        return write_atomic(path, self.to_json())

    def to_latex(self, *, standalone: bool = False) -> str:
        """An ``align`` block: each step's reason, verdict and rung in ``\\intertext``, formulas broken."""
        lines = [f"% {self.theorem_id}: {tex_text(self.title)} [{self.provenance}]", f"% verdict: {self.verdict}"]
        body = [
            rf"\intertext{{\textbf{{{tex_text(self.theorem_id)}}}: {tex_text(self.title)} "
            rf"--- verdict: \textbf{{{self.verdict}}}"
            + (rf", strict: {self.strict_verdict()}" if self.overrides else "")
            + "}"
        ]
        for a in self.assumptions:
            body.append(rf"\intertext{{assumption: {tex_text(a)}}}")
        for i, st in enumerate(self.steps, 1):
            head = f"({i}) {st.kind}"
            if st.checked and st.check is not None:
                head += f", {st.verdict}, {st.check.method}"
            if st.overrides:
                head += "; overrides: " + ", ".join(f"{k} = {v}" for k, v in _override_text(st.overrides))
            body.append(rf"\intertext{{{tex_text(head)}: {tex_text(st.reason)}}}")
            stmt = st.statement
            if st.kind == "assumption" and isinstance(stmt, str):
                continue
            if st.lhs is not None:
                body.extend(aligned_rows(st.lhs, st.rhs))
            elif isinstance(stmt, sp.Equality):
                body.extend(aligned_rows(stmt.lhs, stmt.rhs))
            else:
                body.extend(
                    aligned_rows(stmt, sp.true, relation=r"\;")
                    if not isinstance(stmt, str)
                    else [rf"& \text{{{tex_text(stmt)}}}"]
                )
            if st.check is not None and st.check.counterexample is not None:
                cx = st.check.counterexample
                pt = ", ".join(f"{k} = {v}" for k, v in cx.get("point", {}).items())
                body.append(
                    rf"\intertext{{counterexample: {tex_text(pt)}; residual "
                    rf"{tex_text(str(cx.get('residual')))}}}"
                )
        for e in self.evidence:
            body.append(rf"\intertext{{evidence ({e.verdict}, not a proof): {tex_text(e.description)}}}")
        concl = "accepted" if self.conclusion_accepted else "NOT accepted"
        body.append(rf"\intertext{{conclusion ({concl}: {tex_text(self.conclusion_reason)}):}}")
        if self.statement is not None and not isinstance(self.statement, str):
            if isinstance(self.statement, sp.Equality):
                body.extend(aligned_rows(self.statement.lhs, self.statement.rhs))
            else:
                body.append("& " + latex_of(self.statement))
        else:
            body.append(r"& \text{(none)}")
        lines.append(r"\begin{align}")
        lines.append(" \\\\\n".join(_no_empty_rows(body)))
        lines.append(r"\end{align}")
        tex = "\n".join(lines) + "\n"
        if standalone:
            tex = (
                "\\documentclass[10pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
                "\\usepackage{amsmath,amssymb}\n\\allowdisplaybreaks\n\\begin{document}\n" + tex + "\\end{document}\n"
            )
        return tex

    def summary(self, *, strict: bool = False) -> str:
        """One line (plus indented reasons when not verified)."""
        v = self.strict_verdict() if strict else self.verdict
        mwd = self.min_witness_digits
        digits = "exact" if mwd == math.inf else ("-" if not math.isfinite(mwd) else f"{mwd:.1f}")
        n = sum(1 for s in self.steps if s.checked)
        ov = f"  overrides {len(self.overrides)}" if self.overrides else ""
        ev = f"  evidence {self.evidence_verdict}" if self.evidence else ""
        out = (
            f"{self.theorem_id:<10} {v:<9} {self.seconds:7.2f} s  {n:3d} checks  witness {digits:>6} digits"
            f"{ov}{ev}  {self.title}"
        )
        if v != "verified":
            for r in self.reasons(strict=strict):
                out += f"\n    {r}"
            for st in self.steps:
                if st.check is not None and st.check.counterexample is not None:
                    cx = st.check.counterexample
                    out += (
                        f"\n    counterexample for '{st.reason}': {cx.get('point')} "
                        f"residual {_ball_text(cx.get('residual'))}"
                    )
                elif st.check is not None and not st.passed:
                    out += f"\n    failed: {st.reason}: residual {st.check.remainder[:300]}"
        return out

    def __repr__(self) -> str:
        text = (
            f"<Certificate {self.theorem_id} {self.verdict}: {sum(1 for s in self.steps if s.checked)} "
            f"checks, {len(self.overrides)} overrides, {len(self.evidence)} evidence; {self.title}>"
        )
        return text if len(text) < 300 else text[:295] + "...>"

    def _repr_latex_(self) -> str:
        return "$$" + latex_of(self.statement) + r"\quad\text{(" + self.verdict + ")}$$"

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{i}</td><td>{e(s.kind)}</td><td>{e(str(s.verdict or ''))}</td>"
            f"<td>{e(s.reason)}</td><td><code>{e(str(s.statement)[:300])}</code></td></tr>"
            for i, s in enumerate(self.steps, 1)
        )
        return (
            f"<p><b>{e(self.theorem_id)}</b>: {e(self.title)} -- <b>{e(self.verdict)}</b> "
            f"({len(self.overrides)} overrides)</p><table>{rows}</table>"
        )


def _no_empty_rows(rows: list[str]) -> list[str]:
    return [r for r in rows if r.strip()]


def _ball_text(b: Any) -> str:
    if not isinstance(b, dict):
        return str(b)
    return f"[{b.get('mid_re')} + {b.get('mid_im')} i +/- {b.get('rad')}]"


def _override_text(ov: Mapping) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in ov.items()]


# --------------------------------------------------------------------------------------
# derivations
# --------------------------------------------------------------------------------------


class Derivation:
    """A staged, checked derivation; ``certificate()`` closes it.

    Each ``claim``/``zero``/``solution`` step is checked when it is added.  ``define`` and
    ``assume`` record what the derivation starts from; ``evidence`` records numeric evidence;
    ``conclude`` states what was established (it must follow from the verified steps).

    Parameters
    ----------
    theorem_id, title : str
        The theorem's ID and title.
    provenance : str
        One of :data:`PROVENANCES`.
    statement : Any, optional
        The conclusion (``conclude`` sets it).
    assumptions, sources : iterable of str
        Assumptions in words, and references.
    convention : Any, optional
        The convention the derivation is written in.

    Raises
    ------
    InputError
        On an unknown provenance.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> dv = Derivation("EX", "a refuted claim")
    >>> _ = dv.claim(sp.sqrt(x**2), -x, "wrong sign")
    >>> dv.certificate().verdict
    'refuted'
    """

    def __init__(
        self,
        theorem_id: str,
        title: str,
        *,
        provenance: str = "derived",
        statement: Any = None,
        assumptions: Iterable[str] = (),
        sources: Iterable[str] = (),
        convention: Any = None,
    ) -> None:
        if provenance not in PROVENANCES:
            raise InputError(f"provenance must be one of {PROVENANCES}, got {provenance!r}")
        self.theorem_id = theorem_id
        self.title = title
        self.provenance = provenance
        self.statement = statement
        self.assumptions = list(assumptions)
        self.sources = list(sources)
        self.convention = convention
        self.steps: list[Step] = []
        self.evidence_items: list[Evidence] = []
        self._assumption_exprs: list[Any] = []
        self._frozen: dict[int, tuple] = {}  # the checks as recorded (a proof may not edit them)
        self._t0 = time.perf_counter()

    # -- recording ------------------------------------------------------------------------
    def assume(self, text: str, expr: Any = None) -> Step:
        """Record an assumption (text, and optionally the SymPy relation it stands for)."""
        self.assumptions.append(text)
        if expr is not None:
            self._assumption_exprs.append(expr)
        st = Step("assumption", expr if expr is not None else text, text)
        self.steps.append(st)
        return st

    def define(self, lhs: Any, rhs: Any, reason: str) -> Any:
        """Introduce ``lhs := rhs``; returns ``rhs`` for chaining.

        Only a *fresh* name (a symbol or an undefined function application that no earlier step
        uses and that is not defined twice) makes an equality ``conclude`` may use; any other
        ``define`` is recorded as a display line.
        """
        usable = (
            isinstance(lhs, (sp.Symbol, AppliedUndef))
            and not self._in_use(lhs)
            and not (isinstance(rhs, sp.Basic) and rhs.has(lhs))
        )
        self.steps.append(Step("definition", sp.Eq(lhs, rhs, evaluate=False), reason, lhs=lhs, rhs=rhs, usable=usable))
        return rhs

    def _in_use(self, name: Any) -> bool:
        for st in self.steps:
            for part in (st.statement, st.lhs, st.rhs, st.residual):
                if isinstance(part, sp.Basic) and part.has(name):
                    return True
                if isinstance(part, (sp.MatrixBase,)) and any(e.has(name) for e in part):
                    return True
        return False

    def evidence(
        self, description: str, *, passed: bool, data: Mapping[str, Any] | None = None, method: str = ""
    ) -> Evidence:
        """Record numeric evidence (never a proof; a failed item makes the theorem unproven)."""
        if not isinstance(description, str) or not description.strip():
            raise InputError("evidence needs a description")
        ev = Evidence(description, bool(passed), dict(data or {}), method)
        self.evidence_items.append(ev)
        return ev

    def claim(self, lhs: Any, rhs: Any, reason: str, **check_kw: Any) -> Step:
        """Claim ``lhs = rhs`` (recorded as given); checked via the residual ``lhs - rhs``."""
        for side in (lhs, rhs):
            if side is None or isinstance(
                side,
                (list, tuple, dict, set, str, sp.Rel, sp.logic.boolalg.BooleanFunction, sp.logic.boolalg.BooleanAtom),
            ):
                raise InputError(
                    f"a claim's sides must be expressions or matrices, got {type(side).__name__}: {side!r:.80}"
                )
        if (
            isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase)
            and not (isinstance(rhs, sp.MatrixBase) and rhs.is_zero_matrix is None)
            and not (isinstance(lhs, sp.MatrixBase) and sp.sympify(rhs, strict=True) == 0)
        ):
            raise InputError("a claim compares a matrix with a scalar")
        if isinstance(lhs, sp.MatrixBase) and not isinstance(rhs, sp.MatrixBase):  # Matrix = 0: the zero matrix
            rhs = sp.zeros(*lhs.shape)
        if isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase) and lhs.shape != rhs.shape:
            raise InputError(f"a claim's matrices differ in shape: {lhs.shape} vs {rhs.shape}")
        if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
            L, R = sp.ImmutableMatrix(lhs), sp.ImmutableMatrix(rhs)
            stmt = sp.Eq(L, R, evaluate=False)
            residual = sp.Matrix(lhs) - sp.Matrix(rhs)
            sides = None
        else:
            L, R = sp.sympify(lhs, strict=True), sp.sympify(rhs, strict=True)
            stmt = sp.Eq(L, R, evaluate=False)
            residual = L - R
            sides = (L, R)
        return self._checked(Step("claim", stmt, reason, residual=residual, lhs=L, rhs=R), check_kw, sides)

    def zero(self, expr: Any, reason: str, *, statement: Any = None, **check_kw: Any) -> Step:
        """Claim ``expr = 0`` (``statement`` is what is printed; defaults to ``expr = 0``).

        A custom ``statement`` ``Eq(a, b)`` may be used by ``conclude`` only when ``a - b - expr``
        expands to zero (otherwise it is a display text for the residual).
        """
        if isinstance(expr, sp.MatrixBase):
            L, R = sp.ImmutableMatrix(expr), sp.ImmutableMatrix(sp.zeros(*expr.shape))
        else:
            L, R = sp.sympify(expr, strict=True), sp.Integer(0)
        stmt = statement if statement is not None else sp.Eq(L, R, evaluate=False)
        usable = statement is None or _statement_matches(statement, expr)
        return self._checked(Step("claim", stmt, reason, residual=expr, lhs=L, rhs=R, usable=usable), check_kw)

    def solution(self, statement: Any, residual: Any, reason: str, **check_kw: Any) -> Step:
        """A solver's result, checked by substituting it back (``residual`` must vanish).

        ``conclude`` may use ``statement`` only when it is ``Eq(a, b)`` with ``a - b`` equal to the
        residual (up to sign and expansion); otherwise it is the author's reading, shown but unused.
        """
        usable = _statement_matches(statement, residual)
        return self._checked(Step("solution", statement, reason, residual=residual, usable=usable), check_kw)

    def _checked(self, st: Step, kw: dict, sides: tuple[Any, Any] | None = None) -> Step:
        """Check ``st.residual`` with the check options ``kw`` and record the step with its check."""
        allowed = {"side_conditions", "force", "domains", "witness", "witness_name", "generic", "functions", "points"}
        bad = set(kw) - allowed
        if bad:
            raise InputError(f"unknown check option(s) {sorted(bad)}; valid: {sorted(allowed)}")
        side = tuple(kw.get("side_conditions") or ())
        for c in side:
            if not isinstance(c, (sp.Basic, str)):
                raise InputError(f"a side condition must be a SymPy relation or text, got {c!r}")
        t0 = time.perf_counter()
        chk = _CHECK_ZERO(
            st.residual,
            domains=kw.get("domains"),
            functions=kw.get("functions"),
            witness=kw.get("witness"),
            witness_name=kw.get("witness_name"),
            force=kw.get("force"),
            points=kw.get("points") or WITNESS_POINTS,
            side_conditions=[c for c in side if isinstance(c, sp.Basic)],
            sides=sides,
        )
        overrides: dict[str, Any] = {}
        if chk.forced:
            overrides["force"] = f"forced rewrite used: {chk.method}"
        if kw.get("domains"):
            overrides["domains"] = {str(k): [str(v) for v in rng] for k, rng in kw["domains"].items()}
        if kw.get("witness") is not None:
            overrides["witness"] = chk.custom_witness
        if kw.get("functions"):
            overrides["functions"] = {str(k): str(v) for k, v in kw["functions"].items()}
        if kw.get("generic") is not None:
            overrides["generic"] = str(kw["generic"])
        if side:
            overrides["side_conditions"] = [str(c) for c in side]
        if kw.get("points") and kw["points"] < WITNESS_POINTS:
            overrides["points"] = f"{kw['points']} witness points (default {WITNESS_POINTS})"
        st.check, st.overrides, st.seconds = chk, overrides, time.perf_counter() - t0
        st._side = tuple(c for c in side if isinstance(c, sp.Basic))
        self.steps.append(st)
        self._frozen[id(st)] = (st, json.dumps(chk.to_dict(), sort_keys=True, default=str), chk)
        return st

    def conclude(self, statement: Any) -> None:
        """State what the derivation established; it must follow from the verified steps.

        Accepted: one of the verified claims (``Eq``, either way round), an ``Eq(a, b)`` linked by
        a chain of verified claims and definitions, ``Implies(H, C)`` with ``H`` a recorded
        assumption's relation, or ``And`` of accepted statements.  Otherwise the certificate is
        unproven (:mod:`grsd_sym.certify.conclusion`).
        """
        if isinstance(statement, Step):
            statement = statement.statement
        self.statement = statement

    @property
    def ok(self) -> bool:
        """True while every checked step so far has passed."""
        return all(s.passed for s in self.steps)

    def _conditional(self) -> list[tuple[list, tuple[Any, Any]]]:
        """Equalities verified under side conditions: usable only under ``Implies(conditions, ...)``."""
        out = []
        for s in self.steps:
            conds = s.overrides.get("side_conditions")
            if conds and s.checked and s.passed and s.usable and isinstance(s.statement, sp.Equality):
                out.append((list(s._side), (s.statement.lhs, s.statement.rhs)))
        return out

    def _equalities(self) -> list[tuple[Any, Any]]:
        out = []
        for s in self.steps:
            if s.kind == "definition":
                if s.usable:
                    out.append((s.lhs, s.rhs))
            elif (
                s.checked
                and s.passed
                and s.usable
                and isinstance(s.statement, sp.Equality)
                and not s.overrides.get("side_conditions")
            ):
                out.append((s.statement.lhs, s.statement.rhs))
                if s.lhs is not None and (s.lhs, s.rhs) != (s.statement.lhs, s.statement.rhs):
                    out.append((s.lhs, s.rhs))
        return out

    # -- closing --------------------------------------------------------------------------
    def _tampered(self) -> str | None:
        """A message if a recorded check was replaced or edited after it was recorded."""
        for i, st in enumerate(self.steps, 1):
            if st.check is None:
                continue
            rec = self._frozen.get(id(st))
            if rec is None or rec[0] is not st:
                return f"step {i} was not recorded by claim/zero/solution"
            if st.check is not rec[2] or json.dumps(st.check.to_dict(), sort_keys=True, default=str) != rec[1]:
                return f"step {i}'s check was modified after it was recorded"
        return None

    def certificate(self, error: str | None = None) -> Certificate:
        """Close the derivation: its :class:`Certificate` (``error``: why a proof stopped early)."""
        conv = self.convention
        tampered = self._tampered()
        if tampered is not None:
            error = f"{error}; {tampered}" if error else tampered
        if conv is not None and hasattr(conv, "to_dict"):
            conv = conv.to_dict()
        try:
            accepted, why = accept_conclusion(
                self.statement, self._equalities(), self._assumption_exprs, self._conditional()
            )
        except Exception as exc:  # a malformed statement is a rejected conclusion, not a crash
            accepted, why = False, f"cannot check the conclusion: {type(exc).__name__}: {exc}"
        return Certificate(
            theorem_id=self.theorem_id,
            title=self.title,
            statement=self.statement,
            assumptions=list(self.assumptions),
            provenance=self.provenance,
            steps=list(self.steps),
            seconds=time.perf_counter() - self._t0,
            convention=conv,
            sources=list(self.sources),
            error=error,
            evidence=list(self.evidence_items),
            conclusion_accepted=accepted,
            conclusion_reason=why,
        )


_CHECK_ZERO = check_zero  # bound at import: a proof that replaces ``check_zero`` does not change checks


def _statement_matches(statement: Any, expr: Any) -> bool:
    if not isinstance(statement, sp.Equality) or isinstance(expr, sp.MatrixBase):
        return False
    try:
        return (
            sp.expand(statement.lhs - statement.rhs - sp.sympify(expr, strict=True)) == 0
            or sp.expand(statement.rhs - statement.lhs - sp.sympify(expr, strict=True)) == 0
        )
    except Exception:
        return False
