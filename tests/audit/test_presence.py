"""Presence decision: the features, the hand-written rule as the default, a fitted scored combination."""

from __future__ import annotations

import pytest

from assistant.audit.presence import (
    FEATURES,
    RULE_ONLY,
    PresenceFeatures,
    PresenceModel,
    fit,
    log_loss,
)


def features(rule: bool = False, heading: bool = False, signals: int = 0, similarity: float = 0.4, met_share: float = 0.0,
             core: bool = False) -> PresenceFeatures:
    return PresenceFeatures(rule, heading, signals, similarity, met_share, core)


def test_the_vector_follows_the_feature_order_and_caps_signals():
    vector = features(rule=True, heading=True, signals=7, similarity=0.62, met_share=0.5, core=True).vector()
    assert list(vector) == [1.0, 1.0, 1.0, 0.62, 0.5, 1.0] and len(vector) == len(FEATURES)
    assert features(signals=1).vector()[FEATURES.index("signals")] == pytest.approx(1 / 3)


def test_without_a_fit_the_rule_decides():
    assert RULE_ONLY.decides("termination_for_convenience", features(rule=True))
    assert not RULE_ONLY.decides("termination_for_convenience", features(rule=False, heading=True, signals=3, met_share=1.0))
    assert RULE_ONLY.score("termination_for_convenience", features()) is None


def test_a_fitted_model_learns_which_signals_matter_and_leaves_other_clauses_to_the_rule():
    # a provision is there when several phrasings agree or half its elements are met, whatever the rule said
    rows = []
    for k in range(60):
        signals, met = k % 4, (k % 5) / 4
        present = signals >= 2 or met >= 0.5
        rows.append(("audit_rights", features(rule=signals == 1, signals=signals, met_share=met, similarity=0.5), present))
    model = fit(rows)
    assert model.decides("audit_rights", features(signals=3, met_share=0.0))
    assert model.decides("audit_rights", features(signals=0, met_share=1.0))
    assert not model.decides("audit_rights", features(rule=True, signals=1, met_share=0.0))
    assert model.weights["signals"] > 0 and model.weights["met_share"] > 0
    assert log_loss(model, rows) < 0.4
    assert model.decides("exit_plan", features(rule=True)) and not model.decides("exit_plan", features(signals=3))


def test_a_clause_with_few_examples_keeps_close_to_the_common_bias():
    common = [("insurance", features(signals=s, met_share=m), s >= 2) for s in range(4) for m in (0.0, 0.5, 1.0) for _ in range(5)]
    rare = [("governing_law", features(signals=1), True)]
    shrunk, free = fit(common + rare, bias_l2=10.0), fit(common + rare, bias_l2=0.01)
    assert abs(shrunk.bias["governing_law"] - shrunk.common_bias) < 0.2  # one example says little about a clause type
    assert free.bias["governing_law"] - free.bias["insurance"] > 2.0  # unshrunk, it follows that one example
    assert fit(common + rare, bias_l2=10.0) == shrunk  # deterministic


def test_a_fit_is_saved_and_loaded_as_it_was(tmp_path):
    model = PresenceModel({"signals": 2.0, "rule": 1.0}, {"audit_rights": -1.5}, -1.2, "test")
    model.save(tmp_path / "presence.yaml")
    loaded = PresenceModel.load(tmp_path / "presence.yaml")
    assert loaded == model and loaded.score("audit_rights", features(signals=3)) == pytest.approx(0.5)
    assert PresenceFeatures.from_dict(features(rule=True, signals=2).to_dict()) == features(rule=True, signals=2)


def test_an_unknown_feature_names_the_valid_ones():
    with pytest.raises(ValueError, match="valid: rule, heading, signals"):
        PresenceModel({"length": 1.0})
    assert fit([]) == RULE_ONLY
