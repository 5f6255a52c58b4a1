"""Derivation engines: characteristics solver, similarity reduction, frontier and exponents.

Each module computes its result with SymPy (or our own solvers) and checks it by substitution.
"""
