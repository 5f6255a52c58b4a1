r"""GRSD-T1: time-rescaling covariance of gradient flow.

If :math:`e(t)` solves :math:`e' = -M(t)\,e`, then :math:`\tilde e(t) = e(\kappa t)` solves
:math:`\tilde e' = -\tilde M(t)\,\tilde e` with :math:`\tilde M(t) = \kappa M(\kappa t)`, for every
:math:`\kappa > 0`.  On spectral data: :math:`\lambda \to \kappa\lambda`, :math:`t \to t/\kappa`, mode
amplitudes unchanged.  A learning rate :math:`\eta` is the case :math:`\kappa = \eta`.

Derived with a general symmetric :math:`3\times 3` path :math:`M(t)` of undefined functions (the
argument is entrywise, so the size is immaterial), a general error path :math:`e(t)`, and a
rotating eigenbasis for the spectral statement.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.symbols import eta, k, t, tau

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

N_DIM = 3


def _sym_path(name: str, n: int, arg) -> sp.Matrix:
    """A general symmetric matrix of undefined functions of ``arg``."""
    fs = {}
    for i in range(n):
        for j in range(i, n):
            fs[(i, j)] = fs[(j, i)] = sp.Function(f"{name}{i + 1}{j + 1}")
    return sp.Matrix(n, n, lambda i, j: fs[(i, j)](arg))


@theorem(
    "GRSD-T1",
    "Time-rescaling covariance of gradient flow",
    provenance="paper",
    sources=["arXiv 2512.10427 (abstract): intrinsic time-rescaling covariance of gradient flow"],
)
def _prove(d: Derivation) -> None:
    d.assume("k > 0: the rescaling factor (the theory's kappa; k = eta for a learning rate)")
    es = [sp.Function(f"e{i + 1}") for i in range(N_DIM)]

    def e(arg):
        return sp.Matrix([f(arg) for f in es])

    def M(arg):
        return _sym_path("m", N_DIM, arg)

    d.assume(
        "e(tau) solves the gradient flow e' = -M(tau) e for all tau > 0",
        sp.Eq(sp.Derivative(sp.Function("e")(tau), tau), -sp.Function("M")(tau) * sp.Function("e")(tau)),
    )

    # The flow residual R(tau) = e'(tau) + M(tau) e(tau) vanishes by hypothesis.
    def R(arg):
        return sp.Matrix([sp.Subs(sp.Derivative(f(tau), tau), tau, arg) for f in es]) + M(arg) * e(arg)

    e_tilde = e(k * t)
    M_tilde = k * M(k * t)
    d.define(sp.Symbol(r"\tilde e(t)"), sp.Function("e")(k * t), "rescaled trajectory")
    d.define(sp.Symbol(r"\tilde M(t)"), k * sp.Function("M")(k * t), "rescaled operator")
    lhs = e_tilde.applyfunc(lambda x: sp.Derivative(x, t)) + M_tilde * e_tilde
    flow = d.claim(
        lhs,
        k * R(k * t),
        "chain rule: the rescaled flow residual is k times the original residual at k t, "
        "so it vanishes whenever the original does",
    )

    # Learning rate: theta' = -eta J^T e  <=>  theta_eta(t) = theta_1(eta t).
    theta = sp.Function("theta")
    F = sp.Function("F")  # F(theta) = -J(theta)^T e(theta), the unit-rate gradient field
    lr_residual = sp.Derivative(theta(eta * t), t) - eta * F(theta(eta * t))
    unit_residual = sp.Subs(sp.Derivative(theta(tau), tau), tau, eta * t) - F(theta(eta * t))
    lr = d.claim(
        lr_residual,
        eta * unit_residual,
        "learning rate eta: theta_1(eta t) solves theta' = -eta J^T e; the case k = eta",
    )

    # Spectral data: M(tau) = U(tau) diag(l_i(tau)) U(tau)^T with a rotating basis.
    phi = sp.Function("phi")
    l1, l2 = sp.Function("l1"), sp.Function("l2")

    def U(arg):
        return sp.Matrix(
            [
                [sp.cos(phi(arg)), -sp.sin(phi(arg))],
                [sp.sin(phi(arg)), sp.cos(phi(arg))],
            ]
        )

    def Lam(arg):
        return sp.diag(l1(arg), l2(arg))

    def M2(arg):
        return U(arg) * Lam(arg) * U(arg).T

    eig = d.claim(
        k * M2(k * t) * U(k * t),
        U(k * t) * (k * Lam(k * t)),
        "eigenpairs of k M(k t): eigenvalues k lambda_i(k t), same eigenvectors",
    )
    e2 = sp.Matrix([es[0](k * t), es[1](k * t)])
    a_tilde = U(k * t).T * e2
    a_orig_at = (U(tau).T * sp.Matrix([es[0](tau), es[1](tau)])).applyfunc(lambda x: sp.Subs(x, tau, k * t))
    amp = d.claim(a_tilde, a_orig_at, "mode amplitudes a_i = u_i^T e are unchanged: a~_i(t) = a_i(k t)")

    d.conclude(sp.And(*(st.statement for st in (flow, lr, eig, amp))))
