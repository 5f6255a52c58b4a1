# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 - The derivation chain: from $\dot e = -M e$ to the transport PDE
#
# This notebook walks through the first eight theorems of GRSD (docs/theory/, sections 1-4), from the
# microscopic gradient flow of the error, $\dot e = -M(t)\,e$ with $M = JJ^T$, to the continuum
# transport equation
#
# $$\partial_t g + \partial_\lambda (v g) = -d\,\lambda g + S .$$
#
# Nothing here is asserted: every step is **derived by SymPy** in the proof modules of
# `proofs/` and **checked twice** (the residual simplifies to exactly zero, *and* it vanishes at
# random rational points evaluated with mpmath at 50 digits).  For each theorem we run the proof
# through the registry (`grsd_sym.registry.get_theorem` / `run_theorem`), print its
# certificate's LaTeX (`Certificate.to_latex()`), and at the end collect the verdicts.
#
# **Conventions** (docs/conventions.md): learning rate absorbed in time ($\eta = 1$, GRSD-T1),
# $s = \log\lambda$ (natural log), energy $E = \tfrac12\sum a_k^2$ so the dissipation factor is
# $d = 2$ unless a theorem states otherwise; every certificate carries its own assumptions.

# %%

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import Latex, Markdown, display

from grsd_sym.certificate import REQUIRED_DIGITS
from grsd_sym.figures import FigureSaver
from grsd_sym.registry import builtin_theorems, get_theorem, run_theorem

save_and_show = FigureSaver("01_derivation_chain")  # saves <out>/01_derivation_chain/<stem>.png and shows it
OUT = save_and_show.dir


CERTS = {}


def show_certificate(tid):
    """Run one proof, display its statement, assumptions and LaTeX steps, keep the certificate."""
    th = get_theorem(tid)
    cert = run_theorem(th)
    CERTS[th.id] = cert
    verdict = "**verified**" if cert.verified else "**NOT VERIFIED**"
    n_checks = sum(1 for s in cert.steps if s.checked)
    head = [
        f"### {th.id}: {th.title}",
        f"provenance `[{cert.provenance}]` - {verdict} - {n_checks} checked steps - {cert.seconds:.1f} s",
    ]
    if cert.error:
        head.append(f"error: `{cert.error}`")
    display(Markdown("\n\n".join(head)))
    display(Markdown("**Statement.**"))
    display(Latex("$$" + cert.to_dict()["statement_latex"] + "$$"))
    if cert.assumptions:
        display(Markdown("**Assumptions.**\n\n" + "\n".join(f"- {a}" for a in cert.assumptions)))
    tex = cert.to_latex()
    (OUT / f"{th.id}.tex").write_text(tex, encoding="utf-8")
    # the '%' lines of to_latex() are comments (id, verdict, assumptions: shown above);
    # the align block is what a TeX renderer displays
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    display(Markdown("**Steps** (each line: statement, reason, verdict of its check)."))
    display(Latex(body))
    return cert


# %% [markdown]
# ## GRSD-T1 - time-rescaling covariance
#
# If $e(t)$ solves $\dot e = -M(t)e$ then $\tilde e(t) = e(\kappa t)$ solves the same equation with
# $\tilde M(t) = \kappa M(\kappa t)$.  A learning rate is the case $\kappa = \eta$, which is why it
# can be absorbed into time everywhere below.  On spectral data: $\lambda \to \kappa\lambda$,
# $t \to t/\kappa$.

# %%
show_certificate("T1")
# %% [markdown]
# ## GRSD-T2 - Hellmann-Feynman and Kato/Hadamard
#
# In the instantaneous eigenbasis $M u_k = \lambda_k u_k$ the eigenvalues move by
# $\dot\lambda_k = u_k^T\dot M u_k$ and the eigenvectors rotate with coefficients
# $u_j^T\dot u_k = u_j^T \dot M u_k/(\lambda_k - \lambda_j)$.

# %%
show_certificate("T2")
# %% [markdown]
# ## GRSD-T3 - the mode equations
#
# The amplitudes $a_k = u_k^T e$ obey $\dot a_k = -\lambda_k a_k + \sum_{j\ne k} A_{kj}a_j$ with an
# **antisymmetric** coupling $A$ (because $\dot M$ is symmetric).  Lazy / NTK training is
# $\dot M = 0$, $A = 0$.

# %%
show_certificate("T3")
# %% [markdown]
# ## GRSD-T4 - the shell balance
#
# Bin the eigenvalues into logarithmic shells $s_\alpha \le \log\lambda < s_{\alpha+1}$.  Shell
# energies change only by dissipation $D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2$ and by
# inter-shell transfer $T_{\alpha\beta} = -T_{\beta\alpha}$: the intra-shell terms cancel identically.

# %%
show_certificate("T4")
# %% [markdown]
# ## GRSD-T5 - the projector (gauge-free) form
#
# With the spectral projector $P_\alpha$ of the shell, $E_\alpha = \tfrac12 e^TP_\alpha e$, and
# $P^2 = P$ implies $P\dot PP = 0$: this identity *is* the intra-shell cancellation, and it
# holds with degenerate eigenvalues inside the shell.

# %%
show_certificate("T5")
# %% [markdown]
# ## GRSD-T6 - the flux form
#
# Any antisymmetric transfer is a discrete divergence, $T_\alpha = F_{\alpha-1/2} - F_{\alpha+1/2}$;
# the only global change of energy is dissipation, $\dot L = -e^TMe$.

# %%
show_certificate("T6")
# %% [markdown]
# ## GRSD-T7 - the continuum limit
#
# With the advective closure $F = V\epsilon$ and $\epsilon = E_\alpha/h$, the shell balance becomes
# $\partial_t\epsilon + \partial_s(V\epsilon) = -d\,e^s\epsilon + \sigma$ in log coordinates, and with
# $g = \epsilon/\lambda$, $v = \lambda V$ the paper's form
# $\partial_t g + \partial_\lambda(vg) = -d\lambda g + S$.

# %%
show_certificate("T7")
# %% [markdown]
# ## GRSD-T8 - the limits
#
# $v = 0$ is lazy (NTK) training, $g = g_0(\lambda)e^{-d\lambda t}$; $v \ne 0$ is feature learning.

# %%
show_certificate("T8")
# %% [markdown]
# ## Verdicts
#
# One row per step of the chain: the certificate's verdict, the number of checked steps, the
# worst numeric-witness agreement (in decimal digits; a check needs at least
# `REQUIRED_DIGITS`), and the time the derivation took.

# %%
CHAIN = ["GRSD-T1", "GRSD-T2", "GRSD-T3", "GRSD-T4", "GRSD-T5", "GRSD-T6", "GRSD-T7", "GRSD-T8"]
assert list(CERTS) == CHAIN, list(CERTS)
registered = builtin_theorems()
rows = [
    "| ID | title | provenance | verdict | checks | min witness digits | seconds |",
    "|---|---|---|---|---|---|---|",
]
for tid, cert in CERTS.items():
    mwd = cert.min_witness_digits
    digits = "exact" if mwd == float("inf") else f"{mwd:.1f}"
    rows.append(
        f"| {tid} | {cert.title} | {cert.provenance} | "
        f"{'verified' if cert.verified else 'NOT VERIFIED'} | "
        f"{sum(1 for s in cert.steps if s.checked)} | {digits} | {cert.seconds:.1f} |"
    )
display(Markdown("\n".join(rows)))
print(f"{len(registered)} theorems registered in total; this notebook ran {len(CERTS)} of them.")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
ids = list(CERTS)
digits, exact = [], []
for c in CERTS.values():
    ds = [s.check.witness_digits for s in c.steps if s.checked]
    finite = [d for d in ds if d != float("inf")]
    digits.append(min(finite) if finite else 60.0)  # all-exact certificates drawn at 60
    exact.append(not finite)
colors = ["tab:green" if c.verified else "tab:red" for c in CERTS.values()]
axes[0].bar(ids, digits, color=colors)
for i, ex in enumerate(exact):
    if ex:  # every residual evaluated to exactly 0 at the witness points
        axes[0].text(i, digits[i] + 1, "exact", ha="center", fontsize=8)
axes[0].set_ylim(0, 68)
axes[0].axhline(REQUIRED_DIGITS, color="k", ls="--", lw=1, label=f"required ({REQUIRED_DIGITS})")
axes[0].set_ylabel("worst witness agreement (digits)")
axes[0].set_title("numeric witness of every checked step (green: verified)")
axes[0].legend(loc="lower right", fontsize=8)
n_checked = [sum(1 for s in c.steps if s.checked) for c in CERTS.values()]
n_other = [sum(1 for s in c.steps if not s.checked) for c in CERTS.values()]
axes[1].bar(ids, n_checked, color="tab:blue", label="checked steps")
axes[1].bar(ids, n_other, bottom=n_checked, color="tab:gray", label="definitions / assumptions")
axes[1].set_ylabel("steps")
axes[1].set_title("steps per certificate")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.tick_params(axis="x", labelrotation=45)
save_and_show(fig, "verdicts")
# %% [markdown]
# Every step of the chain must be verified; a single unverified certificate fails this notebook
# (and the test that executes it).

# %%
bad = {tid: c.summary() for tid, c in CERTS.items() if not c.verified}
assert not bad, "unverified certificates:\n" + "\n".join(bad.values())
print("all", len(CERTS), "certificates of the chain T1..T8 are verified")
