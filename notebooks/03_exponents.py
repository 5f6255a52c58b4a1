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
# # 03 - The resolution frontier and the loss exponent $\min(\kappa, d\xi^*)$
#
# Setting (docs/theory/solutions.md): no source, the power-law velocity forced by the rigidity lattice,
# $v = \sigma c_0 t^{b-2}\lambda^b$, and an initial error-energy density
# $g_0 = A\lambda^{\kappa-1}$ on $(0, \lambda_{\max}]$.
#
# * **GRSD-T14**: for $b > 1$, $\sigma = -1$ every characteristic tends to the *frontier*
#   $\lambda_f(t) = \xi^*/t$, $\xi^* = c_0^{-1/(b-1)}$.
# * **GRSD-T16**: the loss decays as $L(t) \sim t^{-\min(\kappa,\ d\xi^*)}$: dissipation-limited
#   (the lazy exponent $\kappa$, GRSD-T13) when $\kappa < d\xi^*$, transport-limited when
#   $d\xi^* < \kappa$; the phase boundary is $\kappa = d\xi^*$.
#
# Every closed form below comes from `grsd_sym.derive.frontier` (computed by SymPy, not typed
# in); the numbers it predicts are compared with two independent routes: the finite-volume
# transport solver (`grsd_sym.numeric.transport.simulate_transport`) and the exact loss by
# characteristics (hypergeometric closed form for $b = 2$; mpmath quadrature otherwise).
# Conventions: $d = 2$ (energy), $\sigma = -1$, natural log, $A = 1$, $\lambda_{\max} = 1$.

# %%

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from IPython.display import Latex, Markdown, display

from grsd_sym import symbols as S
from grsd_sym.derive.frontier import (
    characteristic,
    characteristic_kernel,
    frontier_constant,
    lazy_loss,
    phase_boundary,
    transport_loss_exponent,
)
from grsd_sym.derive.loss_quadrature import exact_loss, transport_losses
from grsd_sym.figures import FigureSaver
from grsd_sym.numeric import transport as fv

save_and_show = FigureSaver("03_exponents")  # saves <out>/03_exponents/<stem>.png and shows it
OUT = save_and_show.dir


# %% [markdown]
# ## The frontier (GRSD-T14)
#
# The characteristic through $\lambda_0$, computed from the checked first integral of
# $\dot\lambda = v$, and the frontier constant, the attracting fixed point of
# $t\,\dot\xi = \xi - c_0\xi^b$ for $\xi = \lambda t$:

# %%
lam_t = characteristic(S.b, -1, "self-similar")
xi_star = frontier_constant(S.b, S.c0)
display(Latex(r"$$\lambda(t) = " + sp.latex(lam_t) + r",\qquad \xi^* = " + sp.latex(xi_star) + "$$"))
# the frontier is the limit of lambda(t) t, computed (b = 1 + beta, beta > 0)
beta = sp.Symbol("beta", positive=True)
lim = sp.limit((lam_t * S.t).subs(S.b, 1 + beta), S.t, sp.oo)
assert sp.simplify(lim - xi_star.subs(S.b, 1 + beta)) == 0
print("lim_{t->oo} lambda(t) t =", sp.powsimp(sp.expand_power_base(lim, force=True), force=True).subs(beta, S.b - 1))

# %%
CASES_FRONTIER = [(sp.Rational(3, 2), sp.Rational(1, 2)), (2, 2), (3, 4)]  # (b, c0)
lam0s = np.geomspace(1e-3, 1e0, 7)
tt = np.geomspace(1e-2, 1e6, 300)
fig, axes = plt.subplots(1, 2, figsize=(12, 4.3))
for (b_, c0_), ls in zip(CASES_FRONTIER, ("-", "--", ":"), strict=True):
    xs = float(frontier_constant(b_, c0_))
    sym_char = sp.lambdify((S.lam0, S.t), lam_t.subs({S.b: b_, S.c0: c0_}), "numpy")
    prob = fv.TransportProblem(b=float(b_), c0=float(c0_), kappa=1.0)
    for i, l0 in enumerate(lam0s):
        lt = sym_char(l0, tt)
        # two routes to the same characteristic: SymPy's lambdify of the derived form and the
        # project's lowered kernel (the one the solver uses), at the action C = int_0^t c
        kern = characteristic_kernel(-1)(prob.b, prob.c0 * tt**prob.p / prob.p, l0)
        assert np.allclose(lt, kern, rtol=1e-10)
        lab = f"b={b_}, c0={c0_}: xi*={xs:.3g}" if i == 0 else None
        axes[0].loglog(tt, lt, ls=ls, color=f"C{i}", lw=1)
        axes[1].semilogx(tt, lt * tt / xs, ls=ls, color=f"C{i}", lw=1, label=lab)
    axes[0].loglog(tt, xs / tt, "k", ls=ls, lw=2, alpha=0.6, label=f"frontier xi*/t, b={b_}, c0={c0_}")
axes[0].set_xlabel("t")
axes[0].set_ylabel(r"$\lambda(t;\lambda_0)$")
axes[0].set_title(r"characteristics ($\sigma=-1$), colours: $\lambda_0 = 10^{-3}..1$")
axes[0].legend(fontsize=7)
axes[0].set_ylim(1e-7, 2)
axes[1].axhline(1.0, color="k", lw=1)
axes[1].set_xlabel("t")
axes[1].set_ylabel(r"$\lambda(t)\,t/\xi^*$")
axes[1].set_title(r"every characteristic converges to the frontier $\xi^*/t$")
axes[1].legend(fontsize=7)
fig.tight_layout()
save_and_show(fig, "frontier")
# %% [markdown]
# ## The phase diagram of the loss exponent (GRSD-T16)
#
# The exponent as a function of $\kappa$ and $D = d\xi^*$, from
# `transport_loss_exponent` with symbolic arguments ($b = 2$, $d = 2$, $c_0 = 2/D$ so that
# $d\xi^* = D$), lowered once with `lambdify`; the phase boundary from `phase_boundary`.  The
# dots are exponents *measured* on the finite-volume solver (late-time fit of $L(t)$), drawn with
# the same colour scale (white lines: level sets of the exponent).

# %%
D = sp.Symbol("D", positive=True)
x_closed = transport_loss_exponent(2, c0=2 / D, kappa=S.kappa, d=2)
display(
    Latex(
        r"$$x(\kappa, D) = "
        + sp.latex(x_closed)
        + r",\qquad \text{boundary: } \kappa = "
        + sp.latex(phase_boundary(S.b, c0=S.c0, d=S.d))
        + r" = d\xi^*$$"
    )
)
x_fun = sp.lambdify((S.kappa, D), x_closed, "numpy")

Dg, Kg = np.meshgrid(np.linspace(0.1, 3.0, 150), np.linspace(0.1, 3.0, 150))
Xg = np.vectorize(x_fun)(Kg, Dg)

PTS = [
    (0.5, 1.5),
    (1.0, 2.5),
    (2.0, 1.0),
    (2.5, 2.0),
    (1.5, 0.5),
    (3.0, 1.5),
    (0.75, 2.75),
    (2.75, 2.75 - 0.9),
]  # (D, kappa), none on the boundary (log correction there)
t_fit = np.geomspace(1.0, 1e6, 40)
measured = []
for D_, k_ in PTS:
    prob = fv.TransportProblem(b=2.0, c0=2.0 / D_, kappa=k_, d=2.0)
    sol = fv.simulate_transport(prob, t_fit, h=0.02)
    x_fit = sol.exponent_fit(decades=1.0)
    x_cf = float(transport_loss_exponent(2, c0=sp.nsimplify(2 / D_), kappa=sp.nsimplify(k_), d=2))
    measured.append((D_, k_, x_fit, x_cf))
fig, ax = plt.subplots(figsize=(6.8, 5.4))
pc = ax.pcolormesh(Dg, Kg, Xg, shading="auto", cmap="viridis", vmin=0, vmax=3)
ax.contour(Dg, Kg, Xg, levels=[0.5, 1.0, 1.5, 2.0, 2.5], colors="w", linewidths=0.5, alpha=0.6)
dd = np.linspace(0.1, 3.0, 10)
bd = sp.lambdify(D, phase_boundary(2, c0=2 / D, d=2), "numpy")
ax.plot(dd, bd(dd) * np.ones_like(dd), "r-", lw=2, label=r"phase boundary $\kappa = d\xi^*$")
ax.scatter(
    [m[0] for m in measured],
    [m[1] for m in measured],
    c=[m[2] for m in measured],
    cmap="viridis",
    vmin=0,
    vmax=3,
    edgecolors="r",
    s=90,
    zorder=3,
    label="FV solver: fitted exponent",
)
ax.text(2.1, 0.5, "dissipation-limited\n" + r"$x = \kappa$", color="w", ha="center")
ax.text(0.8, 2.4, "transport-limited\n" + r"$x = d\xi^*$", color="w", ha="center")
ax.set_xlabel(r"$d\,\xi^* = d\,c_0^{-1/(b-1)}$")
ax.set_ylabel(r"$\kappa$ (initial density $g_0 \propto \lambda^{\kappa-1}$)")
ax.set_title(r"loss exponent $L \sim t^{-\min(\kappa,\ d\xi^*)}$ ($\sigma=-1$)")
plt.colorbar(pc, ax=ax, label="exponent x")
ax.legend(loc="upper right", fontsize=8)
save_and_show(fig, "phase_diagram")
# %%
rows = ["| d xi* | kappa | closed form | FV fit | difference |", "|---|---|---|---|---|"]
for D_, k_, x_fit, x_cf in measured:
    rows.append(f"| {D_:g} | {k_:g} | {x_cf:.4g} | {x_fit:.4f} | {x_fit - x_cf:+.4f} |")
display(Markdown("\n".join(rows)))
for D_, k_, x_fit, x_cf in measured:
    assert abs(x_cf - min(k_, D_)) < 1e-12
    assert abs(x_fit - x_cf) < 0.03, (D_, k_, x_fit, x_cf)

# %% [markdown]
# ## A simulation overlaid on the closed form
#
# Two problems on either side of the phase boundary ($b = 2$, where the exact loss has the
# closed form $L = {}_2F_1(d/c_0, \kappa; \kappa + 1; -c_0 t)/\kappa$), one with $b = 3/2$ (exact
# loss by quadrature along the characteristics, `grsd_sym.derive.loss_quadrature`), and the
# lazy loss $A\Gamma(\kappa)(dt)^{-\kappa}$ (GRSD-T13) for reference.  The lower panel is the local
# exponent $-\mathrm d\log L/\mathrm d\log t$ of the simulation, which must approach
# $\min(\kappa, d\xi^*)$.

# %%
SIM = [  # (b, c0, kappa, exact route)
    (2, 2, sp.Rational(3, 2), "closed"),  # d xi* = 1 < kappa: transport-limited
    (2, sp.Rational(1, 2), sp.Rational(3, 2), "closed"),  # d xi* = 4 > kappa: dissipation-limited
    (sp.Rational(3, 2), 2, sp.Rational(3, 2), "quadrature"),  # xi* = 1/4, d xi* = 1/2 < kappa
]
ts = np.geomspace(1e-2, 1e6, 50)
fig, axes = plt.subplots(2, 1, figsize=(8, 8), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
results = []
for i, (b_, c0_, k_, route) in enumerate(SIM):
    prob = fv.TransportProblem(b=float(b_), c0=float(c0_), kappa=float(k_), d=2.0)
    sol = fv.simulate_transport(prob, ts, h=0.02)
    if route == "closed":
        exact = exact_loss(prob.params, ts, method="closed")
    else:
        exact = np.array([float(x) for x in transport_losses(list(ts), b=b_, c0=c0_, kappa=k_, d=2, dps=15)])
    x_cf = transport_loss_exponent(b_, c0=c0_, kappa=k_, d=2)
    xs = frontier_constant(b_, c0_)
    lab = f"b={b_}, c0={c0_}, kappa={k_}: d xi* = {2 * xs}, x = {x_cf}"
    axes[0].loglog(ts, exact, "-", color=f"C{i}", lw=2, alpha=0.5, label=f"exact ({route}): {lab}")
    axes[0].loglog(ts[::2], sol.loss[::2], "o", color=f"C{i}", ms=3.5, label="FV solver")
    # the asymptote C t^-x through the last exact point
    axes[0].loglog(ts[ts > 1e3], exact[-1] * (ts[ts > 1e3] / ts[-1]) ** (-float(x_cf)), "k:", lw=1)
    loc = -np.gradient(np.log(sol.loss), np.log(ts))
    axes[1].semilogx(ts, loc, "-", color=f"C{i}", lw=1.2)
    axes[1].axhline(float(x_cf), color=f"C{i}", ls="--", lw=1)
    results.append((b_, c0_, k_, x_cf, sol, exact))
lazy = np.array([float(lazy_loss(sp.Rational(3, 2), 1, 2, sp.nsimplify(t_))) for t_ in ts])
axes[0].loglog(ts, lazy, color="grey", lw=1, ls="-.", label=r"lazy $\Gamma(\kappa)(dt)^{-\kappa}$, $\kappa$ = 3/2")
axes[0].set_ylabel("L(t)")
axes[0].set_title("finite-volume simulation (dots) on the exact loss (lines); dotted: $t^{-x}$")
axes[0].legend(fontsize=7, loc="lower left")
axes[0].set_ylim(1e-12, 2)
axes[1].set_xlabel("t")
axes[1].set_ylabel(r"$-d\log L/d\log t$ (FV)")
axes[1].set_ylim(0, 2)
axes[1].set_title(r"local exponent of the simulation; dashed: $\min(\kappa, d\xi^*)$")
fig.tight_layout()
save_and_show(fig, "simulation_vs_closed_form")
# %%
rows = [
    "| b | c0 | kappa | closed-form x | FV late fit | max rel. error FV vs exact (t > 1) |",
    "|---|---|---|---|---|---|",
]
for b_, c0_, k_, x_cf, sol, exact in results:
    rel = float(np.max(np.abs(sol.loss[ts > 1] / exact[ts > 1] - 1)))
    x_fit = sol.exponent_fit(decades=1.0)
    rows.append(f"| {b_} | {c0_} | {k_} | {x_cf} | {x_fit:.4f} | {rel:.2e} |")
    assert rel < 0.02, (b_, c0_, k_, rel)
    assert abs(x_fit - float(x_cf)) < 0.03, (b_, c0_, k_, x_fit, x_cf)
    # mass budget of the scheme: initial = grid + reservoir + dissipated (+ outflow), to rounding
    assert np.max(np.abs(sol.budget_residual)) < 1e-10 * sol.initial_mass
display(Markdown("\n".join(rows)))
