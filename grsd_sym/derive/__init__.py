"""Derivation engines: characteristics solver, similarity reduction, frontier and exponents.

Each module computes its result with SymPy (or our own solvers) and checks it by substitution.
Symmetry engine and rigidity (GRSD-T9..T12): :mod:`~grsd_sym.derive.symmetry` (Lie point
groups, generators, prolongation, invariance conditions), :mod:`~grsd_sym.derive.invariants`
(most general invariant form under scaling groups and structural assumptions) and
:mod:`~grsd_sym.derive.rigidity` (the rigidity lattice, ``derive_velocity``, ``check_velocity``).
This package module stays import-free; import the sub-modules.
"""
