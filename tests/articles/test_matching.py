"""Claim matching (articles.matching): pure, so no database; small hand-made claims and queries."""

import io

import numpy as np
import pytest

from articles.matching import (
    FEATURE_NAMES,
    Claim,
    ClaimIndex,
    ClaimMatcher,
    MatchExample,
    TrainedReranker,
    ranking_metrics,
    train_reranker,
)
from articles.matching.evaluation import order_like_trec_eval
from articles.matching.features import candidate_features
from articles.matching.formats import FormatError, read_claims, read_qrels, read_queries
from articles.matching.text import claim_key, query_terms, terms

CLAIMS = [
    Claim(1, "5G towers spread the coronavirus.", "Do 5G Towers Spread COVID-19?"),
    Claim(2, "Drinking bleach cures COVID-19.", "Can Bleach Cure the Coronavirus?"),
    Claim(3, "The Eiffel Tower was sold twice by a con man.", "Was the Eiffel Tower Sold Twice?"),
    Claim(4, 'A "law to separate families" was passed by Democrats in 1997.', "Did Democrats Pass a Family Law?"),
    Claim(5, "Bill Gates wants to implant microchips in people through vaccines.", "Bill Gates Vaccine Microchips?"),
    Claim(6, "Sharks were seen swimming on a flooded highway after Hurricane Harvey.", "Harvey Highway Shark?"),
    Claim(7, "Unemployment fell to 3.5 percent in September 2019.", "Unemployment at 3.5 Percent?"),
    Claim(8, "Unemployment rose to 14.7 percent in April 2020.", "Unemployment at 14.7 Percent?"),
    Claim(9, "Nancy Pelosi was drunk during a speech in May 2019.", "Was Nancy Pelosi Drunk?"),
    Claim(10, "Michael Kors uses fur from dogs skinned alive.", "Michael Kors Dog Fur Petition"),
    Claim(11, "Eating carrots improves your night vision.", "Do Carrots Help You See in the Dark?"),
    Claim(12, "Tap water in Flint, Michigan, is still poisoned with lead.", "Is Flint Water Still Poisoned?"),
    Claim(13, "Wind turbines cause cancer.", "Do Wind Turbines Cause Cancer?"),
    Claim(14, "The Great Wall of China is visible from space.", "Can You See the Great Wall from Space?"),
    Claim(15, "A photograph shows the Pope blessing a pizza in Naples.", "Did the Pope Bless a Pizza?"),
]
# The 2020 CLEF copy of claim 4 differs only in its quotes (and gets a larger id).
DUPLICATE = Claim(
    904, "A 'law to separate families' was passed by Democrats in 1997. ", "Did Democrats Pass a Family Law?"
)

QUERIES = {
    1: "Wow, the new 5G masts are spreading covid in our town!!",
    2: "My uncle says a glass of bleach will cure coronavirus",
    3: "Did you know a con man managed to sell the Eiffel Tower two times?",
    4: "Democrats passed the law to separate families back in 1997",
    5: "Bill Gates and his vaccines: microchips implanted in everyone #BillGates",
    6: "A shark swimming down the flooded highway in Houston after #HurricaneHarvey",
    7: "Great news: unemployment is down to 3.5 percent, lowest in 50 years",
    8: "Unemployment just hit 14.7 percent, worst since the Depression",
    9: "Watch @SpeakerPelosi slurring her words, she was drunk at the speech",
    10: "@MichaelKors uses dog fur from dogs skinned alive?! Boycott",
    11: "Mom always said carrots would help my night vision",
    12: "Flint still has lead poisoned tap water years later",
}


def build(extra=()):
    return ClaimIndex([*CLAIMS, *extra])


@pytest.fixture(scope="module")
def index():
    return build([DUPLICATE])


@pytest.fixture(scope="module")
def reranker(index):
    return train_reranker(index, [MatchExample(text, claim, True) for claim, text in QUERIES.items()], folds=3)


def test_claim_key_ignores_case_quotes_punctuation_and_spacing():
    assert claim_key('A "law" was  passed.') == claim_key("a 'law' was passed ") == "a law was passed"
    assert claim_key("A law was passed") != claim_key("A law was not passed")


def test_terms_split_camel_case_handles_and_stem_plurals():
    assert terms("@SenJohnMcCain met the dogs") == ["senjohnmccain", "sen", "john", "mccain", "met", "dog"]
    assert "isis" in terms("ISIS") and "potus" in terms("POTUS")


def test_query_terms_split_glued_words_and_join_neighbours_the_index_knows():
    known = {"poison", "water", "bottle", "directtv"}.__contains__
    found = query_terms("poisonwaterbottles on Direct TV", known)
    assert {"poison", "water", "bottle", "directtv"} <= set(found)


def test_an_exact_claim_matches_itself_first(index):
    matches = ClaimMatcher(index).match("The Eiffel Tower was sold twice by a con man.")
    assert matches[0].id == 3
    assert matches[0].score > matches[1].score


def test_near_duplicate_claims_are_one_claim_under_the_smallest_id(index):
    matches = ClaimMatcher(index).match('Democrats passed the "law to separate families" in 1997', k=5)
    ids = [match.id for match in matches]
    assert ids[0] == 4
    assert 904 not in ids
    assert index.group(904) == [4, 904]
    assert len(index) == len(CLAIMS)


def test_ranking_prefers_the_claim_with_the_same_numbers(index):
    ids = [match.id for match in ClaimMatcher(index).match("Unemployment is at 14.7 percent now")]
    assert ids.index(8) < ids.index(7)


def test_paraphrased_queries_find_their_claim_untrained(index):
    matcher = ClaimMatcher(index)
    top = {query: matcher.match(text, k=1)[0].id for query, text in QUERIES.items()}
    assert sum(top[query] == query for query in QUERIES) >= 10


def test_matches_are_sorted_scored_between_0_and_1_and_capped_at_k(index):
    broad = "Unemployment, wind turbines, Bill Gates, sharks, carrots and the Pope: all lies in 2019"
    matches = ClaimMatcher(index).match(broad, k=3)
    assert len(matches) == 3
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert ClaimMatcher(index).match("   ") == []
    assert ClaimMatcher(index).match("zzzz qqqq") == []


def test_adding_and_removing_claims_changes_what_matches():
    index = build()
    matcher = ClaimMatcher(index)
    index.add([Claim(20, "Giraffes sleep only thirty minutes a day.")])
    assert matcher.match("giraffes sleep 30 minutes per day")[0].id == 20
    index.add([Claim(21, "Giraffes sleep only thirty minutes a day!")])  # a near-duplicate joins claim 20
    assert index.group(21) == [20, 21]
    index.remove([20])
    assert matcher.match("giraffes sleep 30 minutes per day")[0].id == 21
    assert index.remove([21, 999]) == 1
    assert all(match.id not in (20, 21) for match in matcher.match("giraffes sleep 30 minutes per day"))
    index.add([Claim(3, "Koalas are not bears.")])  # an id added again replaces its text
    assert matcher.match("koala bears are not actually bears")[0].id == 3
    assert 3 not in [match.id for match in matcher.match("con man sold the Eiffel Tower")]


def test_many_small_additions_merge_segments_and_compaction_keeps_results():
    index = build()
    for number in range(12):
        index.add([Claim(100 + number, f"Town number {number} banned purple cars in {1990 + number}.")])
    assert len(index.segments) <= 9
    before = [m.id for m in ClaimMatcher(index).match("purple cars banned in 1995 by a town")]
    index.remove([101])
    index.compact()
    assert len(index.segments) == 1
    after = [m.id for m in ClaimMatcher(index).match("purple cars banned in 1995 by a town")]
    assert after[0] == before[0] == 105
    assert 101 not in after and len(index) == len(CLAIMS) + 11


def test_an_index_survives_bytes_and_refuses_other_bytes(index):
    loaded = ClaimIndex.from_bytes(index.to_bytes())
    assert ClaimMatcher(loaded).match(QUERIES[6]) == ClaimMatcher(index).match(QUERIES[6])
    assert loaded.group(4) == [4, 904]
    with pytest.raises(ValueError, match="not a claim index"):
        ClaimIndex.from_bytes(TrainedReranker(version="x").to_bytes())


def test_features_have_one_named_column_each(index):
    prepared = index.prepare(QUERIES[6])
    docs, _ = index.candidates(prepared, 10)
    rows = candidate_features(index, prepared, docs)
    assert rows.shape == (len(docs), len(FEATURE_NAMES))
    assert np.isfinite(rows).all()
    best = rows[0]
    assert best[FEATURE_NAMES.index("bm25_ratio")] == 1.0


def test_training_learns_from_pairs_and_reports_cross_validated_figures(index, reranker):
    assert {"map@5", "p@1", "recall@5", "queries", "pairs", "matches"} <= set(reranker.metrics)
    assert reranker.metrics["queries"] == len(QUERIES)
    assert reranker.metrics["map@5"] > 0.5
    matcher = ClaimMatcher(index, reranker)
    best, second = matcher.match(QUERIES[7])[:2]
    assert best.id == 7 and best.score > second.score


def test_rejected_pairs_train_too_and_unknown_claims_are_skipped(index):
    examples = [MatchExample(text, claim, True) for claim, text in QUERIES.items()]
    examples += [MatchExample(QUERIES[7], 8, False), MatchExample("anything", 12345, True)]
    reranker = train_reranker(index, examples, folds=0)
    assert reranker.metrics["skipped_unknown_claims"] == 1
    assert "map@5" not in reranker.metrics  # folds=0: no cross-validation
    assert reranker.metrics["pairs"] > reranker.metrics["matches"] == len(QUERIES)


def test_training_refuses_too_few_confirmed_pairs(index):
    with pytest.raises(ValueError, match="Too little to train"):
        train_reranker(index, [MatchExample(QUERIES[1], 1, True), MatchExample(QUERIES[2], 2, True)])


def test_a_trained_reranker_survives_bytes_and_scores_the_same(index, reranker):
    loaded = TrainedReranker.from_bytes(reranker.to_bytes())
    assert loaded.version == reranker.version and loaded.metrics == reranker.metrics
    prepared = index.prepare(QUERIES[3])
    docs, _ = index.candidates(prepared, 20)
    rows = candidate_features(index, prepared, docs)
    assert np.allclose(loaded.score(rows), reranker.score(rows))
    assert np.allclose(reranker.score(rows), reranker.models[0].predict_proba(rows)[:, 1])


def test_loading_refuses_other_bytes_and_other_feature_sets(reranker, monkeypatch):
    with pytest.raises(ValueError, match="Could not read"):
        TrainedReranker.from_bytes(b"not a model")
    import articles.matching.reranker as module

    data = reranker.to_bytes()
    monkeypatch.setattr(module, "FEATURES_VERSION", module.FEATURES_VERSION + 1)
    with pytest.raises(ValueError, match="train it again"):
        TrainedReranker.from_bytes(data)


def test_equal_scores_rank_the_larger_id_first_like_the_lab_scorer():
    assert order_like_trec_eval([(4, 0.5), (904, 0.5), (7, 0.9)]) == [7, 904, 4]


def test_ranking_metrics_average_precision_at_5():
    rankings = {"a": [1, 2, 3], "b": [5, 6, 7, 8, 9, 10], "c": []}
    gold = {"a": {1}, "b": {6}, "c": {1}}
    metrics = ranking_metrics(rankings, gold)
    assert metrics["map@5"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert metrics["p@1"] == pytest.approx(1 / 3)
    assert metrics["recall@5"] == pytest.approx(2 / 3)


def test_claims_tsv_reader_handles_quoted_fields_and_names_bad_lines():
    text = '\tvclaim\ttitle\n1\t"A claim\twith a tab and ""quotes"""\tT\n2\tNo title\n'
    claims = read_claims(io.StringIO(text))
    assert claims == [Claim(1, 'A claim\twith a tab and "quotes"', "T"), Claim(2, "No title", "")]
    with pytest.raises(FormatError, match="line 2: expected 2 tab-separated fields"):
        read_claims(io.StringIO("id\tclaim\nonly-an-id\n"))
    with pytest.raises(FormatError, match="already used on line 2"):
        read_claims(io.StringIO("id\tclaim\n1\ta\n1\tb\n"))
    with pytest.raises(FormatError, match="is empty"):
        read_claims(io.StringIO(""))
    with pytest.raises(FormatError, match="a quote that is never closed"):
        read_claims(io.StringIO('id\tclaim\n1\t"runaway' + "x" * 200_000 + "\n2\tb\n"))


def test_queries_and_qrels_readers():
    assert read_queries(io.StringIO("\ttweet_content\n7\tHello\n")) == {7: "Hello"}
    judgements = read_qrels(io.StringIO("7\t0\t3\t1\n8 0 x9 0\n"))
    assert [(j.query_id, j.claim_id, j.relevant) for j in judgements] == [(7, 3, True), (8, "x9", False)]
    with pytest.raises(FormatError, match="line 1: expected 'query_id 0 claim_id relevance'"):
        read_qrels(io.StringIO("7 3 1\n"))
