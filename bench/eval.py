"""Relevance evaluation (`make eval`): MedQuAD + LiveQA and NFCorpus through the
project's own search function, beside a plain BM25 ranking on the same index in
the same run, with a paired significance test per metric.

    python bench/eval.py [--data DIR] [--nfcorpus-split dev|train] [--note TEXT]
                         [--liveqa-queries F --liveqa-qrels F]
                         [--nfcorpus-queries F --nfcorpus-qrels F] [--only medquad]

Each corpus lives in a bench database and index of its own (a subprocess per
corpus, since settings are per process). Needs ELASTICSEARCH_URL (make eval
starts the embedded server when it is unset). Writes the report, per-query
scores and TREC run files under bench/results/ and appends the run to
bench/results/history.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.peers import (  # noqa: E402 - peer baselines, issue 12
    LABELS,
    compare_peers,
    peer_history,
    peer_index_facts,
    peer_section,
    peer_systems,
)
from bench.ranking import DEPTH  # noqa: E402

# The data READMEs' reference BM25 (bm25s "lucene", pytrec_eval) on the DEV files:
# another implementation and analyzer, shown beside the same-engine baseline.
BASELINES = {
    "liveqa-article": {"ndcg_cut_10": 0.4168, "recall_100": 0.7626, "mrr_10": 0.5408},
    "liveqa-section": {"ndcg_cut_10": 0.2974, "recall_100": 0.5968, "mrr_10": 0.4854},
    "liveqa-section-merged": {
        "ndcg_cut_10": 0.2974,
        "recall_100": 0.5968,
        "mrr_10": 0.4854,
    },
    "nfcorpus-article": {"ndcg_cut_10": 0.3003, "recall_100": 0.2296, "mrr_10": 0.4973},
}
METRIC_NAMES = {
    "ndcg_cut_10": "nDCG@10",
    "recall_100": "Recall@100",
    "mrr_10": "MRR@10",
}
DEV_FILES = {
    "liveqa_queries": "medquad/liveqa_dev.jsonl",
    "liveqa_qrels": "medquad/liveqa_dev_qrels.tsv",
    "nfcorpus_queries": "nfcorpus/queries.jsonl",
    "nfcorpus_qrels": "nfcorpus/qrels/dev.tsv",
}
NO_HITS = "__no_hits__"
# Run files of the tuning split (2,590 NFCorpus train queries, ~6 MB each) are not
# written: their per-query scores are.
MAX_RUN_FILE_QUERIES = 1000


# Scoring -------------------------------------------------------------------------


def evaluate(*, qrels: dict, run: dict) -> dict:
    """Mean and per-query nDCG@10, Recall@100 and MRR@10 (trec_eval semantics:
    grade >= 1 is relevant for MRR and recall). Queries without hits score 0."""
    import pytrec_eval

    run = {q: (run.get(q) or {NO_HITS: 0.0}) for q in qrels}
    full = pytrec_eval.RelevanceEvaluator(
        qrels, {"ndcg_cut.10", "recall.100"}
    ).evaluate(run)
    top10 = {
        q: dict(sorted(d.items(), key=lambda x: -x[1])[:10]) for q, d in run.items()
    }
    rr = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(top10)
    per_query = {
        q: {
            "ndcg_cut_10": full[q]["ndcg_cut_10"],
            "recall_100": full[q]["recall_100"],
            "mrr_10": rr[q]["recip_rank"],
        }
        for q in qrels
    }
    means = {
        m: sum(v[m] for v in per_query.values()) / len(per_query) for m in METRIC_NAMES
    }
    return {**means, "queries": len(per_query), "per_query": per_query}


def run_from(rankings: dict[str, list[str]]) -> dict:
    """Ranked doc ids to a trec run: a strictly falling score keeps the order."""
    return {
        q: {doc: float(len(docs) - rank) for rank, doc in enumerate(docs)}
        for q, docs in rankings.items()
    }


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_qrels(path: Path, *, columns: int) -> tuple[dict, dict]:
    """(doc-level qrels, article-level qrels). Four columns: query, article,
    section, grade (article grade = best section grade); three: query, doc, grade."""
    docs: dict = collections.defaultdict(dict)
    articles: dict = collections.defaultdict(dict)
    with path.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != columns:
                continue
            if columns == 4:
                q, article, section, grade = parts
                docs[q][section] = max(docs[q].get(section, 0), int(grade))
                articles[q][article] = max(articles[q].get(article, 0), int(grade))
            else:
                q, doc, grade = parts
                docs[q][doc] = max(docs[q].get(doc, 0), int(grade))
                articles[q][doc] = docs[q][doc]
    return dict(docs), dict(articles)


# One corpus, inside Django --------------------------------------------------------


def prepare_corpus(
    *, command: str, options: dict, reuse: bool, cold_vectors: bool = False
) -> dict:
    """Import the corpus, then rebuild its index: the keyword load, then the
    vector fill, each timed. The import's own drains are left no vector fill
    to run, so the rebuild's fill does all of it; with `cold_vectors` the
    embedding cache is emptied first, so the fill embeds every text."""
    from unittest import mock

    from django.core.management import call_command

    from search.models import TextEmbedding

    common.ensure_site()
    if reuse:
        return {"import_seconds": 0.0, "index": None}
    started = time.perf_counter()
    with mock.patch("search.tasks.request_vectors"):
        call_command(command, **options)
    imported = time.perf_counter() - started
    if cold_vectors:
        TextEmbedding.objects.all().delete()
    # The rebuild ends merged into one segment, as the task worker leaves it:
    # pages re-written while it loaded leave deleted copies that count in
    # BM25's statistics until a merge drops them, so two runs on one index
    # would score apart.
    index = common.rebuild_index()
    return {"import_seconds": imported, "index": index}


def page_slugs() -> dict[int, str]:
    from blog.models import ArticlePage

    return dict(ArticlePage.objects.live().values_list("pk", "slug"))


def rank_all(*, queries: dict[str, str], systems: dict) -> tuple[dict, dict]:
    """{system: {qid: hits}} for each ranking function in `systems`, every one
    given the same text (a reader's query, cut to the API's length limit)."""
    from bench.ranking import reader_query

    texts, truncated = {}, 0
    for qid, text in queries.items():
        texts[qid], cut = reader_query(text)
        truncated += cut
    rankings, seconds = {}, {}
    for system, rank in systems.items():
        started = time.perf_counter()
        rankings[system] = {qid: rank(query=text) for qid, text in texts.items()}
        seconds[system] = time.perf_counter() - started
    return rankings, {"query_seconds": seconds, "queries_truncated": truncated}


def relief_ranker():
    from bench.ranking import Ranker

    ranker = Ranker()

    def rank(*, query: str):
        hits = ranker.rank(query=query)
        if "database" in ranker.backends:
            # Fallback results say nothing about the index; do not score them.
            raise SystemExit(
                f"search answered from {sorted(ranker.backends)}, not the index"
            )
        return hits

    return ranker, rank


def scored_setting(*, qrels: dict, runs: dict[str, dict[str, list[str]]]) -> dict:
    """Per system: mean and per-query scores, and the ranked doc ids (run file)."""
    return {
        "systems": {
            system: evaluate(qrels=qrels, run=run_from(ranking))
            for system, ranking in runs.items()
        },
        "rankings": runs,
    }


def eval_medquad(args) -> dict:
    from bench.ranking import bm25_articles, bm25_sections, sections_by_own_score
    from home.management.commands.import_medquad import section_anchors, source_slug

    data = Path(args.data)
    articles_path = data / "medquad" / "articles.jsonl"
    facts = prepare_corpus(
        command="import_medquad",
        options={"articles": articles_path, "limit": args.limit},
        reuse=args.reuse_index,
        cold_vectors=args.cold_vectors,
    )
    records = read_jsonl(articles_path)
    by_slug = {source_slug(r["id"]): r for r in records}
    sections_of = {
        r["id"]: {anchor: s["id"] for anchor, s in section_anchors(r)} for r in records
    }
    questions = read_jsonl(Path(args.liveqa_queries))
    queries = {
        q["id"]: " ".join(q[f] for f in ("subject", "message") if q.get(f))
        for q in questions
    }
    section_qrels, article_qrels = read_qrels(Path(args.liveqa_qrels), columns=4)
    queries = limited({q: t for q, t in queries.items() if q in article_qrels}, args)
    section_qrels = {q: d for q, d in section_qrels.items() if q in queries}
    article_qrels = {q: d for q, d in article_qrels.items() if q in queries}
    ranker, relief = relief_ranker()
    peers, peer_facts = (
        ({}, {}) if args.no_peers else peer_systems(reuse=args.reuse_index)
    )
    rankings, info = rank_all(
        queries=queries,
        systems={
            "relief": relief,
            "bm25-articles": bm25_articles,
            "bm25-sections": bm25_sections,
            **peers,
        },
    )
    slugs = page_slugs()

    def record_of(hit):
        return by_slug.get(slugs.get(hit.page_id, ""))

    def article_ids(hits) -> list[str]:
        return [r["id"] for hit in hits if (r := record_of(hit))]

    def section_ids(hits) -> list[str]:
        ids = []
        for hit in hits:
            if record := record_of(hit):
                sections = sections_of[record["id"]]
                # A hit without a section links to the article top: its first one.
                section = sections.get(hit.anchor) or next(
                    iter(sections.values()), None
                )
                if section:
                    ids.append(section)
        return ids

    def ids(system: str, convert) -> dict[str, list[str]]:
        return {qid: convert(hits) for qid, hits in rankings[system].items()}

    return {
        **facts,
        **peer_facts,
        **info,
        "per_page": ranker.per_page,
        "articles": len(records),
        "sections": sum(len(r["sections"]) for r in records),
        "settings": {
            "liveqa-article": scored_setting(
                qrels=article_qrels,
                runs={
                    "relief": ids("relief", article_ids),
                    "bm25": ids("bm25-articles", article_ids),
                    **{peer: ids(peer, article_ids) for peer in peers},
                },
            ),
            "liveqa-section": scored_setting(
                qrels=section_qrels,
                runs={
                    "relief": ids("relief", section_ids),
                    "bm25": ids("bm25-sections", section_ids),
                },
            ),
            "liveqa-section-merged": scored_setting(
                qrels=section_qrels,
                runs={
                    "relief": {
                        qid: section_ids(sections_by_own_score(hits)[:DEPTH])
                        for qid, hits in rankings["relief"].items()
                    },
                    "bm25": ids("bm25-sections", section_ids),
                },
            ),
        },
    }


def eval_nfcorpus(args) -> dict:
    from bench.ranking import bm25_articles
    from home.management.commands.import_medquad import source_slug

    data = Path(args.data)
    corpus_path = data / "nfcorpus" / "corpus.jsonl"
    facts = prepare_corpus(
        command="import_nfcorpus",
        options={"corpus": corpus_path, "limit": args.limit},
        reuse=args.reuse_index,
        cold_vectors=args.cold_vectors,
    )
    ids_by_slug = {source_slug(d["_id"]): d["_id"] for d in read_jsonl(corpus_path)}
    queries = {q["_id"]: q["text"] for q in read_jsonl(Path(args.nfcorpus_queries))}
    qrels, _ = read_qrels(Path(args.nfcorpus_qrels), columns=3)
    queries = limited({q: t for q, t in queries.items() if q in qrels}, args)
    qrels = {q: d for q, d in qrels.items() if q in queries}
    ranker, relief = relief_ranker()
    peers, peer_facts = (
        ({}, {}) if args.no_peers else peer_systems(reuse=args.reuse_index)
    )
    rankings, info = rank_all(
        queries=queries, systems={"relief": relief, "bm25": bm25_articles, **peers}
    )
    slugs = page_slugs()
    runs = {
        system: {
            qid: [
                ids_by_slug[s]
                for h in hits
                if (s := slugs.get(h.page_id)) in ids_by_slug
            ]
            for qid, hits in by_query.items()
        }
        for system, by_query in rankings.items()
    }
    return {
        **facts,
        **peer_facts,
        **info,
        "per_page": ranker.per_page,
        "articles": len(ids_by_slug),
        "settings": {
            nfcorpus_setting(args): scored_setting(qrels=qrels, runs=runs),
        },
    }


def nfcorpus_setting(args) -> str:
    return "nfcorpus-train" if args.nfcorpus_split == "train" else "nfcorpus-article"


def limited(queries: dict, args) -> dict:
    if args.max_queries is None:
        return queries
    return dict(list(queries.items())[: args.max_queries])


def run_corpus(args) -> None:
    # Smoke runs get their own database and index, so a partial corpus never
    # mixes with the full one.
    common.setup_django(
        name=args.corpus if args.limit is None else f"{args.corpus}-smoke"
    )
    try:
        import search.query  # noqa: F401
    except ImportError as exc:
        raise SystemExit(
            f"search.query.search_articles is not available: {exc}"
        ) from exc
    result = eval_medquad(args) if args.corpus == "medquad" else eval_nfcorpus(args)
    result["search_server"] = common.search_server_version()
    Path(args.out).write_text(json.dumps(result, default=str))


# Orchestration and report ---------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.corpus:
        run_corpus(args)
        return 0
    started = time.perf_counter()
    # The corpora run side by side, each in a process of its own, against one
    # search server (ELASTICSEARCH_URL, which `make eval` starts when unset).
    children = {
        corpus: start_child(corpus=corpus, args=args)
        for corpus in args.only or ("medquad", "nfcorpus")
    }
    results = {corpus: finish_child(*child) for corpus, child in children.items()}
    wall_seconds = time.perf_counter() - started
    write_report(results=results, wall_seconds=wall_seconds, args=args)
    return 0


def start_child(*, corpus: str, args) -> tuple[subprocess.Popen, Path]:
    out = Path(tempfile.mkstemp(suffix=f"-{corpus}.json")[1])
    command = [sys.executable, __file__, "--corpus", corpus, "--out", str(out)]
    for name in ("data", *DEV_FILES):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for name in ("limit", "max_queries", "nfcorpus_split"):
        if getattr(args, name) is not None:
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for flag in ("reuse_index", "no_peers", "cold_vectors"):
        if getattr(args, flag):
            command.append(f"--{flag.replace('_', '-')}")
    env = dict(os.environ)
    if not env.get("ELASTICSEARCH_URL"):
        command = [sys.executable, "-m", "search.embedded_search", "--", *command]
        env["RELIEF_EMBEDDED_SEARCH_DIR"] = str(common.VAR / f"bench-search-{corpus}")
    print(f"== {corpus} started", flush=True)
    return subprocess.Popen(command, env=env, cwd=common.REPO), out


def finish_child(process: subprocess.Popen, out: Path) -> dict:
    try:
        if process.wait() != 0:
            raise SystemExit(f"evaluation failed: {' '.join(process.args)}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data_default = os.environ.get("RELIEF_EVAL_DATA") or str(
        common.REPO.parent / "shared" / "data"
    )
    parser.add_argument("--data", default=data_default, help="Evaluation data folder.")
    for name, relative in DEV_FILES.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", help=f"default: <data>/{relative}"
        )
    parser.add_argument(
        "--nfcorpus-split",
        choices=["dev", "train"],
        default="dev",
        help="NFCorpus judgments to score: dev (reported) or train (for tuning).",
    )
    parser.add_argument("--only", action="append", choices=["medquad", "nfcorpus"])
    parser.add_argument("--name", default="eval", help="Report name: <date>-<name>.md")
    parser.add_argument(
        "--note",
        default="",
        help="The experiment this run measures and whether it was adopted "
        "(kept in history.jsonl).",
    )
    parser.add_argument(
        "--limit", type=int, help="Smoke run: import only the first N documents."
    )
    parser.add_argument(
        "--max-queries", type=int, help="Smoke run: only the first N queries."
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="Tuning runs: leave out Wagtail's own search (peer baselines).",
    )
    parser.add_argument(
        "--cold-vectors",
        action="store_true",
        help="Empty the embedding cache before the rebuild, so its vector fill "
        "embeds every text: the time from an empty index to every vector.",
    )
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="Query-only experiments: skip the import and the index rebuild and "
        "search the index an earlier run built.",
    )
    parser.add_argument(
        "--corpus", choices=["medquad", "nfcorpus"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.note and (args.limit is not None or args.max_queries is not None):
        args.note = "smoke run (pipeline check, figures meaningless)"
    if not args.nfcorpus_qrels:
        args.nfcorpus_qrels = str(
            Path(args.data) / "nfcorpus" / "qrels" / f"{args.nfcorpus_split}.tsv"
        )
    for name, relative in DEV_FILES.items():
        if not getattr(args, name):
            setattr(args, name, str(Path(args.data) / relative))
    args.is_dev = (
        args.limit is None
        and args.max_queries is None
        and all(
            Path(getattr(args, name)).resolve()
            == (Path(args.data) / relative).resolve()
            for name, relative in DEV_FILES.items()
        )
    )
    return args


def compared_rows(results: dict) -> list[dict]:
    """One row per setting and metric: Relief, BM25 of the same run, and the
    paired comparison over the setting's queries."""
    from bench.significance import compare

    rows = []
    for corpus in ("medquad", "nfcorpus"):
        for setting, scored in results.get(corpus, {}).get("settings", {}).items():
            relief, bm25 = scored["systems"]["relief"], scored["systems"]["bm25"]
            qids = sorted(relief["per_query"])
            for metric, label in METRIC_NAMES.items():
                comparison = compare(
                    ours=[relief["per_query"][q][metric] for q in qids],
                    theirs=[bm25["per_query"][q][metric] for q in qids],
                )
                rows.append(
                    {
                        "setting": setting,
                        "metric": label,
                        "key": metric,
                        "queries": len(qids),
                        "relief": relief[metric],
                        "bm25": bm25[metric],
                        "comparison": comparison,
                        "peers": compare_peers(scored=scored, qids=qids, metric=metric),
                    }
                )
    return rows


def table_rows(rows: list[dict], *, is_dev: bool) -> list[list]:
    table = []
    for row in rows:
        c = row["comparison"]
        reference = (
            BASELINES.get(row["setting"], {}).get(row["key"]) if is_dev else None
        )
        table.append(
            [
                row["setting"],
                row["metric"],
                row["queries"],
                row["relief"],
                row["bm25"],
                f"{c.delta:+.4f}",
                f"[{c.low:+.3f}, {c.high:+.3f}]",
                f"{c.p_value:.4f}",
                f"{c.wins}/{c.losses}",
                reference if reference is not None else "-",
            ]
        )
    return table


def data_relative(path, args) -> str:
    """A data file as the report names it: relative to the data folder, so no
    machine's paths end up in a committed report."""
    try:
        return f"<data>/{Path(path).resolve().relative_to(Path(args.data).resolve())}"
    except ValueError:
        return Path(path).name


def write_report(*, results: dict, wall_seconds: float, args) -> None:
    common.setup_django(name="medquad")
    rows = compared_rows(results)
    path = common.report_path(name=args.name)
    runs_dir = write_runs(results=results, folder=path.with_suffix(""))
    chart = draw_chart(rows=rows, path=path.with_suffix(".png"))
    lines = [f"# Relevance evaluation {path.stem}", ""]
    if args.note:
        lines += [f"Experiment: {args.note}", ""]
    lines += ["## Machine", ""]
    facts = common.machine()
    # The servers were the corpora's own (each child reports the one it used).
    facts["search server"] = "; ".join(
        sorted({r["search_server"] for r in results.values()})
    )
    lines += [f"- {k}: {v}" for k, v in facts.items()]
    lines += ["", "## Relief beside BM25 on the same engine and index", ""]
    if args.limit is not None or args.max_queries is not None:
        lines += [
            f"**Smoke run** (first {args.limit} documents, first {args.max_queries} "
            "queries): checks the pipeline; the figures say nothing about quality.",
            "",
        ]
    lines += [
        "BM25 is one plain `match` on the same index in the same run: over each "
        "article's `all_text` (title, summary, headings, text) at article level, "
        "over each section's heading and text at section level, every section "
        "ranked on its own score. Delta = Relief - BM25 (mean over queries), its "
        "bootstrap 95% interval, the two-sided p of a paired randomisation test "
        "(10,000 sign flips), and the queries Relief wins/loses. bm25s = the data "
        "READMEs' reference BM25 (another implementation; DEV files only).",
        "",
        common.markdown_table(
            [
                "setting",
                "metric",
                "queries",
                "Relief",
                "BM25",
                "delta",
                "95% CI",
                "p",
                "wins/losses",
                "bm25s",
            ],
            table_rows(rows, is_dev=args.is_dev),
        ),
        "",
        "Section level: `liveqa-section` counts the one section each Relief "
        "article hit links to (at most one per article); `liveqa-section-merged` "
        "ranks the sections every hit brought back (up to "
        "`search.query.SECTIONS_PER_HIT` per article) by their own scores. BM25 "
        "ranks every section on its own in both.",
        "",
        *peer_section(rows=rows, results=results),
        f"![relevance]({chart.name})",
        "",
        "## Runs",
        "",
    ]
    for corpus in ("medquad", "nfcorpus"):
        if corpus in results:
            lines.append(corpus_facts(corpus=corpus, facts=results[corpus]))
    lines += [
        f"- whole evaluation: {wall_seconds:.0f} s",
        f"- per-query scores and TREC run files (up to {MAX_RUN_FILE_QUERIES} queries "
        f"per setting): `{runs_dir.relative_to(path.parent)}/`",
        "",
        "Files: "
        + ", ".join(f"{k}={data_relative(getattr(args, k), args)}" for k in DEV_FILES),
        "",
    ]
    path.write_text("\n".join(lines) + "\n")
    append_history(rows=rows, wall_seconds=wall_seconds, args=args)
    print(path.read_text())
    print(f"Report written to {path}")


def append_history(*, rows: list[dict], wall_seconds: float, args) -> None:
    figures = {}
    for row in rows:
        name = f"{row['setting']}:{row['metric']}"
        figures[name] = round(row["relief"], 4)
        figures[f"{name}:bm25"] = round(row["bm25"], 4)
        figures[f"{name}:p"] = round(row["comparison"].p_value, 4)
    figures.update(peer_history(rows=rows))
    common.append_history(
        kind="eval",
        figures={
            "dev": args.is_dev,
            "nfcorpus_split": args.nfcorpus_split,
            "note": args.note,
            "wall_seconds": round(wall_seconds),
            **figures,
        },
    )


def write_runs(*, results: dict, folder: Path) -> Path:
    """TREC run files (qid Q0 doc rank score system) and per-query scores, so a
    figure can be re-scored or compared query by query later."""
    folder.mkdir(parents=True, exist_ok=True)
    per_query = ["setting\tsystem\tquery\t" + "\t".join(METRIC_NAMES)]
    for corpus_result in results.values():
        for setting, scored in corpus_result.get("settings", {}).items():
            for system, ranking in scored["rankings"].items():
                if len(ranking) <= MAX_RUN_FILE_QUERIES:
                    lines = [
                        f"{qid} Q0 {doc} {rank} {len(docs) - rank + 1} {system}"
                        for qid, docs in ranking.items()
                        for rank, doc in enumerate(docs, start=1)
                    ]
                    run_file = folder / f"{setting}.{system}.run"
                    run_file.write_text("\n".join(lines) + "\n")
                for qid, scores in scored["systems"][system]["per_query"].items():
                    values = "\t".join(f"{scores[m]:.4f}" for m in METRIC_NAMES)
                    per_query.append(f"{setting}\t{system}\t{qid}\t{values}")
    (folder / "per-query.tsv").write_text("\n".join(per_query) + "\n")
    return folder


def corpus_facts(*, corpus: str, facts: dict) -> str:
    index = facts["index"]
    seconds = ", ".join(f"{s} {v:.0f} s" for s, v in facts["query_seconds"].items())
    built = (
        f"import {facts['import_seconds']:.0f} s; keyword rebuild "
        f"{index['seconds']:.1f} s ({index['rate']:.0f} articles/s); vector fill "
        f"{index['vector_fill']['seconds']:.1f} s "
        f"({index['vector_fill']['texts_embedded']} texts embedded, the rest from "
        f"the cache; {index['vector_fill']['without_vectors_after']} articles "
        f"without vectors after it); merge into one segment "
        f"{index.get('compaction_seconds', 0):.1f} s ({index['how']})"
        if index
        else "index of an earlier run reused (no import, no rebuild)"
    )
    return (
        f"- {corpus}: {facts['articles']} articles"
        + (f", {facts['sections']} sections" if "sections" in facts else "")
        + f"; {built}{peer_index_facts(facts=facts)}; per_page {facts['per_page']}; "
        f"queries: {seconds}; queries cut to the length limit: "
        f"{facts['queries_truncated']}"
    )


def draw_chart(*, rows: list[dict], path: Path) -> Path:
    """nDCG@10 per setting: Relief, BM25 and every peer that ranked it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ndcg = [r for r in rows if r["key"] == "ndcg_cut_10"]
    peers = [k for k in LABELS if any(k in r["peers"] for r in ndcg)]
    systems = [("Relief", "relief"), ("BM25 (same engine)", "bm25")]
    systems += [(LABELS[k], k) for k in peers]
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for n, (label, key) in enumerate(systems):
        offset = (n - (len(systems) - 1) / 2) * width
        scores = [
            r[key] if key in r else r["peers"].get(key, {}).get("score", 0.0)
            for r in ndcg
        ]
        ax.bar([x + offset for x in range(len(ndcg))], scores, width=width, label=label)
    ax.set_xticks(list(range(len(ndcg))), [r["setting"] for r in ndcg])
    ax.set_ylabel("nDCG@10")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


if __name__ == "__main__":
    sys.exit(main())
