from collections import Counter

from reviews.assignment import least_loaded


def test_each_statement_gets_k_distinct_reviewers():
    pairs = least_loaded(statement_ids=[1, 2, 3], reviewer_ids=[10, 11, 12], per_statement=2, load={}, already={})
    per_statement = Counter(s for s, _ in pairs)
    assert per_statement == {1: 2, 2: 2, 3: 2}
    assert len(set(pairs)) == len(pairs)


def test_least_loaded_reviewers_are_chosen_first():
    pairs = least_loaded(
        statement_ids=[1], reviewer_ids=[10, 11, 12], per_statement=2, load={10: 5, 11: 0, 12: 1}, already={}
    )
    assert {r for _, r in pairs} == {11, 12}


def test_load_spreads_evenly_across_a_batch():
    pairs = least_loaded(statement_ids=list(range(6)), reviewer_ids=[10, 11, 12], per_statement=2, load={}, already={})
    assert Counter(r for _, r in pairs) == {10: 4, 11: 4, 12: 4}


def test_existing_reviewers_are_not_chosen_again_and_count_towards_k():
    pairs = least_loaded(statement_ids=[1], reviewer_ids=[10, 11, 12], per_statement=2, load={}, already={1: {10}})
    assert pairs == [(1, 11)]


def test_statement_that_already_has_enough_reviewers_gets_none():
    assert least_loaded(statement_ids=[1], reviewer_ids=[10, 11], per_statement=2, load={}, already={1: {10, 11}}) == []
