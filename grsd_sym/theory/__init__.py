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

from grsd_sym.theory.jets import (
    FractionMatrix as FractionMatrix,
)
from grsd_sym.theory.jets import (
    JetRing as JetRing,
)
from grsd_sym.theory.jets import (
    to_jets as to_jets,
)
from grsd_sym.theory.kato import (
    cayley_spectral_path_3 as cayley_spectral_path_3,
)
from grsd_sym.theory.kato import (
    eigen_derivative_relation as eigen_derivative_relation,
)
from grsd_sym.theory.kato import (
    eigenvalue_rate as eigenvalue_rate,
)
from grsd_sym.theory.kato import (
    index_level_kato as index_level_kato,
)
from grsd_sym.theory.kato import (
    kato_coefficient as kato_coefficient,
)
from grsd_sym.theory.kato import (
    kato_matrix as kato_matrix,
)
from grsd_sym.theory.kato import (
    matrix_entry as matrix_entry,
)
from grsd_sym.theory.kato import (
    mode_amplitudes as mode_amplitudes,
)
from grsd_sym.theory.kato import (
    mode_equation_rhs as mode_equation_rhs,
)
from grsd_sym.theory.kato import (
    overlap_rates as overlap_rates,
)
from grsd_sym.theory.kato import (
    projected_rate as projected_rate,
)
from grsd_sym.theory.lattice import (
    antisymmetric_primitive as antisymmetric_primitive,
)
from grsd_sym.theory.lattice import (
    antisymmetric_primitive_shown as antisymmetric_primitive_shown,
)
from grsd_sym.theory.lattice import (
    karr_formula as karr_formula,
)
from grsd_sym.theory.lattice import (
    lattice_difference as lattice_difference,
)
from grsd_sym.theory.lattice import (
    rectangle_sum as rectangle_sum,
)
from grsd_sym.theory.lattice import (
    telescoping_sum as telescoping_sum,
)
from grsd_sym.theory.microscopic import (
    antisymmetric_generator_3 as antisymmetric_generator_3,
)
from grsd_sym.theory.microscopic import (
    as_matrix as as_matrix,
)
from grsd_sym.theory.microscopic import (
    cayley_rotation as cayley_rotation,
)
from grsd_sym.theory.microscopic import (
    gradient_flow_rhs as gradient_flow_rhs,
)
from grsd_sym.theory.microscopic import (
    loss as loss,
)
from grsd_sym.theory.microscopic import (
    plane_rotation as plane_rotation,
)
from grsd_sym.theory.microscopic import (
    require_antisymmetric as require_antisymmetric,
)
from grsd_sym.theory.microscopic import (
    require_symmetric as require_symmetric,
)
from grsd_sym.theory.microscopic import (
    rotation_2d as rotation_2d,
)
from grsd_sym.theory.microscopic import (
    spectral_operator as spectral_operator,
)
from grsd_sym.theory.microscopic import (
    symmetric_path as symmetric_path,
)
from grsd_sym.theory.ncalgebra import (
    evaluate as evaluate,
)
from grsd_sym.theory.ncalgebra import (
    from_terms as from_terms,
)
from grsd_sym.theory.ncalgebra import (
    leibniz as leibniz,
)
from grsd_sym.theory.ncalgebra import (
    nc_terms as nc_terms,
)
from grsd_sym.theory.ncalgebra import (
    rewrite as rewrite,
)
from grsd_sym.theory.ncalgebra import (
    rewrite_traced as rewrite_traced,
)
from grsd_sym.theory.ncalgebra import (
    substitute_shown as substitute_shown,
)
from grsd_sym.theory.shells import (
    assign_shells as assign_shells,
)
from grsd_sym.theory.shells import (
    boundary_flux as boundary_flux,
)
from grsd_sym.theory.shells import (
    dissipation as dissipation,
)
from grsd_sym.theory.shells import (
    intra_shell_transfer as intra_shell_transfer,
)
from grsd_sym.theory.shells import (
    net_transfer as net_transfer,
)
from grsd_sym.theory.shells import (
    net_transfers_from_matrix as net_transfers_from_matrix,
)
from grsd_sym.theory.shells import (
    null_shell_energy as null_shell_energy,
)
from grsd_sym.theory.shells import (
    projector_energy as projector_energy,
)
from grsd_sym.theory.shells import (
    shell_energy as shell_energy,
)
from grsd_sym.theory.shells import (
    spectral_projector as spectral_projector,
)
from grsd_sym.theory.shells import (
    transfer as transfer,
)
from grsd_sym.theory.transport import (
    cell_average as cell_average,
)
from grsd_sym.theory.transport import (
    finite_volume_truncation as finite_volume_truncation,
)
from grsd_sym.theory.transport import (
    general_solution as general_solution,
)
from grsd_sym.theory.transport import (
    lambda_to_log as lambda_to_log,
)
from grsd_sym.theory.transport import (
    lambda_transport_residual as lambda_transport_residual,
)
from grsd_sym.theory.transport import (
    lazy_solution as lazy_solution,
)
from grsd_sym.theory.transport import (
    log_to_lambda as log_to_lambda,
)
from grsd_sym.theory.transport import (
    log_transport_residual as log_transport_residual,
)
from grsd_sym.theory.transport import (
    taylor as taylor,
)
from grsd_sym.theory.transport import (
    transport_pde as transport_pde,
)
from grsd_sym.theory.transport import (
    transport_velocity as transport_velocity,
)

__all__ = [
    "JetRing",
    "FractionMatrix",
    "to_jets",
    "eigenvalue_rate",
    "kato_coefficient",
    "kato_matrix",
    "overlap_rates",
    "projected_rate",
    "mode_amplitudes",
    "mode_equation_rhs",
    "matrix_entry",
    "eigen_derivative_relation",
    "cayley_spectral_path_3",
    "index_level_kato",
    "as_matrix",
    "require_symmetric",
    "require_antisymmetric",
    "symmetric_path",
    "gradient_flow_rhs",
    "loss",
    "plane_rotation",
    "rotation_2d",
    "antisymmetric_generator_3",
    "cayley_rotation",
    "spectral_operator",
    "nc_terms",
    "from_terms",
    "leibniz",
    "rewrite",
    "rewrite_traced",
    "substitute_shown",
    "karr_formula",
    "antisymmetric_primitive_shown",
    "evaluate",
    "lattice_difference",
    "rectangle_sum",
    "telescoping_sum",
    "antisymmetric_primitive",
    "assign_shells",
    "shell_energy",
    "null_shell_energy",
    "dissipation",
    "transfer",
    "intra_shell_transfer",
    "net_transfer",
    "spectral_projector",
    "projector_energy",
    "boundary_flux",
    "net_transfers_from_matrix",
    "log_transport_residual",
    "lambda_transport_residual",
    "log_to_lambda",
    "lambda_to_log",
    "taylor",
    "cell_average",
    "finite_volume_truncation",
    "lazy_solution",
    "transport_velocity",
    "transport_pde",
    "general_solution",
]
