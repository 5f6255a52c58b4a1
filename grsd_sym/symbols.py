"""Canonical SymPy symbols of the theory, with their assumptions, in one place.

Every module that builds GRSD expressions takes its symbols from here, so that two results
that speak of ``lambda`` or ``t`` speak of the *same* SymPy object (SymPy identifies symbols
by name **and** assumptions: ``Symbol('t')`` and ``Symbol('t', positive=True)`` differ).

Naming follows the documentation's notation (``docs/conventions.md``):

==========  =============================================  =====================
symbol      meaning                                        assumptions
==========  =============================================  =====================
``t``       training time                                  positive
``lam``     eigenvalue ``lambda`` of ``M = J J^T``         positive
``s``       log-spectral coordinate ``log(lambda)``        real
``eta``     learning rate                                  positive
``d``       dissipation factor (``d lambda g``)            positive
``sigma``   sign of the velocity ``v = sigma c lambda^b``  nonzero integer (+-1)
``h``       shell width in ``s``                           positive
``s0``      grid origin                                    real
``b``       velocity exponent                              real
``c0``      velocity amplitude                             positive
``kappa``   spectral exponent ``g0 = A lambda^(kappa-1)``  positive
``A``       amplitude of ``g0``                            positive
``k``       scale factor of a group action (``e^a``)       positive
``a``       group parameter (``k = e^a``)                  real
``xi``      similarity variable ``lambda t``               positive
``gamma``   similarity exponent ``g = t^gamma G(xi)``      real
==========  =============================================  =====================

>>> from grsd_sym.symbols import lam, t
>>> (lam * t).is_positive
True
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "t",
    "t0",
    "tau",
    "lam",
    "lam0",
    "lam_max",
    "s",
    "eta",
    "d",
    "sigma",
    "h",
    "s0",
    "b",
    "c0",
    "kappa",
    "A",
    "k",
    "a",
    "xi",
    "xi_star",
    "gamma",
    "p",
    "N",
    "C",
    "g",
    "eps",
    "v",
    "V",
    "S_src",
    "sigma_src",
    "Phi",
    "G",
    "c",
    "e_fn",
]

# time and spectrum
t = sp.Symbol("t", positive=True)
t0 = sp.Symbol("t_0", positive=True)
tau = sp.Symbol("tau", positive=True)
lam = sp.Symbol("lambda", positive=True)
lam0 = sp.Symbol("lambda_0", positive=True)
lam_max = sp.Symbol("lambda_max", positive=True)
s = sp.Symbol("s", real=True)

# conventions
eta = sp.Symbol("eta", positive=True)
d = sp.Symbol("d", positive=True)
sigma = sp.Symbol("sigma", integer=True, nonzero=True)
h = sp.Symbol("h", positive=True)
s0 = sp.Symbol("s_0", real=True)

# velocity law and initial data
b = sp.Symbol("b", real=True)
c0 = sp.Symbol("c_0", positive=True)
kappa = sp.Symbol("kappa", positive=True)
A = sp.Symbol("A", positive=True)

# groups and similarity variables
k = sp.Symbol("k", positive=True)
a = sp.Symbol("a", real=True)
xi = sp.Symbol("xi", positive=True)
xi_star = sp.Symbol("xi_star", positive=True)
gamma = sp.Symbol("gamma", real=True)
p = sp.Symbol("p", real=True)

# size and compute
N = sp.Symbol("N", positive=True)
C = sp.Symbol("C", positive=True)

# unknown functions of the theory
g = sp.Function("g")  # energy density per unit lambda, g(lambda, t)
eps = sp.Function("epsilon")  # energy density per unit s, eps(s, t)
v = sp.Function("v")  # velocity d lambda / dt, v(lambda, t)
V = sp.Function("V")  # velocity d s / dt, V(s, t)
S_src = sp.Function("S")  # source per unit lambda
sigma_src = sp.Function("varsigma")  # source per unit s
Phi = sp.Function("Phi")  # free function of the scaling form
G = sp.Function("G")  # similarity profile
c = sp.Function("c")  # time amplitude c(t) of the velocity
e_fn = sp.Function("e")  # error vector component e(t)
