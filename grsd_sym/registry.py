"""The proof registry: theorem IDs -> derivation functions, discovered from ``proofs/``.

A proof module (one per theorem ID, in ``proofs/``; or a user's own file) defines one or more
functions decorated with :func:`theorem`.  Each takes a fresh
:class:`~grsd_sym.certificate.Derivation` and records its steps on it::

    import sympy as sp
    from grsd_sym import theorem

    @theorem("MY-1", "derivative of x^2", provenance="derived")
    def prove(d):
        x = sp.Symbol("x", positive=True)
        d.claim(sp.diff(x**2, x), 2*x, "power rule")
        d.conclude(sp.Eq(sp.Derivative(x**2, x), 2*x))

Adding a theorem is adding one module: the registry loads every ``*.py`` file of the proofs
folder (``proofs/`` in a source checkout, ``grsd_sym/_proofs`` in an installed wheel) and
collects the decorated functions.  Modules are loaded by path, so a user's file goes through
exactly the same machinery (``grsd prove path/to/my_proof.py``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Iterable

from grsd_sym.certificate import PROVENANCES, Certificate, Derivation
from grsd_sym.errors import InputError, ProofLoadError, UnknownTheoremError

__all__ = [
    "Theorem",
    "theorem",
    "proofs_dir",
    "load_file",
    "builtin_theorems",
    "get_theorem",
    "resolve",
    "run_theorem",
]

_ATTR = "__grsd_theorem__"


@dataclasses.dataclass(frozen=True)
class Theorem:
    """A registered theorem: stable ID, title, provenance and the function deriving it."""

    id: str
    title: str
    provenance: str
    func: Callable[[Derivation], object]
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    module: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "provenance": self.provenance,
                "module": self.module}


def theorem(
    id: str,
    title: str,
    *,
    provenance: str = "derived",
    assumptions: Iterable[str] = (),
    sources: Iterable[str] = (),
) -> Callable[[Callable[[Derivation], object]], Callable[[Derivation], object]]:
    """Mark ``func(derivation)`` as the proof of theorem ``id``."""
    if provenance not in PROVENANCES:
        raise InputError(f"provenance must be one of {PROVENANCES}, got {provenance!r}")
    if not isinstance(id, str) or not id.strip():
        raise InputError("a theorem needs a non-empty string ID")

    def deco(func: Callable[[Derivation], object]) -> Callable[[Derivation], object]:
        setattr(func, _ATTR, Theorem(id, title, provenance, func, tuple(assumptions),
                                     tuple(sources), getattr(func, "__module__", "")))
        return func

    return deco


def proofs_dir() -> Path:
    """The folder holding the built-in proof modules (source checkout or installed wheel)."""
    here = Path(__file__).resolve().parent
    for cand in (here / "_proofs", here.parent / "proofs"):
        if cand.is_dir() and any(cand.glob("*.py")):
            return cand
    raise ProofLoadError(f"no proofs folder found next to {here} (looked for _proofs/ and ../proofs/)")


def _id_key(tid: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", tid))


def load_file(path: str | Path) -> list[Theorem]:
    """Load a proof module by path and return its theorems (in ID order)."""
    path = Path(path)
    if not path.is_file():
        raise ProofLoadError(f"no such proof file: {path}")
    if path.suffix != ".py":
        raise ProofLoadError(f"a proof file must be a .py module, got {path.name}")
    modname = "grsd_sym_proof_" + re.sub(r"\W", "_", str(path.resolve()))
    spec = importlib.util.spec_from_file_location(modname, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ProofLoadError(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception as exc:
        sys.modules.pop(modname, None)
        raise ProofLoadError(f"{path}: failed to import: {type(exc).__name__}: {exc}") from exc
    found = []
    for obj in vars(mod).values():
        th = getattr(obj, _ATTR, None)
        if isinstance(th, Theorem):
            found.append(dataclasses.replace(th, module=str(path)))
    if not found:
        raise ProofLoadError(f"{path} defines no theorem (decorate a function with @grsd_sym.theorem)")
    return sorted(found, key=lambda th: _id_key(th.id))


_BUILTIN: dict[str, Theorem] | None = None


def builtin_theorems() -> dict[str, Theorem]:
    """All built-in theorems keyed by ID, in ID order (loaded once)."""
    global _BUILTIN
    if _BUILTIN is None:
        found: dict[str, Theorem] = {}
        for f in sorted(proofs_dir().glob("*.py")):
            if f.name.startswith("_"):
                continue
            for th in load_file(f):
                if th.id in found:
                    raise ProofLoadError(f"theorem {th.id} defined twice: {found[th.id].module} and {f}")
                found[th.id] = th
        _BUILTIN = dict(sorted(found.items(), key=lambda kv: _id_key(kv[0])))
    return _BUILTIN


def get_theorem(tid: str) -> Theorem:
    reg = builtin_theorems()
    key = tid.strip()
    if key not in reg and not key.upper().startswith("GRSD-"):
        key = "GRSD-" + key.upper()  # accept the short form "T4"
    if key not in reg:
        raise UnknownTheoremError(f"unknown theorem {tid!r}; valid IDs: {', '.join(reg)}")
    return reg[key]


def resolve(items: Iterable[str]) -> list[Theorem]:
    """Theorem IDs and/or paths of proof files -> theorems (all built-ins if empty)."""
    items = list(items)
    if not items:
        return list(builtin_theorems().values())
    out: list[Theorem] = []
    for it in items:
        if it.endswith(".py") or Path(it).is_file():
            out.extend(load_file(it))
        else:
            out.append(get_theorem(it))
    return out


def run_theorem(th: Theorem) -> Certificate:
    """Run one proof and return its certificate (an exception becomes an unverified one)."""
    dv = Derivation(th.id, th.title, provenance=th.provenance, assumptions=th.assumptions,
                    sources=th.sources)
    t0 = time.perf_counter()
    try:
        th.func(dv)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        cert = dv.certificate(error=f"{type(exc).__name__}: {exc}{where}")
    else:
        cert = dv.certificate()
    cert.seconds = time.perf_counter() - t0
    return cert
