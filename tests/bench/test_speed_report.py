from bench.speed_report import (
    article_view_section,
    rebuild_section,
    throughput_section,
)


def throughput(server: str, rate: float) -> dict:
    return {
        "server": server,
        "clients": 8,
        "seconds": 10.0,
        "ok": int(rate * 10),
        "errors": 0,
        "requests_per_s": rate,
        "p50": 200.0,
        "p95": 400.0,
    }


def test_the_report_shows_gunicorn_throughput_at_every_size_measured():
    sweep = [
        {
            "size": size,
            "throughput": throughput("runserver", 20.0),
            "throughput_gunicorn": throughput("gunicorn", rate),
        }
        for size, rate in ((1000, 31.5), (20000, 12.25))
    ]
    text = "\n".join(throughput_section(sweep))
    assert "| 1000 | gunicorn | 8 | 31.5 |" in text
    assert "| 20000 | gunicorn | 8 | 12.2 |" in text
    assert "| 20000 | runserver | 8 | 20.0 |" in text


def test_a_throughput_that_failed_is_reported_as_not_measured():
    sweep = [{"size": 1000, "throughput_gunicorn": {"not_measured": "no gunicorn"}}]
    assert "not measured (no gunicorn)" in "\n".join(throughput_section(sweep))


def test_the_report_shows_an_article_view_cold_and_warm():
    def view(p50: float, requests: float) -> dict:
        return {
            "n": 15,
            "p50": p50,
            "p95": p50 * 2,
            "search_requests_per_view": requests,
        }

    sweep = [
        {
            "size": 1000,
            "article_view": {"cold": view(80.0, 3.0), "warm": view(9.5, 0.0)},
        },
        {"size": 5000, "article_view": {"not_measured": "search figures only at ..."}},
    ]
    text = "\n".join(article_view_section(sweep))
    assert "| 1000 | cold | 80.0 / 160.0 | 3.0 | 15 |" in text
    assert "| 1000 | warm | 9.5 / 19.0 | 0.0 | 15 |" in text
    assert "5000" not in text


def test_the_rebuild_row_sets_each_rebuild_beside_its_raw_bulk_and_wagtail():
    rebuild = {
        "how": "search.rebuild.rebuild_index",
        "rate": 126.0,
        "vector_fill": {"seconds": 0.0, "texts_embedded": 0},
        "compaction_seconds": 32.7,
        "segments_before_merge": 6,
    }
    point = {
        "size": 20000,
        "generate_seconds": 36.2,
        "wagtail_index": {"wagtail-search": {"rate": 340.0}},
        "rebuild": {
            "keyword_rebuild": {"rate": 366.0},
            "keyword_vs_raw": 0.40,
            "rebuild": rebuild,
            "raw_bulk": {"rate": 205.0, "articles_with_vector": 20006},
            "rebuild_vs_raw": 0.61,
            "prep_ms_per_article": 1.63,
            "sql_per_article": 0.014,
        },
    }
    text = "\n".join(rebuild_section([point]))
    assert (
        "| 20000 | 36.2 | 366 (40%) | 1.08x | 126 | 205 (20006 with vectors) | 61% "
        "| 1.63 | 0.014 | 340 | 0.37x | 0.0 (0); merge 32.7 (6 segments) |"
    ) in text
