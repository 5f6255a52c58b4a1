"""A statistical test of condition 4 (log-shift invariance of the renormalized couplings).

Input: replicate coupling matrices ``K_r`` (``r`` = seeds, each the time mean of one
trajectory, or checkpoints of one trajectory) on one common window of ``m`` shells.  Log-shift
invariance [defined, docs/theory/couplings.md] says :math:`E[K_{\\alpha\\beta}] = \\kappa(\\alpha-\\beta)`
(Toeplitz).  The test reports [defined]:

* ``split_half``: median over random splits of the replicates into two halves of the Pearson
  correlation, across the upper-triangle entries, of the two half means.  It is the **gate**: below
  ``gate`` (default 0.5) the mean coupling matrix is not reproducible and the verdict is
  ``inconclusive`` whatever the other numbers say.  ``sign_agreement``: fraction of entries whose
  sign agrees between the halves (median over splits).
* ``p_value`` (structure): permutation p-value of the Toeplitz deviation :math:`\\delta` of the mean
  matrix against the same entries placed at random off the diagonal (antisymmetric placement),
  :math:`p = (1 + \\#\\{\\delta_\\pi \\le \\delta\\})/(1 + n_{perm})`.  Small ``p``: more shift
  structure than chance.
* ``p_invariance``: test of :math:`H_0`: the mean depends on (alpha, beta) only through
  alpha - beta.  Two statistics, each with a seed bootstrap **under** :math:`H_0` (replicates
  recentred on the Toeplitz projection of their mean, then resampled):
  the studentized Toeplitz residual :math:`\\sum(\\bar K - \\mathrm{Toep}\\bar K)^2/\\mathrm{se}^2`
  (``p_toeplitz``) and the **position regression** :math:`\\bar K_{\\alpha\\beta} =
  \\kappa_{\\alpha-\\beta} + \\gamma\\,h(\\alpha+\\beta)/2` (slope ``gamma``, ``p_position``);
  ``p_invariance = min(1, 2 min(p_toeplitz, p_position))`` (Bonferroni); a rejection counts
  only when the deviation is material, :math:`\\delta(\\bar K) >` ``tolerance`` (default 0.1, an
  equivalence margin).
* ``verdict``: ``inconclusive`` if the gate fails (or there are too few replicates/entries);
  else ``not supported`` if ``p_value >= level`` (no shift structure) or ``p_invariance < level`` with :math:`\\delta(\\bar K) >` ``tolerance``
  (material position dependence); else ``supported``.

The calibration (:mod:`grsd_sym.probe.calibrate`) measures how often this rule says
``supported`` on synthetic paths with exactly invariant couplings (power) and with controlled
violations (false-positive rate).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> kap = {1: -1.0, 2: -0.4, 3: -0.1}
>>> base = np.array([[0.0 if a == b else np.sign(b - a) * kap[abs(a - b)] for b in range(4)]
...                  for a in range(4)])
>>> reps = [base + 0.05 * (lambda z: z - z.T)(rng.standard_normal((4, 4))) for _ in range(8)]
>>> condition4_test(np.array(reps), h=1.0, seed=0)["verdict"]
'supported'
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import GRSDError, InputError, ShapeError
from grsd_sym.numeric.couplings import toeplitz_deviation

__all__ = [
    "VERDICTS",
    "batched_toeplitz_deviation",
    "condition4_test",
    "covariant_toeplitz",
    "offdiagonal_toeplitz",
    "permutation_p_value",
    "position_regression",
    "split_half",
    "toeplitz_null_baseline",
]

VERDICTS = ("supported", "not supported", "inconclusive")


def batched_toeplitz_deviation(P: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """:math:`\\delta` of a batch of matrices ``P`` (B, m, m) sharing one mask (vectorised).

    Same definition as :func:`grsd_sym.numeric.couplings.toeplitz_deviation` (means over the
    defined entries of each diagonal); ``nan`` where :math:`\\|P\\|_F = 0`.

    Parameters
    ----------
    P : numpy.ndarray
        ``(B, m, m)`` matrices.
    mask : numpy.ndarray
        ``(m, m)`` undefined entries.

    Returns
    -------
    numpy.ndarray
        ``(B,)``.

    Examples
    --------
    >>> i, j = np.indices((4, 4)); K = np.exp(-np.abs(i - j))
    >>> batched_toeplitz_deviation(np.stack([K, K + np.diag([0, 0, 0, 1.0])]), np.zeros((4, 4), bool)).round(4)
    array([0.    , 0.3083])
    """
    B, m, _ = P.shape
    i, j = np.indices((m, m))
    good = ~mask.ravel()
    off = (i - j).ravel()[good] + m - 1
    O = np.zeros((off.size, 2 * m - 1))
    O[np.arange(off.size), off] = 1.0
    X = P.reshape(B, m * m)[:, good]
    cnt = O.sum(axis=0)
    mean = (X @ O) / np.maximum(cnt, 1.0)
    diff = X - mean[:, off]
    num = np.sqrt(np.sum(diff**2, axis=1))
    den = np.sqrt(np.sum(X**2, axis=1))
    out = np.full(B, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _masked_data(K) -> tuple[np.ndarray, np.ndarray]:
    M: np.ma.MaskedArray = np.ma.asarray(K.matrix if hasattr(K, "matrix") else K, dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ShapeError(f"coupling matrix must be square, got shape {M.shape}")
    mask = np.ma.getmaskarray(M) | ~np.isfinite(np.ma.getdata(M))
    return np.where(mask, 0.0, np.ma.getdata(M)), mask


def _permuted_deltas(data, mask, rng, n, antisymmetric):
    m = data.shape[0]
    if antisymmetric:
        iu = np.triu_indices(m, 1)
        sel = ~mask[iu]
        pos = (iu[0][sel], iu[1][sel])
    else:
        pos = np.nonzero(~np.eye(m, dtype=bool) & ~mask)
    vals = data[pos]
    if vals.size < 2:
        return None
    P = np.broadcast_to(data, (n, *data.shape)).copy()
    perm = np.argsort(rng.random((n, vals.size)), axis=1)
    P[:, pos[0], pos[1]] = vals[perm]
    if antisymmetric:
        P[:, pos[1], pos[0]] = -vals[perm]
    return batched_toeplitz_deviation(P, mask)


def toeplitz_null_baseline(
    K: ArrayLike,
    rng: np.random.Generator,
    n: int = 200,
    antisymmetric: bool = False,
    window: tuple[float, float] | None = None,
    alphas: ArrayLike | None = None,
) -> float:
    """Mean Toeplitz deviation of ``K`` with its defined off-diagonal entries randomly permuted.

    The null hypothesis "no shift structure": the same numbers placed without regard to
    :math:`\\alpha - \\beta`; the main diagonal is kept.  ``antisymmetric=True`` permutes the
    strict upper triangle and sets the lower one to minus its transpose.

    Parameters
    ----------
    K : array_like or masked array
        ``(m, m)`` couplings (masked or NaN = undefined).
    rng : numpy.random.Generator
    n : int
        Permutations.
    antisymmetric : bool
    window : tuple of float, optional
        Keep the shells ``window[0] <= alpha <= window[1]``.
    alphas : array_like, optional
        Shell labels of the rows (default ``0..m-1``).

    Returns
    -------
    float
        ``nan`` when undefined.

    Examples
    --------
    >>> i, j = np.indices((4, 4))
    >>> toeplitz_null_baseline(np.exp(-np.abs(i - j)), np.random.default_rng(0), n=50) > 0.1
    True
    """
    data, mask = _masked_data(K)
    if window is not None:
        al = np.arange(data.shape[0]) if alphas is None else np.asarray(alphas)
        sel = (al >= window[0]) & (al <= window[1])
        data, mask = data[np.ix_(sel, sel)], mask[np.ix_(sel, sel)]
    d = _permuted_deltas(data, mask, rng, n, antisymmetric)
    if d is None:
        return float("nan")
    d = d[np.isfinite(d)]
    return float(d.mean()) if d.size else float("nan")


def permutation_p_value(K: ArrayLike, rng: np.random.Generator, n: int = 999, antisymmetric: bool = True) -> dict:
    """Permutation p-value of the Toeplitz deviation of ``K`` (see the module docstring).

    Parameters
    ----------
    K : array_like or masked array
        ``(m, m)`` couplings.
    rng : numpy.random.Generator
    n : int
        Permutations.
    antisymmetric : bool
        Permute the strict upper triangle and mirror it with a minus sign.

    Returns
    -------
    dict
        ``delta``, ``p_value``, the null ``null_mean`` and ``null_q05`` (5% quantile).

    Examples
    --------
    >>> i, j = np.indices((4, 4)); A = np.sign(i - j) * np.exp(-np.abs(i - j))
    >>> r = permutation_p_value(A, np.random.default_rng(0), n=99)
    >>> r["delta"], r["p_value"]
    (0.0, 0.04)
    """
    data, mask = _masked_data(K)
    try:
        d_obs = toeplitz_deviation(np.ma.MaskedArray(data, mask=mask))
    except GRSDError:
        return {"delta": None, "p_value": None, "null_mean": None, "null_q05": None}
    d = _permuted_deltas(data, mask, rng, n, antisymmetric)
    if d is None:
        return {"delta": d_obs, "p_value": None, "null_mean": None, "null_q05": None}
    d = d[np.isfinite(d)]
    p = (1.0 + np.sum(d <= d_obs + 1e-12)) / (1.0 + d.size)
    return {
        "delta": float(d_obs),
        "p_value": float(p),
        "null_mean": float(d.mean()),
        "null_q05": float(np.quantile(d, 0.05)),
    }


def covariant_toeplitz(K: ArrayLike, h: float, min_entries: int = 3) -> tuple[float, float]:
    """Log-shift invariance up to a power-law rescaling: fit ``q`` and measure the rest.

    [defined] If :math:`K_{\\alpha\\beta} = e^{q\\,h(\\alpha+\\beta)/2}\\,\\kappa_{\\alpha-\\beta}`
    (the renormalization :math:`1/\\sqrt{\\lambda_\\alpha\\lambda_\\beta}` is then off by
    :math:`\\lambda^{q}`), :math:`K e^{-q h(\\alpha+\\beta)/2}` is Toeplitz.  ``q`` is the
    least-squares slope of :math:`\\log|K_{\\alpha\\beta}|` against :math:`h(\\alpha+\\beta)/2`
    with one intercept per diagonal (strict upper triangle, defined non-zero entries).

    Parameters
    ----------
    K : array_like or masked array
        ``(m, m)`` couplings.
    h : float
        Shell width.
    min_entries : int
        Fewest usable entries.

    Returns
    -------
    tuple of float
        ``(q, delta of the rescaled K)``, ``(nan, nan)`` when not identified.

    Examples
    --------
    >>> i, j = np.indices((4, 4)); A = np.sign(i - j) * np.exp(-np.abs(i - j))
    >>> q, d = covariant_toeplitz(A * np.exp(0.3 * (i + j) / 2), 1.0)
    >>> round(q, 6), d < 1e-12
    (0.3, True)
    """
    data, mask = _masked_data(K)
    m = data.shape[0]
    a, b = np.triu_indices(m, 1)
    ok = ~mask[a, b] & (data[a, b] != 0)
    a, b = a[ok], b[ok]
    if a.size < min_entries:
        return float("nan"), float("nan")
    X, _diag, ud = _design(a, b, h)
    if a.size <= ud.size:  # every diagonal has a single entry: the slope is not identified
        return float("nan"), float("nan")
    y = np.log(np.abs(data[a, b]))
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    q = float(coef[-1])
    i, j = np.indices((m, m))
    R = data * np.exp(-q * 0.5 * h * (i + j))
    try:
        d = toeplitz_deviation(np.ma.MaskedArray(R, mask=mask))
    except GRSDError:
        d = float("nan")
    return q, d


def offdiagonal_toeplitz(W: ArrayLike, rng: np.random.Generator, n: int = 999) -> dict:
    """Condition 4 on the overlap couplings ``W`` judged on the **off-diagonal** part only.

    ``W`` is nearly the identity (modes stay in their shell: condition 3), so the diagonal would
    dominate :math:`\\delta`; here the diagonal is masked and :math:`\\delta`, its permutation
    null and p-value are computed on the off-diagonal entries (non-antisymmetric placement).

    Parameters
    ----------
    W : array_like or masked array
        ``(m, m)`` overlap couplings.
    rng : numpy.random.Generator
    n : int
        Permutations.

    Returns
    -------
    dict
        ``delta_W_offdiag``, ``p_value_W_offdiag``, ``delta_W_offdiag_null``.

    Examples
    --------
    >>> i, j = np.indices((4, 4)); A = np.sign(i - j) * np.exp(-np.abs(i - j))
    >>> offdiagonal_toeplitz(np.eye(4) + 0.1 * A, np.random.default_rng(0), n=99)["delta_W_offdiag"]
    0.0
    """
    data, mask = _masked_data(W)
    mask = mask | np.eye(data.shape[0], dtype=bool)
    out = permutation_p_value(np.ma.MaskedArray(data, mask=mask), rng, n=n, antisymmetric=False)
    return {
        "delta_W_offdiag": out["delta"],
        "p_value_W_offdiag": out["p_value"],
        "delta_W_offdiag_null": out["null_mean"],
    }


def _upper(reps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = reps.shape[1]
    a, b = np.triu_indices(m, 1)
    Y = reps[:, a, b]
    ok = np.sum(np.isfinite(Y), axis=0) >= 2
    return Y[:, ok], a[ok], b[ok]


def split_half(Y: np.ndarray, rng: np.random.Generator, n_split: int = 100) -> dict:
    """Split-half reproducibility of the mean of replicate vectors ``Y`` (R x P): median Pearson
    correlation of the two half means over ``n_split`` random splits, and median sign agreement.

    Parameters
    ----------
    Y : numpy.ndarray
        ``(R, P)`` replicates (NaN = undefined).
    rng : numpy.random.Generator
    n_split : int

    Returns
    -------
    dict
        ``r``, ``sign_agreement``, ``n_split`` (``None``, ``None``, 0 with < 4 replicates).

    Examples
    --------
    >>> Y = np.random.default_rng(1).normal(size=(8, 6)) + np.arange(6)
    >>> split_half(Y, np.random.default_rng(0))["r"] > 0.9
    True
    """
    R = Y.shape[0]
    if R < 4 or Y.shape[1] < 3:
        return {"r": None, "sign_agreement": None, "n_split": 0}
    rs, sg = [], []
    for _ in range(int(n_split)):
        p = rng.permutation(R)
        h1, h2 = np.nanmean(Y[p[: R // 2]], axis=0), np.nanmean(Y[p[R // 2 :]], axis=0)
        ok = np.isfinite(h1) & np.isfinite(h2)
        if ok.sum() < 3 or np.std(h1[ok]) == 0 or np.std(h2[ok]) == 0:
            continue
        rs.append(float(np.corrcoef(h1[ok], h2[ok])[0, 1]))
        sg.append(float(np.mean(np.sign(h1[ok]) == np.sign(h2[ok]))))
    if not rs:
        return {"r": None, "sign_agreement": None, "n_split": 0}
    return {"r": float(np.median(rs)), "sign_agreement": float(np.median(sg)), "n_split": len(rs)}


def _design(a, b, h):
    diag = b - a
    ud = np.unique(diag)
    X = np.zeros((a.size, ud.size + 1))
    X[np.arange(a.size), np.searchsorted(ud, diag)] = 1.0
    X[:, -1] = 0.5 * h * (a + b)
    return X, diag, ud


def position_regression(y: np.ndarray, a: np.ndarray, b: np.ndarray, h: float) -> float | None:
    """Slope ``gamma`` of :math:`y_{\\alpha\\beta} = \\kappa_{\\alpha-\\beta} + \\gamma h(\\alpha+\\beta)/2`
    (least squares).

    Parameters
    ----------
    y : numpy.ndarray
        Entries at positions ``(a, b)``.
    a, b : numpy.ndarray
        Row and column shell indices of the entries.
    h : float
        Shell width.

    Returns
    -------
    float or None
        ``None`` when not identified (no diagonal with two entries).

    Examples
    --------
    >>> a, b = np.triu_indices(4, 1)
    >>> round(position_regression((b - a) + 0.5 * (a + b), a, b, 1.0), 6)
    1.0
    """
    X, _diag, ud = _design(a, b, h)
    if a.size <= ud.size:
        return None
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(coef[-1])


def _linear_maps(a, b, h, diag, ud):
    """Matrices of the two linear statistics of a mean vector: the Toeplitz residual
    ``ybar @ Rm`` and the position slope ``ybar @ g`` (zero vector when not identified)."""
    P = a.size
    idx = np.searchsorted(ud, diag)
    Dm = np.zeros((P, ud.size))
    Dm[np.arange(P), idx] = 1.0
    H = Dm @ np.linalg.pinv(Dm)  # projection on the diagonal means
    Rm = np.eye(P) - H
    X, _, _ = _design(a, b, h)
    if ud.size < P:
        g = np.linalg.pinv(X)[-1]  # least-squares slope as a linear functional
    else:
        g = np.zeros(P)
    return Rm, g


def _stats_batch(Yb, Rm, g):
    """Studentized Toeplitz residual and position slope for a batch (B, R, P) of replicate sets."""
    R = Yb.shape[1]
    ybar = Yb.mean(axis=1)
    se2 = Yb.var(axis=1, ddof=1) / R
    se2 = np.maximum(se2, 1e-300 + 1e-12 * se2.mean(axis=1, keepdims=True))
    resid = ybar @ Rm
    return np.sum(resid**2 / se2, axis=1), ybar @ g


def condition4_test(
    reps: ArrayLike,
    h: float,
    *,
    level: float = 0.05,
    gate: float = 0.5,
    n_perm: int = 999,
    n_boot: int = 400,  # bootstrap resamples of the replicates (Toeplitz and position tests)
    n_split: int = 100,
    seed: int = 0,
    replicate_kind: str = "seeds",
    tolerance: float = 0.1,
) -> dict:
    """Test condition 4 on replicate coupling matrices ``reps`` (R, m, m); see the module docstring.

    Parameters
    ----------
    reps : array (R, m, m)
        Antisymmetric renormalized couplings ``K`` per replicate on one common window (NaN =
        undefined entry).
    h : float
        Shell width (position regressor ``h (alpha + beta) / 2``).
    level, gate : float
        Significance level of both tests; minimum split-half correlation.
    n_perm, n_boot, n_split : int
        Permutations of the mean's Toeplitz deviation, bootstrap resamples, random split-halves.
    seed : int
        Random seed.
    replicate_kind : str
        What the replicates are (e.g. ``"seeds"``), for the verdict's reason.
    tolerance : float
        Equivalence margin: a significant departure from Toeplitz counts as a violation only
        when the Toeplitz deviation of the mean, :math:`\\delta(\\bar K)`, exceeds it (shell
        discreteness alone gives a few percent on exactly invariant synthetic paths).

    Returns
    -------
    dict
        ``verdict``, ``reason``, ``p_value``, ``p_invariance``, ``p_toeplitz``, ``p_position``,
        ``position_slope`` (+ bootstrap ``position_slope_ci``), ``split_half`` (dict),
        ``delta`` (of the mean), ``delta_null_mean``, ``n_replicates``, ``n_entries``.

    Raises
    ------
    ShapeError
        ``reps`` is not (R, m, m).

    Examples
    --------
    >>> i, j = np.indices((5, 5)); A = np.sign(i - j) * np.exp(-np.abs(i - j))
    >>> reps = A + 0.05 * np.random.default_rng(0).normal(size=(8, 5, 5))
    >>> condition4_test(reps, 1.0, n_perm=99, n_boot=99)["verdict"]
    'supported'
    """
    reps = np.asarray(reps, dtype=float)
    if reps.ndim != 3 or reps.shape[1] != reps.shape[2]:
        raise ShapeError(f"reps must have shape (R, m, m), got {reps.shape}")
    if not (0 < level < 1) or not (-1 <= gate <= 1):
        raise InputError(f"level must be in (0, 1) and gate in [-1, 1], got {level}, {gate}")
    rng = np.random.default_rng(seed)
    R, m = reps.shape[0], reps.shape[1]
    out: dict = {
        "n_replicates": int(R),
        "replicate_kind": replicate_kind,
        "n_shells": int(m),
        "level": level,
        "gate": gate,
        "tolerance": tolerance,
    }
    Y, a, b = _upper(reps)
    out["n_entries"] = int(Y.shape[1])
    if R < 4 or Y.shape[1] < 3:
        out.update(
            {
                "verdict": "inconclusive",
                "p_value": None,
                "p_invariance": None,
                "split_half": {"r": None},
                "reason": f"too few replicates ({R} < 4) or entries ({Y.shape[1]} < 3)",
            }
        )
        return out
    sh = split_half(Y, rng, n_split)
    out["split_half"] = sh
    Kbar = np.full((m, m), np.nan)
    ybar = np.nanmean(Y, axis=0)
    Kbar[a, b], Kbar[b, a] = ybar, -ybar
    np.fill_diagonal(Kbar, 0.0)
    pm = permutation_p_value(
        np.ma.MaskedArray(np.nan_to_num(Kbar), mask=~np.isfinite(Kbar)), rng, n=n_perm, antisymmetric=True
    )
    out.update(
        {
            "delta": pm["delta"],
            "p_value_permutation": pm["p_value"],
            "delta_null_mean": pm["null_mean"],
            "delta_null_q05": pm["null_q05"],
        }
    )
    _X, diag, ud = _design(a, b, h)
    Yf = np.where(np.isfinite(Y), Y, ybar[None, :])
    Rm, gvec = _linear_maps(a, b, h, diag, ud)
    chi_a, g_a = _stats_batch(Yf[None], Rm, gvec)
    chi, g = float(chi_a[0]), float(g_a[0])
    # bootstrap under H0: recentre every replicate on the Toeplitz projection of the mean
    Y0 = Yf - (ybar @ Rm)[None, :]
    idx = rng.integers(0, R, (int(n_boot), R))
    chis, gs = _stats_batch(Y0[idx], Rm, gvec)
    g_boot = _stats_batch(Yf[idx], Rm, gvec)[1]
    p_t = (1.0 + np.sum(chis >= chi)) / (1.0 + chis.size)
    identified = a.size > ud.size
    p_g = (1.0 + np.sum(np.abs(gs) >= abs(g))) / (1.0 + gs.size) if identified else 1.0
    p_inv = min(1.0, 2.0 * min(p_t, p_g))
    # structure: do the diagonal means differ beyond the seed noise?  H0: one common mean (no
    # dependence on alpha - beta); bootstrap with every replicate recentred on the grand mean
    H = np.eye(ybar.size) - Rm
    shift = ybar @ H - ybar.mean()
    st = float(np.sum(shift**2))
    Ys = Yf - shift[None, :]
    bs = Ys[idx].mean(axis=1) @ H
    st_b = np.sum((bs - bs.mean(axis=1, keepdims=True)) ** 2, axis=1)
    p_s = float((1.0 + np.sum(st_b >= st)) / (1.0 + st_b.size))
    out["p_value"] = p_s
    out.update(
        {
            "toeplitz_chi2": chi,
            "p_toeplitz": float(p_t),
            "position_slope": g if identified else None,
            "position_slope_ci": (
                [float(np.quantile(g_boot, 0.025)), float(np.quantile(g_boot, 0.975))] if identified else None
            ),
            "p_position": float(p_g) if identified else None,
            "p_invariance": float(p_inv),
        }
    )
    r = sh["r"]
    if r is None or r < gate:
        out["verdict"] = "inconclusive"
        out["reason"] = (
            f"split-half reproducibility r = {r if r is None else round(r, 3)} < gate "
            f"{gate}: the mean couplings are not reproducible over {replicate_kind}"
        )
    elif p_s >= level:
        out["verdict"] = "not supported"
        out["reason"] = (
            f"no shift structure beyond the seed noise: the couplings do not depend "
            f"on alpha - beta (p = {p_s:.3g} >= {level})"
        )
    elif p_inv < level and pm["delta"] is not None and pm["delta"] > tolerance:
        out["verdict"] = "not supported"
        out["reason"] = (
            f"couplings depend on the shell position, not only on alpha - beta: "
            f"p_invariance = {p_inv:.3g} < {level} and delta = {pm['delta']:.3g} > "
            f"{tolerance} (Toeplitz residual p = {p_t:.3g}, "
            f"position slope {g:.3g}, p = {p_g:.3g})"
        )
    else:
        out["verdict"] = "supported"
        struct = f"shift structure (p = {p_s:.3g} < {level})"
        out["reason"] = (
            f"reproducible (split-half r = {r:.3f} >= {gate}), {struct} and no "
            f"material position dependence (p_invariance = {p_inv:.3g}, delta = "
            f"{pm['delta']:.3g}, tolerance {tolerance})"
        )
    return out
