"""Argument checks shared by the probe's modules."""

from __future__ import annotations

import numpy as np

from grsd_sym.errors import InputError

__all__ = ["check_int"]


def check_int(name: str, value: object, minimum: int = 1) -> int:
    """``int(value)`` for an integer (not a bool) ``>= minimum``.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
    minimum : int

    Returns
    -------
    int

    Raises
    ------
    InputError
        Not an integer, a bool, or below ``minimum``.

    Examples
    --------
    >>> check_int("depth", np.int64(3))
    3
    >>> check_int("n_shells", 2, minimum=3)
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: n_shells must be an integer >= 3, got 2
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
