"""Presence: whether a clause type the audit has anchored (a passage under its heading or matching its signals) is
really provided for, or only mentioned in passing.

One scored combination, the same for every clause type, over what the audit already computes for the candidate's
evidence (``PresenceFeatures``): the hand-written rule (``rule``: own heading with a signal or half the elements,
several distinct phrasings, or one phrasing with half the elements or close to the exemplars), a heading match, the
number of distinct signal phrasings, the best similarity to the exemplars, the share of elements met and whether the
core element is met. ``score = bias[clause] + sum(weight * feature)``; the clause is present when the score is at
least 0. The weights are shared by all clause types and each clause type has its own bias (its base rate); both are
fitted by ``eval/fit_presence.py`` (a ridge-regularised logistic regression, the biases shrunk towards a common one)
on the tuning part of the development contracts. A clause type the fit had no labels for (a user's own, or one with
no CUAD counterpart) is decided by the hand-written rule alone, and ``RULE_ONLY`` (no fit) is the rule for every
clause type: the audit's default, since the fit did no better than the rule on the checking part (README).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import yaml

FEATURES: tuple[str, ...] = ("rule", "heading", "signals", "similarity", "met_share", "core")
SIGNALS_CAP = 3  # more distinct phrasings than this say nothing more


@dataclass(frozen=True)
class PresenceFeatures:
    """What the audit knows about an anchored candidate, from its top evidence passages."""

    rule: bool  # the hand-written rule's decision
    heading: bool  # a passage under one of the clause's headings
    signals: int  # distinct signal phrasings over the passages
    similarity: float  # best cosine similarity of a passage to the clause's exemplars
    met_share: float  # share of the clause's elements met
    core: bool  # the clause's core (first) element met

    def vector(self) -> np.ndarray:
        """The features in ``FEATURES`` order, each in 0..1."""
        return np.array([float(self.rule), float(self.heading), min(self.signals, SIGNALS_CAP) / SIGNALS_CAP,
                         float(self.similarity), float(self.met_share), float(self.core)])

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "heading": self.heading, "signals": self.signals, "similarity": self.similarity,
                "met_share": self.met_share, "core": self.core}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PresenceFeatures":
        return cls(bool(data["rule"]), bool(data["heading"]), int(data["signals"]), float(data["similarity"]),
                   float(data["met_share"]), bool(data["core"]))


@dataclass(frozen=True)
class PresenceModel:
    """Shared feature weights and a bias per fitted clause type; an unfitted clause type follows the rule."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: dict[str, float] = field(default_factory=dict)
    common_bias: float = 0.0  # the bias the clause biases were shrunk towards (reported, not used to decide)
    fitted_on: str = ""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown presence feature(s) {', '.join(unknown)}; valid: {', '.join(FEATURES)}")

    def score(self, clause_id: str, features: PresenceFeatures) -> float | None:
        """The clause's score (present at 0 or above); None when the model was not fitted for this clause type."""
        if clause_id not in self.bias:
            return None
        vector = features.vector()
        return self.bias[clause_id] + sum(self.weights.get(name, 0.0) * vector[k] for k, name in enumerate(FEATURES))

    def decides(self, clause_id: str, features: PresenceFeatures) -> bool:
        """Present or not: the fitted score, or the hand-written rule for a clause type the fit did not cover."""
        score = self.score(clause_id, features)
        return features.rule if score is None else score >= 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"fitted_on": self.fitted_on, "weights": {k: round(float(v), 4) for k, v in self.weights.items()},
                "common_bias": round(float(self.common_bias), 4), "bias": {k: round(float(v), 4) for k, v in sorted(self.bias.items())}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PresenceModel":
        return cls({k: float(v) for k, v in (data.get("weights") or {}).items()}, {k: float(v) for k, v in (data.get("bias") or {}).items()},
                   float(data.get("common_bias", 0.0)), str(data.get("fitted_on", "")))

    @classmethod
    def load(cls, path: Path) -> "PresenceModel":
        """A fit written by ``eval/fit_presence.py --write FILE``."""
        return cls.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")) or {})

    def save(self, path: Path) -> None:
        path.write_text("# A presence decision fitted by eval/fit_presence.py (see assistant/audit/presence.py).\n"
                        + yaml.safe_dump(self.to_dict(), sort_keys=False), encoding="utf-8")


RULE_ONLY = PresenceModel()


def fit(examples: Iterable[tuple[str, PresenceFeatures, bool]], weight_l2: float = 1.0, bias_l2: float = 4.0,
        iterations: int = 50) -> PresenceModel:
    """Logistic regression over (clause id, features, present?) examples: shared weights (ridge ``weight_l2``), a
    common bias (unpenalised) and per-clause offsets from it (ridge ``bias_l2``: a clause type with few examples keeps
    close to the common bias). Newton steps on the penalised log-likelihood; deterministic."""
    rows = list(examples)
    if not rows:
        return RULE_ONLY
    clauses = sorted({c for c, _, _ in rows})
    column = {c: k for k, c in enumerate(clauses)}
    nf = len(FEATURES)
    x = np.zeros((len(rows), nf + 1 + len(clauses)))
    for r, (clause, features, _) in enumerate(rows):
        x[r, :nf] = features.vector()
        x[r, nf] = 1.0
        x[r, nf + 1 + column[clause]] = 1.0
    y = np.array([1.0 if label else 0.0 for _, _, label in rows])
    penalty = np.concatenate([np.full(nf, weight_l2), [1e-6], np.full(len(clauses), bias_l2)])
    theta = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = _sigmoid(x @ theta)
        gradient = x.T @ (p - y) + penalty * theta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    common = float(theta[nf])
    return PresenceModel({name: float(theta[k]) for k, name in enumerate(FEATURES)},
                         {c: common + float(theta[nf + 1 + column[c]]) for c in clauses}, common)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def log_loss(model: PresenceModel, examples: Sequence[tuple[str, PresenceFeatures, bool]]) -> float:
    """Mean negative log-likelihood of the examples under the model (fitted clause types only)."""
    losses = []
    for clause, features, label in examples:
        score = model.score(clause, features)
        if score is not None:
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            losses.append(-math.log(p if label else 1.0 - p))
    return sum(losses) / len(losses) if losses else 0.0
