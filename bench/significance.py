"""Paired comparisons of two systems over the same queries: a randomisation
(sign-flip) test and a bootstrap interval of the mean per-query difference,
as IR papers report them (Smucker, Allan and Carterette, CIKM 2007)."""

from __future__ import annotations

from dataclasses import dataclass

ROUNDS = 10_000
CHUNK = 500  # rounds drawn at once: 2,590 train queries stay a few MB
SEED = 2017  # fixed, so a rerun on the same scores reports the same p and interval


@dataclass(frozen=True)
class Comparison:
    delta: float
    low: float
    high: float
    p_value: float
    wins: int
    losses: int


def compare(*, ours: list[float], theirs: list[float]) -> Comparison:
    """Mean of ours - theirs, its bootstrap 95% interval, and the two-sided p of
    the randomisation test: how often a random swap of the two systems' scores
    per query gives a mean difference at least as large."""
    import numpy as np

    diffs = np.asarray(ours, dtype=float) - np.asarray(theirs, dtype=float)
    rng = np.random.default_rng(SEED)
    observed = abs(diffs.mean())
    extreme, means = 0, []
    for _ in range(ROUNDS // CHUNK):
        signs = rng.choice((-1.0, 1.0), size=(CHUNK, len(diffs)))
        extreme += int((np.abs((signs * diffs).mean(axis=1)) >= observed - 1e-12).sum())
        samples = rng.integers(0, len(diffs), size=(CHUNK, len(diffs)))
        means.append(diffs[samples].mean(axis=1))
    means = np.concatenate(means)
    return Comparison(
        delta=float(diffs.mean()),
        low=float(np.percentile(means, 2.5)),
        high=float(np.percentile(means, 97.5)),
        p_value=(extreme + 1) / (ROUNDS + 1),
        wins=int((diffs > 0).sum()),
        losses=int((diffs < 0).sum()),
    )
