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
from collections.abc import Callable, Iterable
from pathlib import Path

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
    "validate_user_id",
    "MAX_ID_LENGTH",
]

#: longest accepted theorem ID of a user's proof file
MAX_ID_LENGTH = 64
_ID_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")

_ATTR = "__grsd_theorem__"


@dataclasses.dataclass(frozen=True)
class Theorem:
    """A registered theorem: stable ID, title, provenance and the function deriving it.

    Attributes
    ----------
    id, title, provenance : str
        Stable ID (``GRSD-T4``), title, and ``paper``/``derived``/``defined``.
    func : callable
        ``func(derivation)`` derives it.
    assumptions, sources : tuple of str
        Its assumptions in words, and references.
    module : str
        The module or file it was loaded from.
    load_error : str or None
        Why its proof file could not be loaded (an error certificate).

    Examples
    --------
    >>> get_theorem("T4").to_dict()["id"]
    'GRSD-T4'
    """

    id: str
    title: str
    provenance: str
    func: Callable[[Derivation], object]
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    module: str = ""
    load_error: str | None = None  # the proof file could not be loaded: an error certificate

    def to_dict(self) -> dict:
        """``id``, ``title``, ``provenance`` and ``module`` (what ``grsd list --json`` shows)."""
        return {"id": self.id, "title": self.title, "provenance": self.provenance, "module": self.module}


def theorem(
    id: str,
    title: str,
    *,
    provenance: str = "derived",
    assumptions: Iterable[str] = (),
    sources: Iterable[str] = (),
) -> Callable[[Callable[[Derivation], object]], Callable[[Derivation], object]]:
    """Mark ``func(derivation)`` as the proof of theorem ``id``.

    Parameters
    ----------
    id, title : str
        The theorem's ID and title.
    provenance : str
        One of ``paper``, ``derived``, ``defined``.
    assumptions, sources : iterable of str
        Assumptions in words, and references.

    Returns
    -------
    callable
        The decorator (it returns the function unchanged, marked).

    Raises
    ------
    InputError
        On an unknown provenance, or an empty ID.

    Examples
    --------
    >>> @theorem("MY-1", "a trivial theorem")
    ... def prove(d):
    ...     pass
    >>> prove.__grsd_theorem__.title
    'a trivial theorem'
    """
    if provenance not in PROVENANCES:
        raise InputError(f"provenance must be one of {PROVENANCES}, got {provenance!r}")
    if not isinstance(id, str) or not id.strip():
        raise InputError("a theorem needs a non-empty string ID")

    def deco(func: Callable[[Derivation], object]) -> Callable[[Derivation], object]:
        setattr(
            func,
            _ATTR,
            Theorem(id, title, provenance, func, tuple(assumptions), tuple(sources), getattr(func, "__module__", "")),
        )
        return func

    return deco


def proofs_dir() -> Path:
    """The folder holding the built-in proof modules (source checkout or installed wheel).

    Returns
    -------
    pathlib.Path
        ``grsd_sym/_proofs`` in a wheel, ``proofs/`` in a checkout.

    Raises
    ------
    ProofLoadError
        If neither exists.

    Examples
    --------
    >>> (proofs_dir() / "t04_shell_balance.py").is_file()
    True
    """
    here = Path(__file__).resolve().parent
    for cand in (here / "_proofs", here.parent / "proofs"):
        if cand.is_dir() and any(cand.glob("*.py")):
            return cand
    raise ProofLoadError(f"no proofs folder found next to {here} (looked for _proofs/ and ../proofs/)")


def _id_key(tid: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", tid))


def load_file(path: str | Path) -> list[Theorem]:
    """Load a proof module by path and return its theorems (in ID order).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.py`` file.

    Returns
    -------
    list of Theorem
        The theorems it defines.

    Raises
    ------
    ProofLoadError
        If it is missing, not ``.py``, fails to import or defines no theorem.

    Examples
    --------
    >>> [th.id for th in load_file(proofs_dir() / "t04_shell_balance.py")]
    ['GRSD-T4']
    """
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
    except KeyboardInterrupt:  # pragma: no cover - the user's interrupt is not a proof error
        sys.modules.pop(modname, None)
        raise
    except BaseException as exc:  # SystemExit included: a proof file may not end the run
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
    """All built-in theorems keyed by ID, in ID order (loaded once).

    Returns
    -------
    dict of str to Theorem
        ID -> theorem.

    Examples
    --------
    >>> list(builtin_theorems())[:2]
    ['GRSD-S8a', 'GRSD-S8b']
    """
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
    """A built-in theorem by ID; short forms (``T4``, ``t11a``, ``s8a``, ``grsd-t4``) resolve.

    The match ignores case.

    Parameters
    ----------
    tid : str
        The ID.

    Returns
    -------
    Theorem
        The theorem.

    Raises
    ------
    UnknownTheoremError
        For an empty or unknown ID.

    Examples
    --------
    >>> get_theorem("t11a").id
    'GRSD-T11a'
    """
    if not isinstance(tid, str) or not tid.strip():
        raise UnknownTheoremError("a theorem ID must be a non-empty string")
    reg = builtin_theorems()
    key = tid.strip().upper()
    if not key.startswith("GRSD-"):
        key = "GRSD-" + key
    folded = {k.upper(): k for k in reg}
    if key not in folded:
        raise UnknownTheoremError(f"unknown theorem {tid!r}; valid IDs: {', '.join(reg)}")
    return reg[folded[key]]


def validate_user_id(tid: str) -> None:
    """Reject an ID of a user's theorem that cannot name a certificate file or clashes with a built-in.

    Parameters
    ----------
    tid : str
        The user's theorem ID.

    Raises
    ------
    InputError
        Unless it has no path characters, at most :data:`MAX_ID_LENGTH` characters,
        letters/digits/``_.+-`` only, and is not a built-in ID (in any case).

    Examples
    --------
    >>> validate_user_id("MY-1")
    >>> validate_user_id("grsd-t4")
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: theorem ID 'grsd-t4' is a built-in theorem's ID; choose another
    """
    if len(tid) > MAX_ID_LENGTH:
        raise InputError(f"theorem ID {tid[:20]!r}... is longer than {MAX_ID_LENGTH} characters")
    if not _ID_CHARS.fullmatch(tid) or ".." in tid:
        raise InputError(
            f"theorem ID {tid!r} may use only letters, digits and _.+- "
            "(no path characters, no spaces), starting with a letter or digit"
        )
    try:
        builtin = (
            get_theorem(tid)
            if tid.upper().startswith("GRSD-")
            else builtin_theorems().get(next((k for k in builtin_theorems() if k.upper() == tid.upper()), ""))
        )
    except UnknownTheoremError:
        builtin = None
    if builtin is not None:
        raise InputError(f"theorem ID {tid!r} is a built-in theorem's ID; choose another")


def _error_theorem(path: str, message: str) -> Theorem:
    stem = re.sub(r"[^A-Za-z0-9_.+-]", "_", Path(path).stem)[: MAX_ID_LENGTH - 5] or "proof"
    return Theorem(
        f"file-{stem}", f"proof file {Path(path).name}", "derived", _no_proof, module=str(path), load_error=message
    )


def _no_proof(d: Derivation) -> None:  # pragma: no cover - never run: load_error is set
    return None


def resolve(items: Iterable[str]) -> list[Theorem]:
    """Theorem IDs and/or paths of proof files -> theorems (all built-ins if empty).

    A proof file that fails to load (raises, calls ``sys.exit``, defines no theorem) gives a
    theorem carrying ``load_error`` (its certificate is an error certificate); a duplicate ID
    among the user's theorems likewise.

    Parameters
    ----------
    items : iterable of str
        IDs and/or paths.

    Returns
    -------
    list of Theorem
        The theorems, in the order given.

    Raises
    ------
    InputError
        For a bad or built-in ID of a user's theorem.
    UnknownTheoremError, ProofLoadError
        For an unknown ID or a missing file.

    Examples
    --------
    >>> [th.id for th in resolve(["T4", "t11a"])]
    ['GRSD-T4', 'GRSD-T11a']
    """
    items = list(items)
    if not items:
        return list(builtin_theorems().values())
    out: list[Theorem] = []
    seen: dict[str, str] = {}
    for it in items:
        if it.endswith(".py") or Path(it).is_file():
            if not Path(it).is_file():
                raise ProofLoadError(f"no such proof file: {it}")
            try:
                found = load_file(it)
            except ProofLoadError as exc:
                out.append(_error_theorem(it, str(exc)))
                continue
            for th in found:
                validate_user_id(th.id)
                key = th.id.upper()
                if key in seen:
                    out.append(
                        dataclasses.replace(
                            th, load_error=f"duplicate theorem ID {th.id!r} (also defined in {seen[key]})"
                        )
                    )
                    continue
                seen[key] = th.module
                out.append(th)
        else:
            out.append(get_theorem(it))
    return out


def run_theorem(th: Theorem) -> Certificate:
    """Run one proof and return its certificate (an exception becomes an unverified one).

    A theorem with a ``load_error`` gives an error certificate without running anything.

    Parameters
    ----------
    th : Theorem
        The theorem.

    Returns
    -------
    Certificate
        Its certificate.

    Examples
    --------
    >>> run_theorem(get_theorem("T11a")).verdict
    'verified'
    """
    dv = Derivation(th.id, th.title, provenance=th.provenance, assumptions=th.assumptions, sources=th.sources)
    t0 = time.perf_counter()
    if th.load_error is not None:
        cert = dv.certificate(error=th.load_error)
        cert.seconds = time.perf_counter() - t0
        return cert
    try:
        th.func(dv)
    except KeyboardInterrupt:  # pragma: no cover
        raise
    except BaseException as exc:  # SystemExit in a proof is an error certificate, not an exit
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        cert = dv.certificate(error=f"{type(exc).__name__}: {exc}{where}")
    else:
        cert = dv.certificate()
    cert.seconds = time.perf_counter() - t0
    return cert
