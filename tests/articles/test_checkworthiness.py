"""Check-worthiness scoring: the rule scorer and the trainable one, on small hand-made sentences."""

import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.checkworthiness import DEFAULT_MODEL_NAME, REASONS, Score, feature_hits, score_statement, score_statements
from articles.checkworthiness_training import (
    C_GRID,
    TrainedScorer,
    _splits,
    build_pipeline,
    cross_validate,
    train_scorer,
)

STATISTIC = "Unemployment rose to 7.5% in March, according to the Bureau of Labor Statistics."
OPINION = "I think this is a terrible idea and we should be ashamed."
QUESTION = "What are we going to do about it?"


def test_default_model_name_is_the_rules():
    assert DEFAULT_MODEL_NAME == "rules-v2"


def test_statistic_claim_scores_higher_than_an_opinion():
    claim, opinion = score_statement(STATISTIC), score_statement(OPINION)
    assert claim.score > 0.8
    assert opinion.score < 0.2
    assert "states a number" in claim.reasons
    assert "opinion words" in opinion.reasons


def test_question_is_flagged_and_scores_low():
    result = score_statement(QUESTION)
    assert "question" in result.reasons
    assert result.score < 0.2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The company laid off 1,200 workers last spring, the union said.", "states a number"),
        ("Spending on schools was cut by the Department of Education in Ohio.", "names an organisation"),
        ("Crime in the city is now higher than it was ten years ago.", "compares"),
        ("According to a Gallup poll, most voters oppose the plan.", "cites a source"),
        ("We believe the council should be more generous.", "opinion words"),
        ("Thanks, everyone.", "too short"),
        ("The mayor earns $250,000 a year.", "mentions money"),
        ("Inflation reached 9 percent in 2022.", "states a percentage"),
        ("Maybe the figures could be wrong.", "hedges"),
    ],
)
def test_each_cue_names_its_reason(text, reason):
    assert reason in score_statement(text).reasons


def test_reasons_are_short_plain_phrases_an_editor_can_read():
    texts = [STATISTIC, OPINION, QUESTION, "Hi!", "NATO said it had doubled its troops since 2014."]
    for result in score_statements(texts):
        for reason in result.reasons:
            assert reason in REASONS
            assert re.fullmatch(r"[a-z][a-z ,.()]*", reason), reason
            assert len(reason) <= 50


def test_reasons_list_strongest_cue_first():
    # A number moves the score more than a capitalised name does.
    assert score_statement("Smith said 40 people came.").reasons[0] == "states a number"


def test_batch_matches_one_by_one_and_keeps_order():
    texts = [STATISTIC, OPINION, QUESTION, ""]
    assert score_statements(texts) == [score_statement(t) for t in texts]
    assert score_statements([]) == []
    assert score_statements(iter(texts)) == score_statements(texts)


@pytest.mark.parametrize(
    "text",
    [
        "2. The council approves the plan for the new bridge.",
        "(b) The council approves the plan for the new bridge.",
        "In 2019 the mayor opened the bridge on April 9.",
        "The F-35 and the S-300 were both on display in Moscow.",
    ],
)
def test_numbering_years_dates_and_model_names_are_not_figures(text):
    assert "states a number" not in score_statement(text).reasons


def test_list_items_and_lead_ins_are_marked_and_score_below_the_same_claim_with_a_figure():
    item = score_statement("2. The council approves the plan for the new bridge.")
    lead_in = score_statement("The council set itself three goals:")
    assert "list item or lead-in" in item.reasons and "list item or lead-in" in lead_in.reasons
    assert item.score < score_statement("The council approved 2 plans for the new bridge.").score


@pytest.mark.parametrize(
    ("fact", "other"),
    [
        # opinion and judgement
        ("The mayor cut 200 jobs at city hall in 2021.", "I think the mayor is doing a wonderful job for all of us."),
        ("Unemployment fell to 4.1 percent in March.", "The unemployment figures are a disgrace and a shame."),
        # what should be, and what will be
        ("The city spent more on schools than on roads in 2020.", "We should spend far more on our schools."),
        ("The council raised taxes by 3 percent last year.", "The council will raise taxes next year."),
        # questions and hedged speech
        ("The council raised taxes by 3 percent last year.", "Will the council raise taxes again next year?"),
        ("Prices rose 3 percent in 2022, the statistics office said.", "Prices may perhaps rise a little, it seems."),
        # rhetoric that only sounds like a comparison
        ("The campaign cost more than $2 million.", "The campaign was fought with anger rather than ideas."),
        # a life story is factual but rarely worth checking
        ("Since 2015, crime in the state has fallen by a third.", "My father was a farmer and I grew up in Ohio."),
    ],
)
def test_factual_claims_score_above_opinion_predictions_questions_and_hedges(fact, other):
    assert score_statement(fact).score > score_statement(other).score


@pytest.mark.parametrize(
    "text",
    [
        "Will the council raise taxes again next year?",
        "The council will raise taxes next year.",
        "Prices may perhaps rise a little, it seems.",
        "We should spend far more on our schools.",
        "I think the mayor is doing a wonderful job for all of us.",
    ],
)
def test_questions_predictions_hedges_and_opinions_fall_below_the_app_threshold(text):
    assert score_statement(text).score < 0.3


@pytest.mark.parametrize(
    ("claim", "with_cue", "reason"),
    [
        # The same report, once plain and once with the cue: only the cue separates them.
        (
            "The state cut taxes for every family in the county.",
            "The state can cut taxes for every family in the county.",
            "says what can or can't be",
        ),
        (
            "The mayor opposed the new stadium by the river.",
            "The mayor always opposed the new stadium by the river.",
            "sweeping generalisation",
        ),
        (
            "The minister signed the treaty in Oslo with the king.",
            "The minister wanted the treaty signed in Oslo with the king.",
            "what someone thinks or wants",
        ),
        (
            "The ministry moved its offices to Aleppo in 2019.",
            "The ministry moved its offices to Aleppo in 2019, in effect admitting defeat.",
            "reads motives or meaning",
        ),
        (
            "The army withdrew from the city in March.",
            "The army withdrew from the city in March, a humiliating retreat.",
            "judgement words",
        ),
    ],
)
def test_possibility_generalisation_minds_motives_and_loaded_words_rank_a_report_lower(claim, with_cue, reason):
    plain, cued = score_statement(claim), score_statement(with_cue)
    assert reason in cued.reasons and reason not in plain.reasons
    assert cued.score < plain.score


def test_what_someone_was_able_to_do_is_a_report_not_a_possibility():
    assert "says what can or can't be" not in score_statement("The council was able to cut taxes in 2019.").reasons


def test_since_and_than_count_only_as_time_and_comparison():
    assert "gives a date or period" in score_statement("Since 1998 he has commanded the force.").reasons
    assert "gives a date or period" not in score_statement("Since he left, nothing has worked here.").reasons
    assert "compares" in score_statement("Rents are higher than wages in the city.").reasons
    assert "compares" not in score_statement("He chose talks rather than a fight with them.").reasons


def test_the_month_may_is_not_a_hedge():
    reasons = score_statement("The army moved 40 tanks to the border in May, officials said.").reasons
    assert "hedges" not in reasons and "gives a date or period" in reasons
    assert "hedges" in score_statement("The army may move its tanks to the border.").reasons


def test_shouted_headline_is_not_read_as_a_string_of_acronyms():
    assert "names an organisation" not in score_statement("THIS IS A TOTAL DISGRACE FOR ALL OF US").reasons


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_score_is_a_probability_for_any_unicode(text):
    result = score_statement(text)
    assert isinstance(result, Score)
    assert 0.0 <= result.score <= 1.0
    assert all(isinstance(reason, str) and reason for reason in result.reasons)


# Speed is measured by bench/checkworthiness.py (sentences per second), not asserted here.


# --- trainable scorer -------------------------------------------------------------------------------

CLAIM_TEMPLATES = [
    "The {org} reported that {n} percent of {thing} rose last year.",
    "{org} spent ${n} million on {thing} in {year}.",
    "Since {year}, the number of {thing} has fallen by {n},000.",
    "The {org} voted to cut {thing} funding by {n} percent.",
]
OPINION_TEMPLATES = [
    "I really think {thing} is a wonderful thing for everyone.",
    "We should all care more about {thing}, honestly.",
    "Isn't it time we talked about {thing}?",
    "Frankly, I love how people feel about {thing}.",
]
ORGS = ["Senate", "city council", "health ministry", "Acme Corporation", "UN"]
THINGS = ["schools", "hospitals", "bus routes", "nurses", "parks", "police officers"]


def synthetic_data(n_per_class=30, seed=1):
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n_per_class):
        texts.append(_claim(rng))
        labels.append(1)
        texts.append(_opinion(rng))
        labels.append(0)
    return texts, labels


def _claim(rng):
    return rng.choice(CLAIM_TEMPLATES).format(
        org=rng.choice(ORGS), n=rng.randint(2, 90), thing=rng.choice(THINGS), year=rng.randint(1990, 2024)
    )


def _opinion(rng):
    return rng.choice(OPINION_TEMPLATES).format(thing=rng.choice(THINGS))


def labelled_kinds(n_claims, n_opinions, *, rates=(1.0, 0.0), seed=3):
    """Claims then opinions; a claim is labelled check-worthy with probability rates[0], an opinion rates[1]."""
    rng = random.Random(seed)
    texts = [_claim(rng) for _ in range(n_claims)] + [_opinion(rng) for _ in range(n_opinions)]
    kinds = [1] * n_claims + [0] * n_opinions
    labels = [int(rng.random() < (rates[0] if kind else rates[1])) for kind in kinds]
    return texts, labels, kinds


@pytest.fixture(scope="module")
def trained():
    texts, labels = synthetic_data()
    return train_scorer(texts, labels, version="test-model", folds=3, seed=0)


def test_training_on_a_small_labelled_set_separates_claims_from_opinions(trained):
    assert trained.version == "test-model"
    assert set(trained.metrics) >= {"average_precision", "roc_auc", "f1", "n_train", "n_positive", "folds"}
    assert trained.metrics["n_train"] == 60
    assert trained.metrics["n_positive"] == 30
    assert trained.metrics["folds"] == 3
    assert trained.metrics["average_precision"] > 0.9
    claim, opinion = trained.score_statements(
        ["The Senate spent $40 million on libraries in 2019.", "I think libraries are wonderful."]
    )
    assert claim.score > opinion.score
    assert 0.0 <= opinion.score <= claim.score <= 1.0


def test_stored_metrics_say_how_they_were_measured(trained):
    metrics = trained.metrics
    assert metrics["grouped"] is False and metrics["n_groups"] == 0
    assert "nested 3-fold cross-validation" in metrics["validation"]
    assert "not grouped by article" in metrics["validation"]
    assert metrics["c"] in C_GRID
    assert metrics["class_weight"] == "balanced"
    assert "out-of-fold" in metrics["calibration"]
    assert 0.0 <= metrics["brier"] <= 0.25
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", metrics["trained_at"])


def test_training_with_groups_keeps_each_group_on_one_side_of_every_split():
    texts, labels = synthetic_data(n_per_class=40)
    groups = [f"article-{i // 8}" for i in range(len(texts))]  # 10 articles of 8 statements
    splits, grouped = _splits(np.asarray(labels), np.asarray(groups, dtype=object), 5, 0)
    assert grouped and len(splits) == 5
    for train, test in splits:
        assert not {groups[i] for i in train} & {groups[i] for i in test}

    scorer = train_scorer(texts, labels, groups=groups, folds=5)
    assert scorer.metrics["grouped"] is True
    assert scorer.metrics["n_groups"] == 10
    assert "grouped by article" in scorer.metrics["validation"]
    assert "not grouped" not in scorer.metrics["validation"]


def test_groups_that_cannot_split_fall_back_to_stratified_folds():
    texts, labels = synthetic_data()
    metrics = cross_validate(texts, labels, folds=3, groups=["one article"] * len(texts))
    assert metrics["grouped"] is False
    assert "not grouped by article" in metrics["validation"]


def test_training_refuses_groups_that_do_not_match_the_statements():
    texts, labels = synthetic_data()
    with pytest.raises(ValueError, match="one group per statement"):
        train_scorer(texts, labels, groups=["a", "b"])


def test_probabilities_on_new_statements_match_how_often_such_statements_are_check_worthy():
    # Half the claims and a tenth of the opinions are labelled check-worthy, so about one statement in five.
    # Balanced class weights alone would put new claims near 0.75 and new opinions near 0.3.
    texts, labels, _ = labelled_kinds(40, 120, rates=(0.5, 0.1), seed=4)
    scorer = train_scorer(texts, labels, folds=3)
    new_texts, _, kinds = labelled_kinds(100, 100, rates=(0.5, 0.1), seed=104)
    probabilities = np.asarray([s.score for s in scorer.score_statements(new_texts)])
    kinds = np.asarray(kinds)
    assert abs(probabilities.mean() - 0.3) < 0.1
    assert 0.25 < probabilities[kinds == 1].mean() < 0.65
    assert probabilities[kinds == 0].mean() < 0.25


def test_probabilities_stay_inside_zero_and_one_when_the_classes_separate_perfectly(trained):
    texts, _ = synthetic_data(seed=7)
    scores = [s.score for s in trained.score_statements(texts)]
    assert all(0.0 < score < 1.0 for score in scores)


def test_a_model_stored_before_calibration_still_loads_and_scores():
    texts, labels = synthetic_data()
    old = TrainedScorer(version="old", metrics={"average_precision": 0.9}, pipeline=build_pipeline().fit(texts, labels))
    restored = TrainedScorer.from_bytes(old.to_bytes())
    claim, opinion = restored.score_statements(["The Senate spent $40 million on parks in 2019.", "I love parks."])
    assert claim.score > opinion.score


def test_a_model_fitted_on_other_rule_cues_is_refused_on_loading(trained, monkeypatch):
    import articles.checkworthiness_training as training

    stored = trained.to_bytes()
    # The rules gained a cue since the model was stored: its weights no longer match the columns.
    monkeypatch.setattr(training, "feature_hits", lambda text: [*feature_hits(text), False])
    with pytest.raises(ValueError, match="another set of rule cues"):
        TrainedScorer.from_bytes(stored)


def test_trained_scores_carry_the_rule_reasons(trained):
    (result,) = trained.score_statements(["Is this a wonderful thing?"])
    assert "question" in result.reasons
    assert trained.score_statements([]) == []


def test_trained_scorer_round_trips_through_bytes_with_identical_scores(trained):
    texts = ["The council cut 12 bus routes in 2021.", "We should love parks.", "", "¿Qué pasa? 🙂"]
    restored = TrainedScorer.from_bytes(trained.to_bytes())
    assert restored.version == trained.version
    assert restored.metrics == trained.metrics
    assert restored.score_statements(texts) == trained.score_statements(texts)


def test_from_bytes_refuses_something_that_is_not_a_saved_model():
    with pytest.raises(ValueError, match="not a check-worthiness model|Could not read"):
        TrainedScorer.from_bytes(b"not a model")


def test_default_version_names_the_desk_time_and_data():
    texts, labels = synthetic_data()
    scorer = train_scorer(texts, labels, folds=2)
    assert re.fullmatch(r"desk-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-[0-9a-f]{6}", scorer.version)


def test_training_refuses_a_single_class():
    texts, _ = synthetic_data()
    with pytest.raises(ValueError, match="at least 5 of each kind"):
        train_scorer(texts, [1] * len(texts))


def test_training_refuses_too_few_examples():
    texts, labels = synthetic_data(n_per_class=5)
    with pytest.raises(ValueError, match="Label at least 20 statements"):
        train_scorer(texts, labels)


def test_training_refuses_mismatched_or_non_binary_labels():
    texts, labels = synthetic_data()
    with pytest.raises(ValueError, match="one label per statement"):
        train_scorer(texts, labels[:-1])
    with pytest.raises(ValueError, match="0 .* or 1"):
        train_scorer(texts, [2 if label else 0 for label in labels])


def test_cross_validation_uses_fewer_folds_when_a_class_is_small():
    texts, labels = synthetic_data(n_per_class=15)
    # Keep only 5 check-worthy examples: 5 folds still fit, 10 would not.
    keep = [i for i, label in enumerate(labels) if label == 0 or i < 10]
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    assert sum(labels) == 5
    metrics = cross_validate(texts, labels, folds=10)
    assert metrics["folds"] == 5
    assert 0.0 <= metrics["average_precision"] <= 1.0
