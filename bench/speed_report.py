"""The `make bench` report: markdown beside its baselines, charts, history."""

from __future__ import annotations

from pathlib import Path

from bench import common

ADDED_P95_TARGET_MS = 15
REBUILD_TARGET = 0.70


def write_report(*, results: dict, name: str) -> Path:
    path = common.report_path(name=name)
    lines = [f"# Speed benchmark {path.stem}", "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in common.machine().items()]
    lines += ["", f"Whole run: {results['wall_seconds']:.0f} s.", ""]
    if "embeddings_restored" in results:
        lines += [
            f"Embedding cache at the start: {results['embeddings_restored']} texts "
            "kept from earlier runs (the vector fill embeds only the rest).",
            "",
        ]
    lines += server_section(results["server"], sweep=results["sweep"])
    lines += rebuild_section(results["sweep"])
    lines += latency_section(results["sweep"])
    lines += ratio_section(results["sweep"])
    lines += rerank_section(results["sweep"])
    lines += ["How Wagtail's search was configured:", "", *wagtail_config(), ""]
    lines += detail_section(results["sweep"])
    lines += article_view_section(results["sweep"])
    lines += throughput_section(results["sweep"])
    if results["largest"]:
        lines += largest_section(results["largest"], size=results["largest"]["size"])
    charts = draw_charts(results=results, stem=path.with_suffix(""))
    lines += ["## Charts", ""] + [f"![{c.stem}]({c.name})" for c in charts] + [""]
    path.write_text("\n".join(lines) + "\n")
    common.append_history(kind="bench", figures=history_figures(results))
    print(path.read_text())
    print(f"Report written to {path}")
    return path


def server_section(server: dict, *, sweep: list[dict]) -> list[str]:
    if not server.get("embedded"):
        return ["Search server: the cluster ELASTICSEARCH_URL names.", ""]
    memory = ", ".join(
        f"{p['size']}: {p['server_rss_mb']:.0f} MB"
        for p in sweep
        if p.get("server_rss_mb")
    )
    return [
        "## Search server",
        "",
        f"- embedded {server['describe']}: start to first answer "
        f"{server['start_seconds']:.1f} s (node already built)",
        f"- resident memory of its process: {server['rss_mb_at_start']:.0f} MB after "
        f"start; after each size: {memory}",
        "",
    ]


def rebuild_section(sweep: list[dict]) -> list[str]:
    rows = []
    for point in sweep:
        r = point["rebuild"]
        if "not_measured" in r:
            rows.append(
                [
                    point["size"],
                    "not measured: " + r["not_measured"],
                    *[""] * 11,
                ]
            )
            continue
        rows.append(
            [
                point["size"],
                f"{point['generate_seconds']:.1f}",
                *keyword_rebuild(point),
                f"{r['rebuild']['rate']:.0f}",
                raw_bulk(r["raw_bulk"]),
                f"{r['rebuild_vs_raw']:.0%}",
                f"{r['prep_ms_per_article']:.2f}",
                f"{r['sql_per_article']:.3f}",
                wagtail_index_rate(point),
                rebuild_vs_wagtail(point),
                vector_fill(r["rebuild"]),
            ]
        )
    how = next(
        (p["rebuild"]["rebuild"]["how"] for p in sweep if "rebuild" in p["rebuild"]),
        "-",
    )
    return [
        "## Rebuild against raw bulk and Wagtail (targets: keyword rebuild >= 1x "
        "Wagtail's update_index and >= 50% of raw bulk; SQL/article constant)",
        "",
        common.markdown_table(
            [
                "articles",
                "generate s",
                "keyword-only rebuild articles/s (/ raw bulk)",
                "keyword-only rebuild / Wagtail",
                "rebuild with cached vectors articles/s",
                "raw bulk articles/s",
                "rebuild / raw",
                "prep ms/article",
                "SQL/article",
                "Wagtail update_index articles/s",
                "rebuild / Wagtail",
                "vector fill s (texts embedded); merge into one segment s",
            ],
            rows,
        ),
        "",
        f"Rebuild = {how}; the rebuild is the keyword load, including document "
        "preparation, run twice: by keyword only (semantic search off, so no "
        "vector is written, as on a first build with nothing embedded yet; its raw "
        "bulk sends the same documents), then as configured; the vector fill and the "
        "merge into one segment queued after it are timed on their own, run as the "
        "task worker runs it (texts the cache already had are not embedded); raw bulk = "
        "the same prepared documents sent with the client's bulk helper into a fresh "
        "index, with the vectors the embedding cache held when the rebuild began, as "
        "the rebuild's load writes them (articles with a vector in brackets; a report "
        "without them sent none). Wagtail = `update_index --backend peer`, Wagtail's own full index of the "
        "same pages on the same server (bench/peers.py). A size without search "
        "figures (--search-sizes) is rebuilt by keyword only: no vector fill.",
        "",
    ]


def keyword_rebuild(point: dict) -> list[str]:
    """The keyword-only rebuild's rate with its share of raw bulk, and its
    ratio to Wagtail's update_index."""
    r = point["rebuild"]
    if "keyword_rebuild" not in r:
        return ["-", "-"]
    rate = r["keyword_rebuild"]["rate"]
    return [f"{rate:.0f} ({r['keyword_vs_raw']:.0%})", ratio_to_wagtail(point, rate)]


def raw_bulk(figures: dict) -> str:
    rate = f"{figures['rate']:.0f}"
    if "articles_with_vector" not in figures:
        return rate
    return f"{rate} ({figures['articles_with_vector']} with vectors)"


def wagtail_rate(point: dict) -> float | None:
    """Wagtail's update_index articles/s at this size, when it was run."""
    built = point.get("wagtail_index") or {}
    return built.get("wagtail-search", {}).get("rate")


def ratio_to_wagtail(point: dict, rate: float) -> str:
    wagtail = wagtail_rate(point)
    return f"{rate / wagtail:.2f}x" if wagtail else "-"


def rebuild_vs_wagtail(point: dict) -> str:
    return ratio_to_wagtail(point, point["rebuild"]["rebuild"]["rate"])


def vector_fill(rebuild: dict) -> str:
    fill = rebuild.get("vector_fill")
    if not fill:
        return "-"
    merged = rebuild.get("compaction_seconds")
    merge = (
        f"; merge {merged:.1f} ({rebuild['segments_before_merge']} segments)"
        if merged is not None
        else ""
    )
    return f"{fill['seconds']:.1f} ({fill['texts_embedded']}){merge}"


def wagtail_index_rate(point: dict) -> str:
    rate = wagtail_rate(point)
    return f"{rate:.0f}" if rate else "-"


def latency_section(sweep: list[dict]) -> list[str]:
    rows = []
    for point in sweep:
        if "only at --search-sizes" in str(point["search"].get("not_measured")):
            continue
        for label, figures in endpoints(point):
            if (
                not figures
                or "not_measured" in figures
                or not figures["project"].get("n")
            ):
                reason = (figures or point["search"]).get("not_measured", "no samples")
                rows.append([point["size"], label, "not measured", reason, "", "", ""])
                continue
            p, raw = figures["project"], figures["raw"]
            added = figures.get("added", {})
            rows.append(
                [
                    point["size"],
                    label,
                    f"{p['p50']:.1f} / {p['p95']:.1f} / {p['p99']:.1f}",
                    f"{raw['p50']:.1f} / {raw['p95']:.1f} / {raw['p99']:.1f}"
                    if raw.get("n")
                    else "-",
                    " / ".join(f"{added[k]:+.1f}" for k in ("p50", "p95", "p99"))
                    if added
                    else "-",
                    figures["errors"],
                    p["n"],
                ]
            )
    return [
        f"## Search latency, ms p50 / p95 / p99 (target: added p95 < {ADDED_P95_TARGET_MS} ms)",
        "",
        common.markdown_table(
            [
                "articles",
                "endpoint",
                "project (Django test client)",
                "raw request to the search server",
                "added",
                "errors",
                "samples",
            ],
            rows,
        ),
        "",
        "Raw = the project's main search request (the largest a call sent: the "
        "search with its spelling check in one multi-search, not the best-score "
        "request before it), replayed exactly with the same client. "
        "Wagtail search API = Wagtail's pages API (`/api/v2/pages/?type=relief_blog."
        "ArticlePage&search=...&limit=10`, the same 10 queries, as many hits as Relief's "
        "search API) on Wagtail's own backend for this server; its raw column replays "
        "the request Wagtail's backend sent through the same client as Relief's. "
        "On the embedded stand-in (noida-db), which scans every document per search, "
        "raw latency grows with the corpus and says nothing about Elasticsearch: read "
        "the project's cost as the added column.",
        "",
    ]


def ratio_section(sweep: list[dict]) -> list[str]:
    """Relief's search API beside Wagtail's, same run and node: the ratios
    that do not depend on how busy the machine was."""
    rows = []
    for point in sweep:
        relief = (point["search"].get("search_api") or {}).get("project") or {}
        wagtail = (point.get("wagtail") or {}).get("project") or {}
        added = (point["search"].get("search_api") or {}).get("added") or {}
        if not relief.get("n") or not wagtail.get("n"):
            continue
        rows.append(
            [
                point["size"],
                f"{relief['p50']:.1f} / {relief['p95']:.1f}",
                f"{wagtail['p50']:.1f} / {wagtail['p95']:.1f}",
                f"{relief['p50'] / wagtail['p50']:.2f}x / "
                f"{relief['p95'] / wagtail['p95']:.2f}x",
                f"{added.get('p95', 0):+.1f}" if added else "-",
            ]
        )
    if not rows:
        return []
    return [
        "## Relief against Wagtail's search (targets: ratio <= 1.5x at p50 and p95; "
        "added over Relief's raw request <= 20 ms at p95)",
        "",
        common.markdown_table(
            [
                "articles",
                "Relief search API p50 / p95 ms",
                "Wagtail search API p50 / p95 ms",
                "ratio p50 / p95",
                "Relief added p95 ms",
            ],
            rows,
        ),
        "",
        "Added = Relief's search API less the replay of its main engine request "
        "(query embedding, the best-keyword-score request sent while the query is "
        "embedded, Django and the API's serialisation).",
        "",
    ]


def rerank_section(sweep: list[dict]) -> list[str]:
    rows = [
        [
            point["size"],
            *(
                f"{r[k]['p50']:.1f} / {r[k]['p95']:.1f}"
                for k in ("off", "on", "added", "query_embedding")
            ),
            r["added"]["n"],
        ]
        for point in sweep
        if "added" in (r := point.get("rerank") or {})
    ]
    if not rows:
        return []
    return [
        "## Semantic search's cost, ms p50 / p95",
        "",
        common.markdown_table(
            [
                "articles",
                "search without",
                "search with",
                "added (paired per query)",
                "query embedding alone",
                "samples",
            ],
            rows,
        ),
        "",
        "`search.query.search_articles` for the same query with "
        "`RELIEF_SEARCH['SEMANTIC_RERANK']` off and on, one after the other.",
        "",
    ]


def wagtail_config() -> list[str]:
    from bench.peers import PEERS, describe_peers

    return describe_peers(peers=PEERS[:1])


def endpoints(point: dict) -> tuple:
    return (
        ("search API", point["search"].get("search_api")),
        ("autocomplete API", point["search"].get("autocomplete_api")),
        ("related API", point["related"]),
        ("Wagtail search API", point.get("wagtail")),
    )


def detail_section(sweep: list[dict]) -> list[str]:
    rows = []
    for point in sweep:
        detail = point["detail"]
        if isinstance(detail, dict) and "only at --search-sizes" in str(detail):
            continue
        if isinstance(detail, dict):
            rows.append(
                [
                    point["size"],
                    "not measured",
                    detail.get("not_measured"),
                    "",
                    "",
                    "",
                    "",
                ]
            )
            continue
        for r in detail:
            rows.append(
                [
                    point["size"],
                    r["kind"],
                    r["blocks"],
                    r["authors_topics"],
                    r["status"],
                    r["sql"],
                    f"{r['p50']:.1f} / {r['p95']:.1f}",
                ]
            )
    return [
        "## Article detail (target: SQL count constant across blocks, authors, topics)",
        "",
        common.markdown_table(
            [
                "articles",
                "kind",
                "blocks",
                "authors & topics",
                "status",
                "SQL",
                "ms p50 / p95",
            ],
            rows,
        ),
        "",
    ]


def largest_section(largest: dict, *, size: int) -> list[str]:
    lines = [f"## At {size} articles", ""]
    pub = largest["publish"]
    if "not_measured" in pub:
        lines.append(f"- publish-to-searchable: not measured ({pub['not_measured']})")
    elif pub.get("n"):
        lines.append(
            f"- publish-to-searchable: p50 {pub['p50']:.0f} ms, max-ish p95 {pub['p95']:.0f} ms "
            f"({pub['found']} found, {pub['missed']} not found within {pub['timeout_s']:.0f} s)"
        )
    else:
        lines.append(
            f"- publish-to-searchable: none of {pub['missed']} probes became "
            f"searchable within {pub['timeout_s']:.0f} s"
        )
    return [*lines, ""]


def measured(point: dict, key: str) -> dict | None:
    figure = point.get(key)
    return figure if isinstance(figure, dict) and "not_measured" not in figure else None


def article_view_section(sweep: list[dict]) -> list[str]:
    """An article page with its related list to find (cold) and kept (warm)."""
    rows = [
        [
            point["size"],
            state,
            f"{view[state]['p50']:.1f} / {view[state]['p95']:.1f}",
            f"{view[state]['search_requests_per_view']:.1f}",
            view[state]["n"],
        ]
        for point in sweep
        if (view := measured(point, "article_view"))
        for state in ("cold", "warm")
    ]
    if not rows:
        return []
    return [
        "## Article view, related list cold and warm (same articles, same run)",
        "",
        common.markdown_table(
            ["articles", "related list", "ms p50 / p95", "search requests", "views"],
            rows,
        ),
        "",
    ]


def throughput_section(sweep: list[dict]) -> list[str]:
    rows = []
    for point in sweep:
        for key in ("throughput", "throughput_gunicorn"):
            if tp := measured(point, key):
                rows.append(
                    [
                        point["size"],
                        tp["server"],
                        tp["clients"],
                        f"{tp['requests_per_s']:.1f}",
                        f"{tp.get('p50', 0):.0f} / {tp.get('p95', 0):.0f}",
                        f"{tp['ok']} / {tp['errors']}",
                    ]
                )
            elif key in point:
                reason = point[key].get("not_measured", "not run")
                rows.append(
                    [point["size"], key, "", f"not measured ({reason})", "", ""]
                )
    if not rows:
        return []
    return [
        "## Search API throughput over loopback",
        "",
        common.markdown_table(
            [
                "articles",
                "server",
                "clients",
                "requests/s",
                "ms p50 / p95",
                "ok / errors",
            ],
            rows,
        ),
        "",
    ]


def history_figures(results: dict) -> dict:
    figures = {}
    for point in results["sweep"]:
        r = point["rebuild"]
        if "rebuild" in r:
            figures[f"{point['size']}:rebuild_per_s"] = round(r["rebuild"]["rate"], 1)
            figures[f"{point['size']}:raw_bulk_per_s"] = round(r["raw_bulk"]["rate"], 1)
            if "keyword_rebuild" in r:
                figures[f"{point['size']}:keyword_rebuild_per_s"] = round(
                    r["keyword_rebuild"]["rate"], 1
                )
                figures[f"{point['size']}:keyword_raw_bulk_per_s"] = round(
                    r["keyword_raw_bulk"]["rate"], 1
                )
            figures[f"{point['size']}:sql_per_article"] = round(r["sql_per_article"], 3)
            fill = r["rebuild"].get("vector_fill") or {}
            if fill:
                figures[f"{point['size']}:vector_fill_s"] = round(fill["seconds"], 1)
                figures[f"{point['size']}:texts_embedded"] = fill["texts_embedded"]
        if rate := wagtail_rate(point):
            figures[f"{point['size']}:wagtail_update_index_per_s"] = round(rate, 1)
        rerank = point.get("rerank") or {}
        if "added" in rerank:
            for k in ("p50", "p95"):
                figures[f"{point['size']}:rerank_added_{k}_ms"] = round(
                    rerank["added"][k], 1
                )
        search = point["search"].get("search_api") or {}
        if search.get("added"):
            figures[f"{point['size']}:search_added_p95_ms"] = round(
                search["added"]["p95"], 2
            )
        for name, endpoint in (("search", search), ("wagtail", point.get("wagtail"))):
            if (endpoint or {}).get("project", {}).get("n"):
                for k in ("p50", "p95"):
                    figures[f"{point['size']}:{name}_{k}_ms"] = round(
                        endpoint["project"][k], 1
                    )
        for key in ("throughput", "throughput_gunicorn"):
            if tp := measured(point, key):
                figures[f"{point['size']}:{key}_per_s"] = round(tp["requests_per_s"], 1)
        if view := measured(point, "article_view"):
            for state in ("cold", "warm"):
                for k in ("p50", "p95"):
                    figures[f"{point['size']}:article_{state}_{k}_ms"] = round(
                        view[state][k], 1
                    )
    server = results.get("server", {})
    if server.get("embedded"):
        figures["server"] = server["describe"]
        figures["server_start_s"] = round(server["start_seconds"], 1)
    return figures


def draw_charts(*, results: dict, stem: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = [p for p in results["sweep"] if "search_api" in p["search"]]
    charts = [
        draw_indexing(sweep=results["sweep"], stem=stem, plt=plt),
        draw_latency_sweep(sweep=measured, stem=stem, plt=plt),
        draw_latency_spread(
            point=measured[-1] if measured else None, stem=stem, plt=plt
        ),
    ]
    return [c for c in charts if c is not None]


def draw_indexing(*, sweep: list[dict], stem: Path, plt) -> Path | None:
    sweep = [p for p in sweep if "rebuild" in p["rebuild"]]
    if not sweep:
        return None
    fig, ax = plt.subplots(figsize=(6, 3.5))
    sizes = [p["size"] for p in sweep]
    ax.plot(
        sizes, [p["rebuild"]["rebuild"]["rate"] for p in sweep], "o-", label="rebuild"
    )
    ax.plot(
        sizes,
        [p["rebuild"]["raw_bulk"]["rate"] for p in sweep],
        "s--",
        label="raw bulk",
    )
    wagtail = [(p["size"], wagtail_index_rate(p)) for p in sweep]
    wagtail = [(size, float(rate)) for size, rate in wagtail if rate != "-"]
    if wagtail:
        ax.plot(*zip(*wagtail, strict=True), "^:", label="Wagtail update_index")
    ax.set_xscale("log")
    ax.set_xlabel("articles")
    ax.set_ylabel("articles/s")
    ax.legend()
    fig.tight_layout()
    return save(fig, stem, "throughput", plt)


def draw_latency_sweep(*, sweep: list[dict], stem: Path, plt) -> Path | None:
    """p50 and p95 of each endpoint against the corpus size."""
    if len(sweep) < 2:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for label, _ in endpoints(sweep[0]):
        points = [
            (p["size"], figures["project"])
            for p in sweep
            for name, figures in endpoints(p)
            if name == label and figures and figures.get("project", {}).get("n")
        ]
        if not points:
            continue
        sizes = [size for size, _ in points]
        line = ax.plot(sizes, [f["p50"] for _, f in points], "o-", label=f"{label} p50")
        ax.plot(
            sizes,
            [f["p95"] for _, f in points],
            "x--",
            color=line[0].get_color(),
            label=f"{label} p95",
        )
    ax.set_xscale("log")
    ax.set_xlabel("articles")
    ax.set_ylabel("ms")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return save(fig, stem, "latency-sweep", plt)


def draw_latency_spread(*, point: dict | None, stem: Path, plt) -> Path | None:
    """Every sample at one size, each endpoint beside its raw request."""
    if point is None:
        return None
    series = []
    for label, figures in endpoints(point):
        if figures and figures.get("samples_project"):
            series += [
                (f"{label}\nproject", figures["samples_project"]),
                (f"{label}\nraw", figures["samples_raw"]),
            ]
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.boxplot([s for _, s in series], whis=(5, 95), showfliers=False)
    ax.set_xticks(range(1, len(series) + 1), [label for label, _ in series], fontsize=7)
    ax.set_ylabel(f"ms at {point['size']} articles")
    fig.tight_layout()
    return save(fig, stem, "latency", plt)


def save(fig, stem: Path, name: str, plt) -> Path:
    path = stem.parent / f"{stem.name}-{name}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
