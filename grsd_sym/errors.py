"""The project's exception hierarchy: one module, so callers can catch precisely.

Every public function of :mod:`grsd_sym` that rejects its input raises a subclass of
:class:`GRSDError`.  Input errors also derive from :class:`ValueError` so that generic
callers that catch ``ValueError`` keep working.

>>> from grsd_sym.errors import ShellGridError, GRSDError
>>> issubclass(ShellGridError, GRSDError) and issubclass(ShellGridError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "GRSDError",
    "InputError",
    "ShapeError",
    "NonFiniteError",
    "NotSymmetricError",
    "NegativeEigenvalueError",
    "DegenerateGapError",
    "ShellGridError",
    "EmptyShellError",
    "TimeGridError",
    "ConventionError",
    "RegionError",
    "AssumptionError",
    "DerivationError",
    "UnknownTheoremError",
    "ProofLoadError",
    "BudgetExceededError",
    "OutputPathError",
    "MissingDependencyError",
]


class GRSDError(Exception):
    """Base class of every error raised by grsd_sym."""


class InputError(GRSDError, ValueError):
    """An argument is outside what the function accepts."""


class ShapeError(InputError):
    """Array shapes disagree (e.g. Jacobians vs errors, ragged trajectories)."""


class NonFiniteError(InputError):
    """NaN or infinity in numeric input."""


class NotSymmetricError(InputError):
    """A matrix that must be symmetric (``M = J J^T``) is not, beyond the stated tolerance."""


class NegativeEigenvalueError(InputError):
    """An eigenvalue of a PSD operator is below ``-tol``."""


class DegenerateGapError(InputError):
    """A Kato coefficient ``1/(lambda_k - lambda_j)`` was requested across a (near) zero gap.

    Use the gauge-free projector form (GRSD-T5) instead.
    """


class ShellGridError(InputError):
    """Invalid logarithmic shell grid (``h <= 0``, non-finite origin, ...)."""


class EmptyShellError(InputError):
    """A quantity is undefined because a shell holds no modes (e.g. its couplings)."""


class TimeGridError(InputError):
    """A time or checkpoint grid is not strictly increasing, or not finite."""


class ConventionError(InputError):
    """Unknown convention, or a result without a convention, or an invalid conversion."""


class RegionError(InputError):
    """Parameters outside the region where a result holds (the message names the region)."""


class AssumptionError(InputError):
    """Unknown or contradictory set of structural assumptions."""


class DerivationError(GRSDError):
    """A derivation step could not be checked, or a solver result failed substitution."""


class UnknownTheoremError(GRSDError, LookupError):
    """A theorem ID that is not registered."""


class ProofLoadError(GRSDError):
    """A user's proof file could not be loaded or defines no theorem."""


class BudgetExceededError(GRSDError, TimeoutError):
    """A computation ran past its time budget and was stopped (:mod:`grsd_sym.budget`)."""


class OutputPathError(InputError):
    """An output path is unusable: an existing file where a folder is needed, inside a file, unwritable."""


class MissingDependencyError(GRSDError, ImportError):
    """An optional dependency (an extra such as ``grsd_sym[plot]``) is not installed."""
