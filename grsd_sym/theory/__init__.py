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

from grsd_sym.theory.jets import *  # noqa: F401,F403
from grsd_sym.theory.kato import *  # noqa: F401,F403
from grsd_sym.theory.microscopic import *  # noqa: F401,F403
from grsd_sym.theory.ncalgebra import *  # noqa: F401,F403
from grsd_sym.theory.lattice import *  # noqa: F401,F403
from grsd_sym.theory.shells import *  # noqa: F401,F403
from grsd_sym.theory.transport import *  # noqa: F401,F403
from grsd_sym.theory import (jets as _jets, kato as _kato, lattice as _lat, microscopic as _micro,  # noqa: E402
                             ncalgebra as _nc, shells as _sh, transport as _tr)

__all__ = [*_jets.__all__, *_kato.__all__, *_micro.__all__, *_nc.__all__, *_lat.__all__, *_sh.__all__,
           *_tr.__all__]
