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


def test_capacity_is_never_exceeded_and_statements_go_short_instead():
    pairs = least_loaded(
        statement_ids=list(range(10)),
        reviewer_ids=[10, 11, 12],
        per_statement=2,
        load={10: 3, 11: 0, 12: 5},
        already={},
        capacity={10: 4, 11: 4, 12: 5},
    )
    given = Counter(r for _, r in pairs)
    assert given == {10: 1, 11: 4}  # 12 was full before; 10 and 11 fill up to 4 open each
    assert all(given[r] + load <= cap for r, load, cap in [(10, 3, 4), (11, 0, 4)])


def test_skip_reasons_name_who_was_full_and_who_filled_up():
    from reviews.assignment import skip_reasons

    load, capacity = {10: 3, 11: 0, 12: 5}, {10: 4, 11: 4, 12: 5}
    pairs = least_loaded(
        statement_ids=list(range(10)), reviewer_ids=[10, 11, 12], per_statement=2, load=load, already={},
        capacity=capacity,
    )  # fmt: skip
    reasons = skip_reasons(reviewer_ids=[10, 11, 12], pairs=pairs, load=load, capacity=capacity, short=True)
    assert reasons == {
        10: "reached capacity (4) in this batch",
        11: "reached capacity (4) in this batch",
        12: "at capacity: 5 open of 5",
    }
    assert skip_reasons(reviewer_ids=[11], pairs=[(1, 11)], load={}, capacity={11: 4}, short=False) == {}
