"""The public API is explicit, typed and documented (numpydoc), module by module.

Read from the source (AST), nothing imported: every module has a literal ``__all__`` (an
import-free package ``__init__`` that only documents its sub-modules is exempt); a top-level
function or class outside ``__all__`` is private (leading underscore); every function in
``__all__`` is fully annotated and its docstring has ``Parameters`` (if it takes any),
``Returns``/``Yields`` (unless it returns None) and ``Examples`` with a doctest; every class in
``__all__`` documents its fields and has an example; its public methods are annotated and have a
docstring.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "grsd_sym"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def _sections(doc: str) -> set[str]:
    return set(re.findall(r"^\s*([A-Z][A-Za-z ]+)\n\s*-{3,}\s*$", doc, flags=re.M))


def _params(f: ast.FunctionDef) -> list[ast.arg]:
    a = f.args
    ps = [x for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")]
    return ps + [x for x in (a.vararg, a.kwarg) if x is not None]


def _is_overload(node: ast.AST) -> bool:
    return any(getattr(d, "id", getattr(d, "attr", None)) == "overload" for d in getattr(node, "decorator_list", []))


def _function_problems(f: ast.FunctionDef, where: str, full_doc: bool) -> list[str]:
    out = [f"{where}: parameter {p.arg!r} not annotated" for p in _params(f) if p.annotation is None]
    if f.returns is None and f.name != "__init__":
        out.append(f"{where}: no return annotation")
    doc = ast.get_docstring(f) or ""
    if not doc:
        return [*out, f"{where}: no docstring"]
    if full_doc:
        sec = _sections(doc)
        if _params(f) and "Parameters" not in sec:
            out.append(f"{where}: no Parameters section")
        returns_none = isinstance(f.returns, ast.Constant) and f.returns.value is None
        if not returns_none and not {"Returns", "Yields"} & sec:
            out.append(f"{where}: no Returns section")
        if "Examples" not in sec or ">>>" not in doc:
            out.append(f"{where}: no Examples section with a doctest")
    return out


def _class_problems(c: ast.ClassDef, where: str) -> list[str]:
    out = []
    doc = ast.get_docstring(c) or ""
    sec = _sections(doc)
    has_fields = any(isinstance(s, ast.AnnAssign) for s in c.body) or any(
        isinstance(s, ast.FunctionDef) and s.name == "__init__" and _params(s) for s in c.body
    )
    is_error = any(getattr(b, "id", "").endswith(("Error", "Exception", "Warning")) for b in c.bases)
    if not doc:
        out.append(f"{where}: no docstring")
    elif has_fields and not {"Parameters", "Attributes"} & sec:
        out.append(f"{where}: fields not documented (Parameters or Attributes)")
    if doc and not is_error and ("Examples" not in sec or ">>>" not in doc):
        out.append(f"{where}: no Examples section with a doctest")
    for s in c.body:
        if isinstance(s, ast.FunctionDef) and not s.name.startswith("_") and not _is_overload(s):
            out += _function_problems(s, f"{where}.{s.name}", full_doc=False)
    return out


def _namespace_package(path: Path, tree: ast.Module) -> bool:
    """An ``__init__`` holding only its docstring: the public API is in its sub-modules."""
    return path.name == "__init__.py" and all(
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in tree.body
    )


def api_problems(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """What the module at ``path`` lacks for an explicit, typed, documented API."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(root)
    if _namespace_package(path, tree):
        return []
    exported: list[str] | None = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and any(getattr(t, "id", "") == "__all__" for t in targets):
            try:
                exported = list(ast.literal_eval(node.value)) if node.value is not None else []
            except ValueError:  # composed from the sub-modules' lists
                exported = []
    out = [] if exported is not None else [f"{rel}: no __all__"]
    exported = exported or []
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for name, node in defs.items():
        where = f"{rel}:{node.lineno} {name}"
        if _is_overload(node):
            continue
        if not name.startswith("_") and name not in exported:
            out.append(f"{where}: public by name but not in __all__")
        elif name in exported and isinstance(node, ast.ClassDef):
            out += _class_problems(node, where)
        elif name in exported:
            out += _function_problems(node, where, full_doc=True)
    return out


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_module_api_is_explicit_typed_and_documented(path):
    assert api_problems(path) == []


def test_the_checker_finds_what_is_missing(tmp_path):
    # the checker itself: a module written to break each rule once is reported for each
    bad = tmp_path / "bad.py"
    bad.write_text(
        '__all__ = ["f", "C"]\n'
        "def f(x, y: int):\n"
        '    """Summary only."""\n'
        "    return x\n"
        "def helper() -> None:\n"
        "    pass\n"
        "class C:\n"
        '    """No sections."""\n'
        "    x: int\n"
        "    def m(self):\n"
        "        return 1\n"
    )
    found = "\n".join(api_problems(bad, root=tmp_path))
    for expected in (
        "parameter 'x' not annotated",
        "f: no return annotation",
        "f: no Parameters section",
        "f: no Returns section",
        "f: no Examples section",
        "helper: public by name but not in __all__",
        "C: fields not documented",
        "C: no Examples section",
        "C.m: no return annotation",
        "C.m: no docstring",
    ):
        assert expected in found, expected
