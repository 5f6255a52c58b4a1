"""Derivations as checked steps, and the certificates they produce.

A *derivation* is a sequence of :class:`Step` objects.  A checked step carries a SymPy
*residual* that must vanish; nothing counts as derived until

1. the residual is shown to be **exactly** zero symbolically (by a ladder of simplifications,
   the one that succeeded is recorded), and
2. a **numeric witness** agrees: the residual evaluated at random rational points with mpmath
   at :data:`WITNESS_DPS` digits is zero to at least :data:`REQUIRED_DIGITS` digits relative to
   the size of its terms.  Undefined functions (``Phi(lambda*t)``, ``g(lambda, t)``) are replaced
   by random smooth concrete functions for the witness, so identities that hold "for every
   ``Phi``" are tested on several.

Both must pass: a symbolic simplifier can be wrong (docs/theory/traps.md), and a numeric witness
alone proves nothing.

A :class:`Certificate` bundles the theorem ID, statement, assumptions, provenance, steps,
verdict, timing and library versions; it serialises to JSON (stable key order, written
atomically) and to LaTeX (an ``align`` block, one step a line with its reason).

Example, a user's derivation (this is what ``grsd prove my_proof.py`` runs):

>>> import sympy as sp
>>> from grsd_sym.certificate import Derivation
>>> x = sp.Symbol("x", positive=True)
>>> dv = Derivation("MY-1", "derivative of x^2", provenance="derived")
>>> _ = dv.claim(sp.diff(x**2, x), 2*x, "power rule")
>>> dv.certificate().verified
True
>>> bad = Derivation("MY-2", "a wrong claim", provenance="derived")
>>> _ = bad.claim(sp.diff(x**2, x), 3*x, "wrong on purpose")
>>> bad.certificate().verified
False
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import platform
import random
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy
import sympy as sp
from sympy.core.function import AppliedUndef

from grsd_sym.errors import DerivationError, InputError

__all__ = [
    "WITNESS_DPS",
    "REQUIRED_DIGITS",
    "PROVENANCES",
    "Check",
    "Step",
    "Certificate",
    "Derivation",
    "check_zero",
    "numeric_witness",
    "symbolic_zero",
    "library_versions",
    "write_atomic",
]

#: working precision (decimal digits) of the numeric witness
WITNESS_DPS = 50
#: digits of agreement the witness must show
REQUIRED_DIGITS = 25
#: number of random points per witness
WITNESS_POINTS = 4
#: allowed provenance tags (docs/theory/index.md)
PROVENANCES = ("paper", "derived", "defined")

_Expr = Any  # sympy Basic, Matrix, or a Python number


# --------------------------------------------------------------------------------------
# symbolic zero
# --------------------------------------------------------------------------------------


def _entries(expr: _Expr) -> list[sp.Basic]:
    """Flatten a residual (expression, Matrix, Eq, sequence) into scalar expressions."""
    if isinstance(expr, sp.Equality):
        return [sp.sympify(expr.lhs - expr.rhs)]
    if isinstance(expr, (sp.MatrixBase, sp.NDimArray)):
        return [sp.sympify(e) for e in expr]
    if isinstance(expr, (list, tuple)):
        out: list[sp.Basic] = []
        for e in expr:
            out.extend(_entries(e))
        return out
    if isinstance(expr, sp.matrices.expressions.MatrixExpr):
        return [sp.sympify(expr)]
    return [sp.sympify(expr)]


def _all_positive(expr: sp.Basic) -> bool:
    return all(sym.is_positive for sym in expr.free_symbols)


def _ladder(expr: sp.Basic, force: bool) -> list[tuple[str, Callable[[sp.Basic], sp.Basic]]]:
    rungs: list[tuple[str, Callable[[sp.Basic], sp.Basic]]] = [
        ("as is", lambda e: e),
        ("doit+expand", lambda e: sp.expand(e.doit())),
        ("cancel", lambda e: sp.cancel(sp.together(e.doit()))),
        ("powsimp+expand", lambda e: sp.expand(sp.powsimp(sp.expand(e.doit())))),
        ("trigsimp", lambda e: sp.trigsimp(sp.expand(e.doit()))),
    ]
    if force:
        rungs += [
            ("powsimp(force)", lambda e: sp.expand(sp.powsimp(sp.expand_power_base(
                sp.expand(e.doit()), force=True), force=True))),
            ("powdenest(force)", lambda e: sp.expand(sp.powdenest(sp.expand(e.doit()), force=True))),
            ("expand_log(force)", lambda e: sp.expand(sp.expand_log(e.doit(), force=True))),
            ("log coordinates", _log_coordinates),
        ]
    rungs += [
        ("simplify", lambda e: sp.simplify(e.doit())),
    ]
    return rungs


def _log_coordinates(expr: sp.Basic) -> sp.Basic:
    """Substitute ``x = exp(X)`` for every positive symbol and simplify exponents.

    Power expressions with symbolic exponents often vanish only after this change of
    variables (docs/theory/traps.md).  Valid because every substituted symbol is positive.
    """
    reps = {}
    for sym in expr.free_symbols:
        if sym.is_positive:
            reps[sym] = sp.exp(sp.Dummy(f"log_{sym.name}", real=True))
    e = expr.doit().subs(reps)
    e = sp.powsimp(sp.expand(e), force=True)
    e = sp.expand(sp.simplify(e))
    return e


def symbolic_zero(expr: _Expr, *, force: bool | None = None) -> tuple[bool, str, str]:
    """Try to show that every entry of ``expr`` is identically zero.

    Returns ``(ok, method, remainder)``: the simplification rung that succeeded (for the
    hardest entry) and, on failure, the printed remainder of the first entry that did not
    vanish.  ``force`` enables ``force=True`` power/log rewrites; by default only when every
    free symbol of the entry is declared positive (where those rewrites are valid).
    """
    methods: list[str] = []
    for entry in _entries(expr):
        if entry.is_commutative is False or any(not s.is_commutative for s in entry.free_symbols):
            rem = sp.expand(entry)
            if rem == 0:
                methods.append("noncommutative expand")
                continue
            return False, "noncommutative expand", str(rem)
        use_force = _all_positive(entry) if force is None else force
        last = entry
        for name, rung in _ladder(entry, use_force):
            try:
                last = rung(entry)
            except Exception:  # a rung that raises is just a rung that did not help
                continue
            if last == 0:
                methods.append(name)
                break
        else:
            return False, "none", str(last)
    order = [n for n, _ in _ladder(sp.Integer(0), True)] + ["noncommutative expand"]
    hardest = max(methods, key=order.index) if methods else "as is"
    return True, hardest, "0"


# --------------------------------------------------------------------------------------
# numeric witness
# --------------------------------------------------------------------------------------


def _random_rational(rng: random.Random, sym: sp.Symbol, domain: tuple | None) -> sp.Rational:
    if domain is not None:
        lo, hi = (sp.Rational(x) for x in domain)
        q = 97
        return lo + (hi - lo) * sp.Rational(rng.randint(1, q - 1), q)
    if sym.is_integer:
        if sym.is_positive:
            return sp.Integer(rng.randint(1, 5))
        if sym.is_nonzero:
            return sp.Integer(rng.choice([-3, -2, -1, 1, 2, 3]))
        return sp.Integer(rng.randint(-3, 3))
    val = sp.Rational(rng.randint(13, 290), 97)  # in (0.13, 3): moderate, generic
    if sym.is_positive or sym.is_nonnegative:
        return val
    return val if rng.random() < 0.5 else -val


def _function_template(nargs: int, tag: str) -> tuple[sp.Lambda, list[tuple[sp.Symbol, tuple]]]:
    """A smooth concrete function of ``nargs`` arguments with symbolic coefficients.

    ``f(w) = (q0 + sum_i q_i w_i + sum_{i<=j} q_ij w_i w_j) * exp(sum_i r_i w_i)``; the
    coefficients are drawn afresh at every witness point (ranges returned beside them).
    The exponential factor keeps it non-polynomial, so identities that hold only for
    low-degree polynomials are not mistaken for identities.
    """
    xs = sp.symbols(f"w0:{nargs}")
    coeffs: list[tuple[sp.Symbol, tuple]] = []

    def coef(name: str, rng_: tuple) -> sp.Symbol:
        c = sp.Dummy(f"{tag}_{name}", real=True)
        coeffs.append((c, rng_))
        return c

    poly = coef("q0", (sp.Rational(5, 4), sp.Rational(15, 4)))
    poly += sum(coef(f"q{i}", (-1, 1)) * x for i, x in enumerate(xs))
    poly += sum(coef(f"q{i}{j}", (-sp.Rational(1, 2), sp.Rational(1, 2))) * xs[i] * xs[j]
                for i in range(nargs) for j in range(i, nargs))
    expo = sum(coef(f"r{i}", (-sp.Rational(1, 2), sp.Rational(1, 2))) * x for i, x in enumerate(xs))
    return sp.Lambda(xs, poly * sp.exp(expo)), coeffs


def _majorant(e: sp.Basic) -> sp.Basic:
    """An expression for the sum of the absolute values of the terms of ``e``.

    Built structurally (``|a + b| <= |a| + |b|``, ``|a b| = |a| |b|``) without expanding, so
    that the scale of a residual that cancels inside a product is measured correctly.
    """
    if e.is_Add:
        return sp.Add(*[_majorant(x) for x in e.args], evaluate=False)
    if e.is_Mul:
        return sp.Mul(*[_majorant(x) for x in e.args], evaluate=False)
    if e.is_Pow and e.exp.is_Integer and e.exp > 0:
        return sp.Pow(_majorant(e.base), e.exp, evaluate=False)
    return sp.Abs(e, evaluate=False)


def _concretize(entry: sp.Basic, functions: Mapping | None) -> tuple[sp.Basic, list]:
    """Replace every undefined function by a concrete template and evaluate derivatives.

    Returns the concrete expression and the template coefficients with their ranges.
    """
    fn_reps: dict = {}
    coeffs: list = []
    for app in sorted(entry.atoms(AppliedUndef), key=str):
        f = app.func
        if f in fn_reps:
            continue
        if functions and f in functions:
            fn_reps[f] = functions[f]
        else:
            lam, cs = _function_template(len(app.args), str(f))
            fn_reps[f] = lam
            coeffs.extend(cs)
    if not fn_reps:
        return (entry.doit() if entry.has(sp.Derivative, sp.Subs) else entry), coeffs
    e = entry.replace(lambda x: isinstance(x, AppliedUndef) and x.func in fn_reps,
                      lambda x: fn_reps[x.func](*x.args))
    return e.doit(), coeffs


def numeric_witness(
    expr: _Expr,
    *,
    points: int = WITNESS_POINTS,
    dps: int = WITNESS_DPS,
    seed: int = 20261201,
    domains: Mapping[sp.Symbol, tuple] | None = None,
    functions: Mapping[Any, Callable] | None = None,
) -> float:
    """Evaluate the residual at random rational points; return the worst agreement in digits.

    Free symbols are drawn as random rationals respecting their assumptions (positive,
    integer, nonzero), or uniformly in ``domains[sym] = (lo, hi)``.  Undefined functions are
    replaced by smooth concrete functions with random coefficients (or by ``functions[f]``, a
    ``Lambda``, when given), derivatives are evaluated, and the entry is evaluated with
    mpmath at ``dps`` digits.

    The agreement of an entry is ``-log10(|r| / scale)`` where ``scale`` is the sum of the
    absolute values of its terms (``inf`` for an exactly zero value).  The minimum over all
    entries and points is returned.
    """
    rng = random.Random(seed)
    domains = dict(domains or {})
    worst = math.inf
    for entry in (sp.sympify(e) for e in _entries(expr)):
        if entry == 0:
            continue
        e, coeffs = _concretize(entry, functions)
        if e.has(sp.Derivative, sp.Subs, sp.Integral) or e.atoms(AppliedUndef):
            raise DerivationError(f"numeric witness cannot evaluate {e}")
        if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise DerivationError(f"residual is singular: {e}")
        coeff_syms = {c for c, _ in coeffs}
        syms = sorted(e.free_symbols - coeff_syms, key=lambda z: z.name)
        allargs = syms + [c for c, _ in coeffs]
        try:
            fn = sp.lambdify(allargs, [e, _majorant(e)], modules="mpmath")
        except Exception as exc:  # printer gaps: report, never crash the derivation
            raise DerivationError(f"numeric witness cannot lower {e}: {exc}") from exc
        for _ in range(points):
            vals = [_random_rational(rng, z, domains.get(z)) for z in syms]
            vals += [_random_rational(rng, c, rg) for c, rg in coeffs]
            with mpmath.workdps(dps):
                args = [mpmath.mpf(q.p) / q.q for q in vals]
                try:
                    v, sc = fn(*args)
                except (ZeroDivisionError, ValueError) as exc:
                    raise DerivationError(f"numeric witness hit a singular point: {exc}") from exc
                av, sc = abs(v), abs(sc)
                if not (mpmath.isfinite(av) and mpmath.isfinite(sc)):
                    raise DerivationError(f"numeric witness hit a singular point: value {v}")
                if av == 0:
                    continue
                digits = float(-mpmath.log10(av / sc)) if sc > 0 else -math.inf
            worst = min(worst, digits)
    return worst


# --------------------------------------------------------------------------------------
# steps and checks
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Check:
    """Outcome of checking one residual: symbolic and numeric witnesses."""

    symbolic: bool
    method: str
    remainder: str
    witness_digits: float
    witness_points: int
    custom_witness: str | None = None

    @property
    def passed(self) -> bool:
        return self.symbolic and self.witness_digits >= REQUIRED_DIGITS

    def to_dict(self) -> dict:
        wd = self.witness_digits
        return {
            "symbolic_zero": self.symbolic,
            "method": self.method,
            "remainder": self.remainder,
            "witness_digits": "exact" if wd == math.inf else round(wd, 2),
            "witness_points": self.witness_points,
            "witness": self.custom_witness or "random rational points, mpmath",
            "passed": self.passed,
        }


def check_zero(
    residual: _Expr,
    *,
    domains: Mapping[sp.Symbol, tuple] | None = None,
    functions: Mapping[Any, Callable] | None = None,
    witness: Callable[[random.Random], float] | None = None,
    witness_name: str | None = None,
    force: bool | None = None,
    points: int = WITNESS_POINTS,
) -> Check:
    """Check that ``residual`` vanishes: symbolically, then by a numeric witness.

    ``witness`` replaces the default witness with a callable ``rng -> digits`` (used where
    the residual lives in an algebra the default cannot evaluate, e.g. non-commutative
    symbols standing for matrices: the callable evaluates the identity on random matrices).
    """
    ok, method, remainder = symbolic_zero(residual, force=force)
    if witness is not None:
        digits = float(witness(random.Random(1234)))
        name = witness_name or getattr(witness, "__name__", "custom")
    else:
        try:
            digits = numeric_witness(residual, domains=domains, functions=functions, points=points)
        except DerivationError as exc:
            return Check(ok, method, f"{remainder}; witness failed: {exc}", -math.inf, points)
        name = None
    return Check(ok, method, remainder, digits, points, name)


_TEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}", "%": r"\%",
    "&": r"\&", "#": r"\#", "$": r"\$", "~": r"\~{}",
}


def tex_text(text: str) -> str:
    """Escape plain text for use inside ``\\text{...}``."""
    return "".join(_TEX_ESCAPES.get(ch, ch) for ch in str(text))


def _latex(obj: Any) -> str:
    if isinstance(obj, str):
        return r"\text{" + tex_text(obj) + "}"
    try:
        return sp.latex(obj)
    except Exception:  # pragma: no cover - latex printer gaps
        return str(obj)


@dataclasses.dataclass
class Step:
    """One line of a derivation.

    ``kind`` is ``"claim"`` (checked: its residual must vanish), ``"definition"`` (introduces
    a name; not checked), ``"assumption"`` (taken as given) or ``"solution"`` (a solver's
    result, checked by substitution like a claim).
    """

    kind: str
    statement: Any
    reason: str
    residual: Any = None
    check: Check | None = None
    seconds: float = 0.0

    @property
    def checked(self) -> bool:
        return self.check is not None

    @property
    def passed(self) -> bool:
        return self.check is None or self.check.passed

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "statement": str(self.statement),
            "latex": _latex(self.statement),
            "reason": self.reason,
            "residual": None if self.residual is None else str(self.residual),
            "check": None if self.check is None else self.check.to_dict(),
            "seconds": round(self.seconds, 4),
        }


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "sympy": sp.__version__,
        "numpy": numpy.__version__,
        "mpmath": mpmath.__version__,
    }


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


@dataclasses.dataclass
class Certificate:
    """The record of a derivation: what was claimed, under what assumptions, and whether it held."""

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

    @property
    def verified(self) -> bool:
        """True iff there is no error, at least one checked step, and every check passed."""
        checked = [s for s in self.steps if s.checked]
        return self.error is None and bool(checked) and all(s.passed for s in checked)

    @property
    def failed_steps(self) -> list[Step]:
        return [s for s in self.steps if not s.passed]

    @property
    def min_witness_digits(self) -> float:
        ds = [s.check.witness_digits for s in self.steps if s.check is not None]
        return min(ds) if ds else -math.inf

    def to_dict(self) -> dict:
        mwd = self.min_witness_digits
        return {
            "id": self.theorem_id,
            "title": self.title,
            "statement": str(self.statement),
            "statement_latex": _latex(self.statement),
            "assumptions": list(self.assumptions),
            "provenance": self.provenance,
            "sources": list(self.sources),
            "convention": self.convention,
            "steps": [s.to_dict() for s in self.steps],
            "verified": self.verified,
            "error": self.error,
            "seconds": round(self.seconds, 4),
            "min_witness_digits": "exact" if mwd == math.inf else round(mwd, 2),
            "versions": dict(self.versions),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str) + "\n"

    def write_json(self, path: str | os.PathLike) -> Path:
        return write_atomic(path, self.to_json())

    def to_latex(self) -> str:
        """An ``align`` block: one step a line, its reason, check method and verdict beside it."""
        lines = [
            f"% {self.theorem_id}: {self.title} [{self.provenance}]",
            f"% verified: {self.verified}",
        ]
        for a in self.assumptions:
            lines.append(f"% assumption: {a}")
        lines.append(r"\begin{align}")
        body = []
        for st in self.steps:
            if st.checked:
                mark = r"\checkmark" if st.passed else r"\times"
                tag = f"{mark}\\ \\text{{{tex_text(st.check.method)}}}"
            else:
                tag = f"\\text{{{st.kind}}}"
            stmt = st.statement
            if st.kind == "assumption" and isinstance(stmt, str):
                row = f"& \\text{{{tex_text(stmt)}}}"
                body.append(f"{row} && [{tag}]")
                continue
            if isinstance(stmt, sp.Equality):
                row = f"{_latex(stmt.lhs)} &= {_latex(stmt.rhs)}"
            else:
                row = f"& {_latex(stmt)}"
            body.append(f"{row} && \\text{{{tex_text(st.reason)}}}\\ [{tag}]")
        lines.append(" \\\\\n".join(body))
        lines.append(r"\end{align}")
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        verdict = "verified" if self.verified else "NOT VERIFIED"
        mwd = self.min_witness_digits
        digits = "exact" if mwd == math.inf else f"{mwd:.1f}"
        n = sum(1 for s in self.steps if s.checked)
        out = f"{self.theorem_id:<10} {verdict:<13} {self.seconds:7.2f} s  {n:3d} checks  witness {digits:>6} digits  {self.title}"
        if self.error:
            out += f"\n    error: {self.error}"
        for st in self.failed_steps:
            out += f"\n    failed: {st.reason}: residual {st.check.remainder if st.check else '?'}"
        return out


class Derivation:
    """A staged, checked derivation; ``certificate()`` closes it.

    Each ``claim``/``zero``/``solution`` step is checked when it is added (symbolic zero and
    numeric witness).  ``define`` and ``assume`` record what the derivation starts from.
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
        self._t0 = time.perf_counter()

    # -- recording ------------------------------------------------------------------------
    def assume(self, text: str, expr: Any = None) -> Step:
        """Record an assumption (text, and optionally the SymPy relation it stands for)."""
        self.assumptions.append(text)
        st = Step("assumption", expr if expr is not None else text, text)
        self.steps.append(st)
        return st

    def define(self, lhs: Any, rhs: Any, reason: str) -> Any:
        """Introduce ``lhs := rhs``; returns ``rhs`` for chaining."""
        self.steps.append(Step("definition", sp.Eq(lhs, rhs, evaluate=False), reason))
        return rhs

    def claim(self, lhs: Any, rhs: Any, reason: str, **check_kw: Any) -> Step:
        """Claim ``lhs = rhs``; checked via the residual ``lhs - rhs``."""
        if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
            stmt = sp.Eq(sp.ImmutableMatrix(lhs), sp.ImmutableMatrix(rhs), evaluate=False)
            residual = sp.Matrix(lhs) - sp.Matrix(rhs)
        else:
            stmt = sp.Eq(lhs, rhs, evaluate=False)
            residual = sp.sympify(lhs) - sp.sympify(rhs)
        return self._checked("claim", stmt, residual, reason, check_kw)

    def zero(self, expr: Any, reason: str, *, statement: Any = None, **check_kw: Any) -> Step:
        """Claim ``expr = 0`` (``statement`` is what is printed; defaults to ``expr = 0``)."""
        stmt = statement if statement is not None else sp.Eq(expr, 0, evaluate=False) \
            if not isinstance(expr, sp.MatrixBase) else sp.Eq(sp.ImmutableMatrix(expr),
                                                             sp.zeros(*expr.shape), evaluate=False)
        return self._checked("claim", stmt, expr, reason, check_kw)

    def solution(self, statement: Any, residual: Any, reason: str, **check_kw: Any) -> Step:
        """A solver's result, checked by substituting it back (``residual`` must vanish)."""
        return self._checked("solution", statement, residual, reason, check_kw)

    def _checked(self, kind: str, stmt: Any, residual: Any, reason: str, kw: dict) -> Step:
        t0 = time.perf_counter()
        chk = check_zero(residual, **kw)
        st = Step(kind, stmt, reason, residual=residual, check=chk,
                  seconds=time.perf_counter() - t0)
        self.steps.append(st)
        return st

    def conclude(self, statement: Any) -> None:
        """Set the theorem's statement (what the derivation established)."""
        self.statement = statement

    @property
    def ok(self) -> bool:
        """True while every checked step so far has passed."""
        return all(s.passed for s in self.steps)

    # -- closing --------------------------------------------------------------------------
    def certificate(self, error: str | None = None) -> Certificate:
        conv = self.convention
        if conv is not None and hasattr(conv, "to_dict"):
            conv = conv.to_dict()
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
        )
