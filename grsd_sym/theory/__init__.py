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
    JetRing as JetRing, FractionMatrix as FractionMatrix, to_jets as to_jets,
)
from grsd_sym.theory.kato import (
    eigenvalue_rate as eigenvalue_rate, kato_coefficient as kato_coefficient, kato_matrix as kato_matrix,
    overlap_rates as overlap_rates, projected_rate as projected_rate, mode_amplitudes as mode_amplitudes,
    mode_equation_rhs as mode_equation_rhs, matrix_entry as matrix_entry, eigen_derivative_relation as
    eigen_derivative_relation, cayley_spectral_path_3 as cayley_spectral_path_3, index_level_kato as
    index_level_kato,
)
from grsd_sym.theory.microscopic import (
    as_matrix as as_matrix, require_symmetric as require_symmetric, require_antisymmetric as
    require_antisymmetric, symmetric_path as symmetric_path, gradient_flow_rhs as gradient_flow_rhs, loss as
    loss, plane_rotation as plane_rotation, rotation_2d as rotation_2d, antisymmetric_generator_3 as
    antisymmetric_generator_3, cayley_rotation as cayley_rotation, spectral_operator as spectral_operator,
)
from grsd_sym.theory.ncalgebra import (
    nc_terms as nc_terms, from_terms as from_terms, leibniz as leibniz, rewrite as rewrite, evaluate as
    evaluate,
)
from grsd_sym.theory.lattice import (
    lattice_difference as lattice_difference, rectangle_sum as rectangle_sum, telescoping_sum as
    telescoping_sum, antisymmetric_primitive as antisymmetric_primitive,
)
from grsd_sym.theory.shells import (
    assign_shells as assign_shells, shell_energy as shell_energy, null_shell_energy as null_shell_energy,
    dissipation as dissipation, transfer as transfer, intra_shell_transfer as intra_shell_transfer,
    net_transfer as net_transfer, spectral_projector as spectral_projector, projector_energy as
    projector_energy, boundary_flux as boundary_flux, net_transfers_from_matrix as net_transfers_from_matrix,
)
from grsd_sym.theory.transport import (
    log_transport_residual as log_transport_residual, lambda_transport_residual as lambda_transport_residual,
    log_to_lambda as log_to_lambda, lambda_to_log as lambda_to_log, taylor as taylor, cell_average as
    cell_average, finite_volume_truncation as finite_volume_truncation, lazy_solution as lazy_solution,
    transport_velocity as transport_velocity, transport_pde as transport_pde, general_solution as
    general_solution,
)

__all__ = [
    "JetRing", "FractionMatrix", "to_jets", "eigenvalue_rate", "kato_coefficient", "kato_matrix",
    "overlap_rates", "projected_rate", "mode_amplitudes", "mode_equation_rhs", "matrix_entry",
    "eigen_derivative_relation", "cayley_spectral_path_3", "index_level_kato", "as_matrix",
    "require_symmetric", "require_antisymmetric", "symmetric_path", "gradient_flow_rhs", "loss",
    "plane_rotation", "rotation_2d", "antisymmetric_generator_3", "cayley_rotation", "spectral_operator",
    "nc_terms", "from_terms", "leibniz", "rewrite", "evaluate", "lattice_difference", "rectangle_sum",
    "telescoping_sum", "antisymmetric_primitive", "assign_shells", "shell_energy", "null_shell_energy",
    "dissipation", "transfer", "intra_shell_transfer", "net_transfer", "spectral_projector",
    "projector_energy", "boundary_flux", "net_transfers_from_matrix", "log_transport_residual",
    "lambda_transport_residual", "log_to_lambda", "lambda_to_log", "taylor", "cell_average",
    "finite_volume_truncation", "lazy_solution", "transport_velocity", "transport_pde", "general_solution",
]
