r"""Numeric half of grsd_sym: spectral measurement from data and simulators that do not use the theory.

API summary (stable; everything takes and returns numpy arrays):

**Spectra** (:mod:`~grsd_sym.numeric.spectra`, GRSD sections 1-2)
  ``eigh_psd(M, sym_rtol=1e-10, psd_tol=None) -> (lam, U)`` validated symmetric PSD eigenpairs;
  ``eigh_from_jacobian(J, method="svd", complete=False)`` eigenpairs of ``J J^T`` without forming it;
  ``eigen_trajectory(Ms, times)`` / ``eigen_trajectory_from_jacobians(Js, times)`` ->
  ``SpectralTrajectory`` (tracked: order and sign continuity by overlaps);
  ``track_eigenpairs``, ``linear_assignment``, ``mode_amplitudes(U, e)``;
  validators ``validate_symmetric``, ``validate_time_grid``, ``validate_finite``.

**Shells** (:mod:`~grsd_sym.numeric.shells`, :mod:`~grsd_sym.numeric.transfer`, :mod:`~grsd_sym.numeric.velocity`)
  GRSD-T4..T6: ``ShellGrid(h, s0=0)``; ``assign_shells(lam, grid, null_tol=0) -> ShellAssignment``
  (extended layout: index 0 = null shell, i >= 1 = shell ``alpha_min + i - 1``);
  ``shell_energies(lam, a, grid|assignment) -> ShellSums`` (``.values``, ``.null``, ``.total``);
  ``shell_dissipation``; ``loss(e)``; ``outside_energy(U, e)`` (thin bases);
  ``projected_derivative(U, dM)`` / ``projected_derivative_from_jacobian(U, J, dJ)`` -> ``B = U^T M' U``;
  ``kato_coefficients(lam, B)``; ``transfer_matrix(a, A, assignment)`` (Kato form) and
  ``projector_transfer(lam, B, a, assignment)`` / ``projector_transfer_fd(M_of_t, t, e, grid)``
  (gauge-free, GRSD-T5) -> ``ShellTransfer`` (``.matrix``, ``.net``, ``.fluxes()``);
  ``boundary_fluxes(T)``; ``measured_velocity(transfer, energies) -> (s_b, V masked)``;
  ``drift_flux``, ``shell_drift_velocity``, ``fit_velocity_exponent(lam, dlam, grid) -> VelocityFit``;
  one-shot ``measure_shells(M, e, grid, dM=None) -> ShellMeasurement``.

**Couplings** (:mod:`~grsd_sym.numeric.couplings`, GRSD section 5)
  ``energy_couplings(transfer, energies)`` (C), ``renormalized_couplings(C)`` (K),
  ``overlap_couplings(lam1, U1, lam2, U2, grid)`` (W) -> ``ShellCouplings`` (masked matrices);
  ``toeplitz_projection(K)``, ``toeplitz_deviation(K, alphas=, window=)``.

**Simulators** (:mod:`~grsd_sym.numeric.flow`, :mod:`~grsd_sym.numeric.synthetic`, :mod:`~grsd_sym.numeric.transport`)
  ``simulate_transport`` (the finite-volume transport solver);
  ``integrate_flow(M_of_t, e0, times, method="magnus4"|"magnus2"|"rk4") -> FlowResult``;
  ``integrate_modes(path, a0, times)`` with ``kato_mode_path(eigenpairs, dM)``;
  ``expm_sym_apply(S, v, tau)``;
  ``SyntheticSystem(path, generator, U0)``, ``drift_system(lam0, b, c0, sigma=-1)``,
  ``random_system(n, seed=)``, ``Rotation``, ``LogSmoothPath``, ``CharacteristicPath``.

Bad input raises the project's exceptions (:mod:`grsd_sym.errors`): ``NonFiniteError``,
``NotSymmetricError``, ``NegativeEigenvalueError``, ``ShapeError``, ``TimeGridError``,
``ShellGridError``, ``DegenerateGapError``, ``EmptyShellError``; undefined entries of couplings
and velocities are masked, never NaN.

>>> import numpy as np
>>> from grsd_sym.numeric import ShellGrid, measure_shells
>>> m = measure_shells(np.diag([0.0, 1.0, 3.0]), [1.0, 1.0, 1.0], ShellGrid(1.0))
>>> m.energies.null, m.energies.values.tolist()
(0.5, [0.5, 0.5])
"""

from grsd_sym.numeric.couplings import (
    ShellCouplings as ShellCouplings,
)
from grsd_sym.numeric.couplings import (
    energy_couplings as energy_couplings,
)
from grsd_sym.numeric.couplings import (
    overlap_couplings as overlap_couplings,
)
from grsd_sym.numeric.couplings import (
    renormalized_couplings as renormalized_couplings,
)
from grsd_sym.numeric.couplings import (
    toeplitz_deviation as toeplitz_deviation,
)
from grsd_sym.numeric.couplings import (
    toeplitz_deviations as toeplitz_deviations,
)
from grsd_sym.numeric.couplings import (
    toeplitz_projection as toeplitz_projection,
)
from grsd_sym.numeric.flow import (
    FLOW_METHODS as FLOW_METHODS,
)
from grsd_sym.numeric.flow import (
    FlowResult as FlowResult,
)
from grsd_sym.numeric.flow import (
    expm_sym_apply as expm_sym_apply,
)
from grsd_sym.numeric.flow import (
    integrate_flow as integrate_flow,
)
from grsd_sym.numeric.flow import (
    integrate_modes as integrate_modes,
)
from grsd_sym.numeric.flow import (
    kato_mode_path as kato_mode_path,
)
from grsd_sym.numeric.shells import (
    ShellAssignment as ShellAssignment,
)
from grsd_sym.numeric.shells import (
    ShellGrid as ShellGrid,
)
from grsd_sym.numeric.shells import (
    ShellSums as ShellSums,
)
from grsd_sym.numeric.shells import (
    assign_shells as assign_shells,
)
from grsd_sym.numeric.shells import (
    loss as loss,
)
from grsd_sym.numeric.shells import (
    outside_energy as outside_energy,
)
from grsd_sym.numeric.shells import (
    shell_dissipation as shell_dissipation,
)
from grsd_sym.numeric.shells import (
    shell_energies as shell_energies,
)
from grsd_sym.numeric.spectra import (
    DEFAULT_SYM_RTOL as DEFAULT_SYM_RTOL,
)
from grsd_sym.numeric.spectra import (
    SpectralTrajectory as SpectralTrajectory,
)
from grsd_sym.numeric.spectra import (
    default_psd_tol as default_psd_tol,
)
from grsd_sym.numeric.spectra import (
    eigen_trajectory as eigen_trajectory,
)
from grsd_sym.numeric.spectra import (
    eigen_trajectory_from_jacobians as eigen_trajectory_from_jacobians,
)
from grsd_sym.numeric.spectra import (
    eigh_from_jacobian as eigh_from_jacobian,
)
from grsd_sym.numeric.spectra import (
    eigh_psd as eigh_psd,
)
from grsd_sym.numeric.spectra import (
    linear_assignment as linear_assignment,
)
from grsd_sym.numeric.spectra import (
    mode_amplitudes as mode_amplitudes,
)
from grsd_sym.numeric.spectra import (
    track_eigenpairs as track_eigenpairs,
)
from grsd_sym.numeric.spectra import (
    validate_finite as validate_finite,
)
from grsd_sym.numeric.spectra import (
    validate_psd_eigenvalues as validate_psd_eigenvalues,
)
from grsd_sym.numeric.spectra import (
    validate_symmetric as validate_symmetric,
)
from grsd_sym.numeric.spectra import (
    validate_time_grid as validate_time_grid,
)
from grsd_sym.numeric.synthetic import (
    CharacteristicPath as CharacteristicPath,
)
from grsd_sym.numeric.synthetic import (
    LogSmoothPath as LogSmoothPath,
)
from grsd_sym.numeric.synthetic import (
    Rotation as Rotation,
)
from grsd_sym.numeric.synthetic import (
    SyntheticSystem as SyntheticSystem,
)
from grsd_sym.numeric.synthetic import (
    drift_system as drift_system,
)
from grsd_sym.numeric.synthetic import (
    random_generator as random_generator,
)
from grsd_sym.numeric.synthetic import (
    random_orthogonal as random_orthogonal,
)
from grsd_sym.numeric.synthetic import (
    random_system as random_system,
)
from grsd_sym.numeric.transfer import (
    ShellTransfer as ShellTransfer,
)
from grsd_sym.numeric.transfer import (
    boundary_fluxes as boundary_fluxes,
)
from grsd_sym.numeric.transfer import (
    default_gap_tol as default_gap_tol,
)
from grsd_sym.numeric.transfer import (
    kato_coefficients as kato_coefficients,
)
from grsd_sym.numeric.transfer import (
    projected_derivative as projected_derivative,
)
from grsd_sym.numeric.transfer import (
    projected_derivative_from_jacobian as projected_derivative_from_jacobian,
)
from grsd_sym.numeric.transfer import (
    projector_transfer as projector_transfer,
)
from grsd_sym.numeric.transfer import (
    projector_transfer_fd as projector_transfer_fd,
)
from grsd_sym.numeric.transfer import (
    transfer_matrix as transfer_matrix,
)
from grsd_sym.numeric.transport import (
    C_FORMS as C_FORMS,
)
from grsd_sym.numeric.transport import (
    TransportProblem as TransportProblem,
)
from grsd_sym.numeric.transport import (
    TransportSolution as TransportSolution,
)
from grsd_sym.numeric.transport import (
    expected_loss_exponent as expected_loss_exponent,
)
from grsd_sym.numeric.transport import (
    observed_order as observed_order,
)
from grsd_sym.numeric.transport import (
    simulate_transport as simulate_transport,
)
from grsd_sym.numeric.velocity import (
    ShellMeasurement as ShellMeasurement,
)
from grsd_sym.numeric.velocity import (
    VelocityFit as VelocityFit,
)
from grsd_sym.numeric.velocity import (
    crossing_flux as crossing_flux,
)
from grsd_sym.numeric.velocity import (
    drift_flux as drift_flux,
)
from grsd_sym.numeric.velocity import (
    fit_velocity_exponent as fit_velocity_exponent,
)
from grsd_sym.numeric.velocity import (
    measure_shells as measure_shells,
)
from grsd_sym.numeric.velocity import (
    measured_velocity as measured_velocity,
)
from grsd_sym.numeric.velocity import (
    shell_drift_velocity as shell_drift_velocity,
)

__all__ = [
    "DEFAULT_SYM_RTOL",
    "default_psd_tol",
    "validate_finite",
    "validate_time_grid",
    "validate_symmetric",
    "validate_psd_eigenvalues",
    "eigh_psd",
    "eigh_from_jacobian",
    "mode_amplitudes",
    "linear_assignment",
    "track_eigenpairs",
    "SpectralTrajectory",
    "eigen_trajectory",
    "eigen_trajectory_from_jacobians",
    "ShellGrid",
    "ShellAssignment",
    "ShellSums",
    "assign_shells",
    "shell_energies",
    "shell_dissipation",
    "loss",
    "outside_energy",
    "ShellTransfer",
    "projected_derivative",
    "projected_derivative_from_jacobian",
    "default_gap_tol",
    "kato_coefficients",
    "transfer_matrix",
    "projector_transfer",
    "projector_transfer_fd",
    "boundary_fluxes",
    "VelocityFit",
    "ShellMeasurement",
    "measured_velocity",
    "drift_flux",
    "crossing_flux",
    "shell_drift_velocity",
    "fit_velocity_exponent",
    "measure_shells",
    "ShellCouplings",
    "energy_couplings",
    "renormalized_couplings",
    "overlap_couplings",
    "toeplitz_projection",
    "toeplitz_deviation",
    "toeplitz_deviations",
    "expm_sym_apply",
    "FlowResult",
    "integrate_flow",
    "integrate_modes",
    "kato_mode_path",
    "FLOW_METHODS",
    "Rotation",
    "random_generator",
    "random_orthogonal",
    "LogSmoothPath",
    "CharacteristicPath",
    "SyntheticSystem",
    "drift_system",
    "random_system",
    "TransportProblem",
    "TransportSolution",
    "simulate_transport",
    "expected_loss_exponent",
    "observed_order",
    "C_FORMS",
]
