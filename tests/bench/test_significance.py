from bench.significance import compare


def test_a_system_better_on_almost_every_query_is_significant():
    theirs = [0.1 * (n % 7) for n in range(48)]
    ours = [score + (0.05 if n % 12 else -0.01) for n, score in enumerate(theirs)]

    result = compare(ours=ours, theirs=theirs)

    assert result.p_value < 0.01
    assert 0 < result.low < result.delta < result.high
    assert (result.wins, result.losses) == (44, 4)


def test_a_gain_on_a_few_queries_among_48_is_not_significant():
    theirs = [0.3] * 48
    ours = [0.3] * 45 + [0.9, 0.0, 0.6]

    result = compare(ours=ours, theirs=theirs)

    assert result.p_value > 0.05
    assert result.low < 0 < result.high
