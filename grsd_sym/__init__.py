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

import importlib
from typing import Any

from grsd_sym.certificate import Certificate, Check, Derivation, Step, check_zero
from grsd_sym.conventions import DEFAULT, PAPER, Convention, convert
from grsd_sym.errors import *  # noqa: F403
from grsd_sym.errors import __all__ as _errors_all
from grsd_sym.registry import (
    Theorem,
    builtin_theorems,
    get_theorem,
    load_file,
    run_theorem,
    theorem,
)

__version__ = "0.1.0"

#: public name -> module it lives in (imported on first access)
_LAZY: dict[str, str] = {
    # symmetry engine and rigidity (GRSD-T9..T12)
    "derive_velocity": "grsd_sym.derive.rigidity",
    "check_velocity": "grsd_sym.derive.rigidity",
    "invariant_form": "grsd_sym.derive.invariants",
    "scaling_group": "grsd_sym.derive.symmetry",
    "time_rescaling_group": "grsd_sym.derive.symmetry",
    "OneParameterGroup": "grsd_sym.derive.symmetry",
    "VectorField": "grsd_sym.derive.symmetry",
    # exact solutions and exponents (GRSD-T13..T17, section 8)
    "solve_first_order": "grsd_sym.derive.characteristics",
    "general_solution": "grsd_sym.theory.transport",
    "TransportParams": "grsd_sym.params",
    "exact_loss": "grsd_sym.derive.loss_quadrature",
    "characteristic_kernel": "grsd_sym.derive.frontier",
    "frontier_constant": "grsd_sym.derive.frontier",
    "transport_loss_exponent": "grsd_sym.derive.frontier",
    "phase_boundary": "grsd_sym.derive.frontier",
    "effective_time_exponent": "grsd_sym.derive.frontier",
    "lazy_loss": "grsd_sym.derive.frontier",
    "truncated_loss": "grsd_sym.derive.scaling",
    "size_floor": "grsd_sym.derive.scaling",
    "exponents": "grsd_sym.derive.exponents",
    "to_grsd": "grsd_sym.literature",
    "from_grsd": "grsd_sym.literature",
    "translate": "grsd_sym.literature",
    # lowering
    "Kernel": "grsd_sym.lower",
    "lower": "grsd_sym.lower",
    # numeric measurement and simulators
    "ShellGrid": "grsd_sym.numeric.shells",
    "assign_shells": "grsd_sym.numeric.shells",
    "shell_energies": "grsd_sym.numeric.shells",
    "measure_shells": "grsd_sym.numeric.velocity",
    "boundary_fluxes": "grsd_sym.numeric.transfer",
    "toeplitz_deviation": "grsd_sym.numeric.couplings",
    "eigen_trajectory": "grsd_sym.numeric.spectra",
    "integrate_flow": "grsd_sym.numeric.flow",
    "TransportProblem": "grsd_sym.numeric.transport",
    "simulate_transport": "grsd_sym.numeric.transport",
    # probe
    "ProbeConfig": "grsd_sym.probe",
    "run_experiment": "grsd_sym.probe",
    # report
    "write_report": "grsd_sym.report",
}

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
    *_errors_all,
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
