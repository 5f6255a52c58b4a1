r"""Pure-SymPy theory objects of GRSD (docs/theory/, sections 1-4; GRSD-T1..T8).

* :mod:`~grsd_sym.theory.microscopic` -- gradient flow :math:`\dot e = -\eta M e`, rotation paths;
* :mod:`~grsd_sym.theory.kato` -- Hellmann-Feynman, Kato coefficients, mode equations;
* :mod:`~grsd_sym.theory.shells` -- shell energies, dissipation, transfer, projectors, fluxes;
* :mod:`~grsd_sym.theory.lattice` -- sums over symbolic index ranges by discrete primitives;
* :mod:`~grsd_sym.theory.transport` -- the continuum PDE in ``(s, eps, V)`` and ``(lambda, g, v)``;
* :mod:`~grsd_sym.theory.ncalgebra`, :mod:`~grsd_sym.theory.jets`,
  :mod:`~grsd_sym.theory.witnesses` -- derivation helpers (matrix algebra, jet coordinates,
  random matrix paths for numeric witnesses).
"""

from grsd_sym.theory import jets, kato, lattice, microscopic, ncalgebra, shells, transport
from grsd_sym.theory.jets import *  # noqa: F403
from grsd_sym.theory.kato import *  # noqa: F403
from grsd_sym.theory.lattice import *  # noqa: F403
from grsd_sym.theory.microscopic import *  # noqa: F403
from grsd_sym.theory.ncalgebra import *  # noqa: F403
from grsd_sym.theory.shells import *  # noqa: F403
from grsd_sym.theory.transport import *  # noqa: F403

# the union of the submodules' public names (witnesses stays a module: derivation helpers only)
__all__ = [
    *jets.__all__,
    *kato.__all__,
    *microscopic.__all__,
    *ncalgebra.__all__,
    *lattice.__all__,
    *shells.__all__,
    *transport.__all__,
]
