"""grsd_sym: derive, check and measure Generalized Resolution-Shell Dynamics (GRSD).

Public API (see the sub-modules for the formulas and theorem IDs):

* :mod:`grsd_sym.certificate`: :class:`Derivation`, :class:`Certificate`, :class:`Step`,
  :func:`check_zero` (symbolic zero + numeric witness);
* :mod:`grsd_sym.registry`: :func:`theorem` (decorator), :func:`run_theorem`, the proof registry;
* :mod:`grsd_sym.conventions`: :class:`Convention`, :func:`convert`;
* :mod:`grsd_sym.symbols`: the canonical SymPy symbols;
* :mod:`grsd_sym.errors`: the exception hierarchy.
"""

from grsd_sym.certificate import Certificate, Check, Derivation, Step, check_zero
from grsd_sym.conventions import DEFAULT, PAPER, Convention, convert
from grsd_sym.errors import *  # noqa: F401,F403
from grsd_sym.errors import __all__ as _errors_all
from grsd_sym.registry import Theorem, builtin_theorems, get_theorem, load_file, run_theorem, theorem

__version__ = "0.1.0"

__all__ = [
    "Certificate", "Check", "Derivation", "Step", "check_zero",
    "Convention", "convert", "DEFAULT", "PAPER",
    "Theorem", "theorem", "run_theorem", "builtin_theorems", "get_theorem", "load_file",
    *_errors_all,
]
