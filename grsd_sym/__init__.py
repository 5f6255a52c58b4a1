"""grsd_sym: derive, check and measure Generalized Resolution-Shell Dynamics (GRSD).

The package follows one quantity from its symbol to its measurement:

==========================  ==========================================================
module                      job
==========================  ==========================================================
:mod:`.symbols`             canonical SymPy symbols with assumptions
:mod:`.params`              :class:`TransportParams`: the transport problem, exact, validated once
:mod:`.conventions`         :class:`Convention` (eta, d, sigma, h, s0, coordinate), :func:`convert`
:mod:`.certificate`         :class:`Derivation` -> :class:`Certificate`; :func:`check_zero`
:mod:`.registry`            :func:`theorem` decorator, proof discovery, :func:`run_theorem`
:mod:`.theory`              pure SymPy: gradient flow, Kato, shells, transport PDE (T1-T8)
:mod:`.derive`              engines: symmetry/invariants/rigidity (T9-T12), characteristics,
                            frontier, similarity (T13-T17), scaling and compute (section 8)
:mod:`.literature`          literature conventions <-> GRSD ``(kappa, A, d)``
:mod:`.lower`               SymPy -> numpy / mpmath kernels (cse, expm1/log1p, log space)
:mod:`.numeric`             spectra, shells, couplings, flow simulators, FV transport solver
:mod:`.probe`               networks with exact Jacobians and the four diagnostics
:mod:`.strategies`          public Hypothesis strategies (needs ``hypothesis``)
:mod:`.report`              HTML / Markdown derivation report
==========================  ==========================================================

Names listed in :data:`__all__` are importable from here; heavy sub-modules are imported
lazily on first use, so ``import grsd_sym`` (and the ``grsd`` command) stay fast.

>>> import grsd_sym
>>> grsd_sym.Convention(d=1).d
1
"""

from __future__ import annotations

import ast
import importlib
import pathlib
from typing import TYPE_CHECKING, Any

from grsd_sym import errors
from grsd_sym.certificate import Certificate, Check, Derivation, Step, check_zero
from grsd_sym.conventions import DEFAULT, PAPER, Convention, convert
from grsd_sym.errors import *  # noqa: F403
from grsd_sym.registry import Theorem, builtin_theorems, get_theorem, load_file, run_theorem, theorem

if TYPE_CHECKING:  # the lazily imported names, typed for checkers: the one list (_LAZY is read from it)
    from grsd_sym.derive.characteristics import solve_first_order as solve_first_order
    from grsd_sym.derive.exponents import exponents as exponents
    from grsd_sym.derive.frontier import characteristic_kernel as characteristic_kernel
    from grsd_sym.derive.frontier import effective_time_exponent as effective_time_exponent
    from grsd_sym.derive.frontier import frontier_constant as frontier_constant
    from grsd_sym.derive.frontier import lazy_loss as lazy_loss
    from grsd_sym.derive.frontier import phase_boundary as phase_boundary
    from grsd_sym.derive.frontier import transport_loss_exponent as transport_loss_exponent
    from grsd_sym.derive.invariants import invariant_form as invariant_form
    from grsd_sym.derive.loss_quadrature import exact_loss as exact_loss
    from grsd_sym.derive.rigidity import check_velocity as check_velocity
    from grsd_sym.derive.rigidity import derive_velocity as derive_velocity
    from grsd_sym.derive.scaling import size_floor as size_floor
    from grsd_sym.derive.scaling import truncated_loss as truncated_loss
    from grsd_sym.derive.symmetry import OneParameterGroup as OneParameterGroup
    from grsd_sym.derive.symmetry import VectorField as VectorField
    from grsd_sym.derive.symmetry import scaling_group as scaling_group
    from grsd_sym.derive.symmetry import time_rescaling_group as time_rescaling_group
    from grsd_sym.literature import from_grsd as from_grsd
    from grsd_sym.literature import to_grsd as to_grsd
    from grsd_sym.literature import translate as translate
    from grsd_sym.lower import Kernel as Kernel
    from grsd_sym.lower import lower as lower
    from grsd_sym.numeric.couplings import toeplitz_deviation as toeplitz_deviation
    from grsd_sym.numeric.flow import integrate_flow as integrate_flow
    from grsd_sym.numeric.shells import ShellGrid as ShellGrid
    from grsd_sym.numeric.shells import assign_shells as assign_shells
    from grsd_sym.numeric.shells import shell_energies as shell_energies
    from grsd_sym.numeric.spectra import eigen_trajectory as eigen_trajectory
    from grsd_sym.numeric.transfer import boundary_fluxes as boundary_fluxes
    from grsd_sym.numeric.transport import TransportProblem as TransportProblem
    from grsd_sym.numeric.transport import simulate_transport as simulate_transport
    from grsd_sym.numeric.velocity import measure_shells as measure_shells
    from grsd_sym.params import TransportParams as TransportParams
    from grsd_sym.probe import ProbeConfig as ProbeConfig
    from grsd_sym.probe import run_experiment as run_experiment
    from grsd_sym.report import write_report as write_report
    from grsd_sym.theory.transport import general_solution as general_solution

__version__ = "0.1.0"


def _lazy_table() -> dict[str, str]:
    """Public name -> module it lives in, read from the ``if TYPE_CHECKING:`` block above."""
    tree = ast.parse(pathlib.Path(__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    imports = [imp for imp in block.body if isinstance(imp, ast.ImportFrom) and imp.module]
    return {a.name: str(imp.module) for imp in imports for a in imp.names}


#: public name -> module it lives in (imported on first access)
_LAZY: dict[str, str] = _lazy_table()

_SUBMODULES = (
    "symbols",
    "params",
    "theory",
    "derive",
    "literature",
    "lower",
    "numeric",
    "probe",
    "strategies",
    "report",
    "bench",
)

__all__ = [
    "Certificate",
    "Check",
    "Derivation",
    "Step",
    "check_zero",
    "Convention",
    "convert",
    "DEFAULT",
    "PAPER",
    "Theorem",
    "theorem",
    "run_theorem",
    "builtin_theorems",
    "get_theorem",
    "load_file",
    *errors.__all__,
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"grsd_sym.{name}")
    raise AttributeError(f"module 'grsd_sym' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
