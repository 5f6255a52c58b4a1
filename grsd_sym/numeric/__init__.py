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

from grsd_sym.numeric import couplings, flow, shells, spectra, synthetic, transfer, transport, velocity
from grsd_sym.numeric.couplings import *  # noqa: F403
from grsd_sym.numeric.flow import *  # noqa: F403
from grsd_sym.numeric.shells import *  # noqa: F403
from grsd_sym.numeric.spectra import *  # noqa: F403
from grsd_sym.numeric.synthetic import *  # noqa: F403
from grsd_sym.numeric.transfer import *  # noqa: F403
from grsd_sym.numeric.transport import *  # noqa: F403
from grsd_sym.numeric.velocity import *  # noqa: F403

# the submodules' own lists, in the order of the summary above
__all__ = [
    *spectra.__all__,
    *shells.__all__,
    *transfer.__all__,
    *velocity.__all__,
    *couplings.__all__,
    *flow.__all__,
    *synthetic.__all__,
    *transport.__all__,
]
