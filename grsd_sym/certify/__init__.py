"""The certificate checker's parts, one module a job.

* :mod:`~grsd_sym.certify.zero_test` -- the symbolic zero test: a ladder of rewrites, each valid
  on the declared domain (``force`` rewrites only where SymPy proves the touched bases positive);
* :mod:`~grsd_sym.certify.witness` -- the refuting witness: rigorous ball arithmetic
  (python-flint ``acb``) at points spread over the whole declared domain;
* :mod:`~grsd_sym.certify.conclusion` -- which conclusions follow from the checked steps.

:mod:`grsd_sym.certificate` assembles them into steps, checks and certificates.
"""
