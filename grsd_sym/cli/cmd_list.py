"""``grsd list [--json]``: the registered theorems (id, title, provenance)."""

from __future__ import annotations

import argparse
import json

from grsd_sym.registry import builtin_theorems

__all__ = ["HELP", "add_arguments", "run"]

HELP = "list the registered theorems (id, title, provenance)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare ``--json`` on the ``grsd list`` parser.

    Parameters
    ----------
    p
        The ``argparse`` parser of ``list``.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["--json"]).json
    True
    """
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    """Print the built-in theorems: one line each, or JSON.

    Parameters
    ----------
    args : argparse.Namespace
        ``json``: print one JSON list instead of lines.

    Returns
    -------
    int
        Always 0.

    Examples
    --------
    >>> import argparse
    >>> run(argparse.Namespace(json=False))  # doctest: +ELLIPSIS
    GRSD-S8a ...
    0
    """
    ths = list(builtin_theorems().values())
    if args.json:
        print(
            json.dumps(
                [{"id": th.id, "title": th.title, "provenance": th.provenance} for th in ths], indent=2, sort_keys=True
            )
        )
        return 0
    width = max(len(th.id) for th in ths)
    for th in ths:
        print(f"{th.id:<{width}}  [{th.provenance}]  {th.title}")
    return 0
