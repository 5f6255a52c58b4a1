r"""Which conclusions follow from the checked steps of a derivation.

A conclusion is accepted when it is

* one of the checked, verified claims (``Eq(a, b)`` or ``Eq(b, a)``, compared structurally);
* an equality ``Eq(a, b)`` reached by a chain ``a = x_1 = ... = b`` of verified claims and
  definitions (``define``); endpoints are matched structurally or up to ``expand`` (exact
  polynomial algebra);
* ``Implies(H, C)`` where ``H`` is the relation of a recorded assumption and ``C`` is accepted;
* ``And(C_1, ..., C_n)`` where every ``C_i`` is accepted.

Anything else (a number comparison ``Eq(pi, 3)``, which SymPy evaluates to ``False``; free text;
an equality no verified step links) is rejected with the reason.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> eqs = [(x + 1, sp.Symbol("y")), (sp.Symbol("y"), 2 * x)]
>>> accept_conclusion(sp.Eq(x + 1, 2 * x), eqs, [])
(True, 'chain of 2 checked equalities')
>>> accept_conclusion(sp.Eq(sp.pi, 3), eqs, [])[0]
False
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

import sympy as sp

__all__ = ["accept_conclusion"]


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            return bool(
                sp.Matrix(a).shape == sp.Matrix(b).shape
                and (sp.Matrix(a) - sp.Matrix(b)).expand() == sp.zeros(*sp.Matrix(a).shape)
            )
        return sp.expand(sp.sympify(a, strict=True) - sp.sympify(b, strict=True)) == 0
    except Exception:
        return False


def _chain(a: Any, b: Any, equalities: Sequence[tuple[Any, Any]]) -> int | None:
    """Length of the shortest chain of equalities from ``a`` to ``b`` (None if none)."""
    nodes: list[Any] = []
    adj: dict[int, set[int]] = {}

    def index(e: Any) -> int:
        for i, n in enumerate(nodes):
            if n == e:
                return i
        nodes.append(e)
        adj[len(nodes) - 1] = set()
        return len(nodes) - 1

    for lhs, rhs in equalities:
        i, j = index(lhs), index(rhs)
        adj[i].add(j)
        adj[j].add(i)
    starts = [i for i, n in enumerate(nodes) if _same(n, a)]
    ends = {i for i, n in enumerate(nodes) if _same(n, b)}
    if not starts or not ends:
        return None
    dist = dict.fromkeys(starts, 0)
    queue = deque(starts)
    while queue:
        u = queue.popleft()
        if u in ends:
            return dist[u]
        for v in adj[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return None


def accept_conclusion(
    statement: Any,
    equalities: Sequence[tuple[Any, Any]],
    assumptions: Sequence[Any],
    conditional: Sequence[tuple[list, tuple[Any, Any]]] = (),
) -> tuple[bool, str]:
    """Whether ``statement`` follows from the verified ``equalities`` and the ``assumptions``.

    Parameters
    ----------
    statement : the conclusion (``Eq``, ``Implies``, ``And``).
    equalities : ``(lhs, rhs)`` of every verified claim and every definition.
    assumptions : the SymPy relations of the recorded assumptions (hypotheses of ``Implies``).
    conditional : ``(side conditions, (lhs, rhs))`` of claims verified under side conditions: usable
        only inside ``Implies(H, C)`` whose hypotheses ``H`` include those conditions.

    Returns
    -------
    (accepted, reason)

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> accept_conclusion(sp.Eq(y, x**2), [(y, x**2)], [])
    (True, 'one of the checked claims')
    >>> accept_conclusion(sp.Eq(y, x**3), [(y, x**2)], [])[0]
    False
    """
    if statement is None:
        return False, "no conclusion: call conclude(Eq(...)) or pass statement= to the Derivation"
    if isinstance(statement, str):
        return False, f"the conclusion {statement!r} is text, not a checked relation"
    if statement is sp.true or statement is sp.false:
        return False, (
            f"the conclusion evaluates to {statement} (SymPy evaluated it): it is not one of the checked claims"
        )
    if isinstance(statement, sp.Implies):
        hyp, concl = statement.args
        hyps = list(hyp.args) if isinstance(hyp, sp.And) else [hyp]
        side = [c for conds, _ in conditional for c in conds]
        missing = [h for h in hyps if not any(h == a for a in list(assumptions) + side)]
        if missing:
            return False, (
                f"hypothesis {missing[0]} is not a recorded assumption (d.assume(text, expr)) "
                "or a side condition of a claim"
            )
        usable = list(equalities) + [eq for conds, eq in conditional if all(any(c == h for h in hyps) for c in conds)]
        ok, why = accept_conclusion(concl, usable, assumptions)
        return ok, (f"under the recorded assumption; {why}" if ok else why)
    if isinstance(statement, sp.And):
        for part in statement.args:
            ok, why = accept_conclusion(part, equalities, assumptions, conditional)
            if not ok:
                return False, why
        return True, f"conjunction of {len(statement.args)} accepted statements"
    if isinstance(statement, sp.Equality):
        a, b = statement.lhs, statement.rhs
        for lhs, rhs in equalities:
            if (lhs == a and rhs == b) or (lhs == b and rhs == a):
                return True, "one of the checked claims"
        n = _chain(a, b, equalities)
        if n is not None:
            return True, f"chain of {n} checked equalities"
        return False, (
            f"the conclusion {statement} is not one of the checked claims and no chain of "
            "checked equalities links its two sides"
        )
    return False, f"the conclusion {statement} is not an equality, Implies or And of checked claims"
