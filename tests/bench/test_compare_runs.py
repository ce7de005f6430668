from bench.compare_runs import compare_runs

HEADER = "setting\tsystem\tquery\tndcg_cut_10\trecall_100\tmrr_10\n"


def write_run(folder, rows):
    folder.mkdir()
    lines = [f"{s}\t{system}\t{q}\t{n}\t0.5\t0.5\n" for s, system, q, n in rows]
    (folder / "per-query.tsv").write_text(HEADER + "".join(lines))
    return folder


def test_runs_are_compared_over_the_queries_and_settings_both_scored(tmp_path):
    new = write_run(
        tmp_path / "new",
        [("nf", "relief", str(q), 0.6) for q in range(40)]
        + [("nf", "bm25", "1", 0.0), ("only-new", "relief", "1", 1.0)],
    )
    old = write_run(
        tmp_path / "old",
        [("nf", "relief", str(q), 0.4) for q in range(1, 41)],
    )
    results = compare_runs(new=new, old=old)
    assert set(results) == {("nf", m) for m in ("ndcg_cut_10", "recall_100", "mrr_10")}
    queries, ndcg = results[("nf", "ndcg_cut_10")]
    assert queries == 39
    assert round(ndcg.delta, 4) == 0.2
    assert ndcg.p_value < 0.01 and ndcg.wins == 39
    assert results[("nf", "recall_100")][1].p_value == 1.0
