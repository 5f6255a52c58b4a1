"""A hard time budget: run a computation in a child process and kill it at the deadline.

An alarm signal raised inside SymPy can be swallowed by a broad ``except`` deep in its
integrator or simplifier (``grsd solve transport --b 9973/10000`` once ran past 280 s with a
60 s alarm).  A child process cannot swallow ``SIGKILL``: :func:`run_with_budget` forks, runs
the function there, sends the result back through a pipe and kills the child when the budget
is spent.  The result must be picklable (SymPy expressions, numpy arrays and plain data are).

Exceptions raised in the child are re-raised in the parent (the project's own types keep their
class and message).  ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM turned into it by the ``grsd``
command) in the parent kills the child before propagating.

>>> from grsd_sym.budget import run_with_budget
>>> run_with_budget(sum, [1, 2, 3], seconds=30)
6
>>> import time
>>> run_with_budget(time.sleep, 10, seconds=0.5, what="a nap")
Traceback (most recent call last):
...
grsd_sym.errors.BudgetExceededError: a nap did not finish within the time budget of 0.5 s (stopped)
"""

from __future__ import annotations

import os
import pickle
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from grsd_sym.errors import BudgetExceededError, GRSDError, InputError

__all__ = ["DEFAULT_BUDGET_SECONDS", "MAX_BUDGET_SECONDS", "check_budget", "run_with_budget"]

T = TypeVar("T")

#: the default budget of a symbolic computation started from the command line
DEFAULT_BUDGET_SECONDS = 60.0
#: the largest budget accepted (a day)
MAX_BUDGET_SECONDS = 86400.0


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    result: tuple[Any, ...]
    try:
        result = ("ok", fn(*args, **kwargs))
    except BaseException as exc:
        result = ("err", exc, type(exc).__name__, str(exc), traceback.format_exc(limit=8))
    try:
        conn.send(result)
    except Exception as exc:
        if result[0] == "ok":
            conn.send(
                (
                    "err",
                    None,
                    type(exc).__name__,
                    f"the result could not be sent back from the child process: {exc}",
                    "",
                )
            )
        else:
            conn.send(("err", None, *result[2:5]))
    finally:
        conn.close()


def _context() -> Any:
    import multiprocessing as mp  # here, not at import: `grsd --help` stays fast

    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def check_budget(seconds: Any, *, name: str = "--timeout") -> float | None:
    """Validate a budget in seconds: a number in ``(0, MAX_BUDGET_SECONDS]``, or None/0/'none' for no budget.

    Parameters
    ----------
    seconds : Any
        The user's value (text or number).
    name : str
        The option's name, for the error message.

    Returns
    -------
    float or None
        The budget, or None for no budget.

    Raises
    ------
    InputError
        For a negative, too large or malformed value.

    Examples
    --------
    >>> check_budget("90"), check_budget("1/2"), check_budget("none")
    (90.0, 0.5, None)
    """
    from grsd_sym.parsing import parse_number

    if seconds is None or (isinstance(seconds, str) and seconds.strip().lower() in ("none", "off")):
        return None
    val = parse_number(seconds, name=name, nonnegative=True, maximum=int(MAX_BUDGET_SECONDS))
    return None if val == 0 else float(val)


def run_with_budget(
    fn: Callable[..., T], *args: Any, seconds: float | None, what: str = "the computation", **kwargs: Any
) -> T:
    """Return ``fn(*args, **kwargs)``, computed in a child process killed after ``seconds``.

    Parameters
    ----------
    fn : callable
        Run in a forked child (on platforms without ``fork``: a spawned one, then ``fn`` and its
        arguments must be picklable).
    seconds : float or None
        The budget; ``None`` runs ``fn`` here, without a child.
    what : str
        Named in the error message.

    Returns
    -------
    The value ``fn`` returned (unpickled from the child).

    Raises
    ------
    BudgetExceededError
        At the deadline (the child is killed with SIGKILL, so nothing inside it can delay this).
    GRSDError
        Whatever project error ``fn`` raised; other exceptions of ``fn`` are re-raised as they were
        (or as :class:`GRSDError` naming them when they cannot be sent back).

    Examples
    --------
    >>> run_with_budget(pow, 2, 10, seconds=30)
    1024
    >>> import time
    >>> run_with_budget(time.sleep, 5, seconds=0.2, what="the nap")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    grsd_sym.errors.BudgetExceededError: the nap ...
    """
    if seconds is None:
        return fn(*args, **kwargs)
    if not (isinstance(seconds, (int, float)) and 0 < seconds <= MAX_BUDGET_SECONDS):
        raise InputError(f"the time budget must be in (0, {MAX_BUDGET_SECONDS:g}] seconds, got {seconds!r}")
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True)
    deadline = time.monotonic() + seconds
    proc.start()
    send.close()
    try:
        msg = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if recv.poll(min(left, 0.5)):
                try:
                    msg = recv.recv()
                except (EOFError, OSError, pickle.UnpicklingError):
                    msg = ("err", None, "ChildProcessError", "the child process died without a result", "")
                break
            if not proc.is_alive() and not recv.poll(0):
                msg = (
                    "err",
                    None,
                    "ChildProcessError",
                    f"the child process died (exit code {proc.exitcode}) without a result",
                    "",
                )
                break
        if msg is None:
            raise BudgetExceededError(f"{what} did not finish within the time budget of {seconds:g} s (stopped)")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        recv.close()
    if msg[0] == "ok":
        return msg[1]
    _, exc, tname, text, tb = msg
    if isinstance(exc, BaseException):
        raise exc
    if os.environ.get("GRSD_DEBUG"):
        text = f"{text}\n{tb}"
    raise GRSDError(f"{what} failed in its child process: {tname}: {text}")
