"""Relevance evaluation (`make eval`): MedQuAD + LiveQA and NFCorpus through the
project's own search function, scored by pytrec_eval beside the BM25 baselines.

    python bench/eval.py [--data DIR] [--liveqa-queries F --liveqa-qrels F]
                         [--nfcorpus-queries F --nfcorpus-qrels F] [--only medquad]

Each corpus lives in a bench database and index of its own (a subprocess per
corpus, since settings are per process). Needs ELASTICSEARCH_URL (make eval
starts the embedded server when it is unset).
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

# BM25 DEV baselines from the data folder's READMEs (bm25s "lucene", pytrec_eval).
BASELINES = {
    "liveqa-article": {"ndcg_cut_10": 0.4168, "recall_100": 0.7626, "mrr_10": 0.5408},
    "liveqa-section": {"ndcg_cut_10": 0.2974, "recall_100": 0.5968, "mrr_10": 0.4854},
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


def prepare_corpus(*, command: str, options: dict) -> dict:
    from django.core.management import call_command

    common.ensure_site()
    started = time.perf_counter()
    call_command(command, **options)
    imported = time.perf_counter() - started
    index = common.rebuild_index()
    return {"import_seconds": imported, "index": index}


def page_slugs() -> dict[int, str]:
    from blog.models import ArticlePage

    return dict(ArticlePage.objects.live().values_list("pk", "slug"))


def rank_all(*, queries: dict[str, str]) -> tuple[dict, dict]:
    from bench.ranking import Ranker, reader_query

    ranker = Ranker()
    rankings, truncated = {}, 0
    started = time.perf_counter()
    for qid, text in queries.items():
        query, cut = reader_query(text)
        truncated += cut
        rankings[qid] = ranker.rank(query=query)
    seconds = time.perf_counter() - started
    if ranker.backends - {"elasticsearch"}:
        # Fallback results say nothing about the index; do not score them.
        raise SystemExit(
            f"search answered from {sorted(ranker.backends)}, not the index"
        )
    info = {
        "query_seconds": seconds,
        "queries_truncated": truncated,
        "per_page": ranker.per_page,
        "backends": sorted(ranker.backends),
    }
    return rankings, info


def eval_medquad(args) -> dict:
    from blog.management.commands.import_medquad import section_anchors, source_slug

    data = Path(args.data)
    articles_path = data / "medquad" / "articles.jsonl"
    facts = prepare_corpus(
        command="import_medquad",
        options={"articles": articles_path, "limit": args.limit},
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
    rankings, info = rank_all(queries=queries)
    slugs = page_slugs()
    article_rank, section_rank, without_section = {}, {}, 0
    for qid, hits in rankings.items():
        article_rank[qid], section_rank[qid] = [], []
        for hit in hits:
            record = by_slug.get(slugs.get(hit.page_id, ""))
            if record is None:
                continue
            sections = sections_of[record["id"]]
            # A hit without a section links to the article top: its first section.
            section = sections.get(hit.anchor) or next(iter(sections.values()), None)
            without_section += hit.anchor not in sections
            article_rank[qid].append(record["id"])
            if section:
                section_rank[qid].append(section)
    return {
        **facts,
        **info,
        "articles": len(records),
        "sections": sum(len(r["sections"]) for r in records),
        "hits_without_section": without_section,
        "liveqa-article": evaluate(qrels=article_qrels, run=run_from(article_rank)),
        "liveqa-section": evaluate(qrels=section_qrels, run=run_from(section_rank)),
    }


def eval_nfcorpus(args) -> dict:
    from blog.management.commands.import_medquad import source_slug

    data = Path(args.data)
    corpus_path = data / "nfcorpus" / "corpus.jsonl"
    facts = prepare_corpus(
        command="import_nfcorpus", options={"corpus": corpus_path, "limit": args.limit}
    )
    ids_by_slug = {source_slug(d["_id"]): d["_id"] for d in read_jsonl(corpus_path)}
    queries = {q["_id"]: q["text"] for q in read_jsonl(Path(args.nfcorpus_queries))}
    qrels, _ = read_qrels(Path(args.nfcorpus_qrels), columns=3)
    queries = limited({q: t for q, t in queries.items() if q in qrels}, args)
    qrels = {q: d for q, d in qrels.items() if q in queries}
    rankings, info = rank_all(queries=queries)
    slugs = page_slugs()
    doc_rank = {
        qid: [
            ids_by_slug[s] for h in hits if (s := slugs.get(h.page_id)) in ids_by_slug
        ]
        for qid, hits in rankings.items()
    }
    return {
        **facts,
        **info,
        "articles": len(ids_by_slug),
        "nfcorpus-article": evaluate(qrels=qrels, run=run_from(doc_rank)),
    }


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
    # The corpora run side by side. Without ELASTICSEARCH_URL each gets an
    # embedded server of its own: that server answers one request at a time on
    # one core, so two of them use both cores of a small machine.
    children = {
        corpus: start_child(corpus=corpus, args=args)
        for corpus in args.only or ("medquad", "nfcorpus")
    }
    results = {corpus: finish_child(*child) for corpus, child in children.items()}
    results["wall_seconds"] = time.perf_counter() - started
    write_report(results=results, args=args)
    return 0


def start_child(*, corpus: str, args) -> tuple[subprocess.Popen, Path]:
    out = Path(tempfile.mkstemp(suffix=f"-{corpus}.json")[1])
    command = [sys.executable, __file__, "--corpus", corpus, "--out", str(out)]
    for name in ("data", *DEV_FILES):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for name in ("limit", "max_queries"):
        if getattr(args, name) is not None:
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    env = dict(os.environ)
    if not env.get("ELASTICSEARCH_URL"):
        command = [sys.executable, "-m", "cms.embedded_search", "--", *command]
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
    parser.add_argument("--only", action="append", choices=["medquad", "nfcorpus"])
    parser.add_argument("--name", default="eval", help="Report name: <date>-<name>.md")
    parser.add_argument(
        "--limit", type=int, help="Smoke run: import only the first N documents."
    )
    parser.add_argument(
        "--max-queries", type=int, help="Smoke run: only the first N queries."
    )
    parser.add_argument(
        "--corpus", choices=["medquad", "nfcorpus"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
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


def figure_rows(results: dict, *, is_dev: bool) -> list[list]:
    rows = []
    for corpus, keys in (
        ("medquad", ("liveqa-article", "liveqa-section")),
        ("nfcorpus", ("nfcorpus-article",)),
    ):
        for key in keys:
            if key not in results.get(corpus, {}):
                continue
            scores = results[corpus][key]
            for metric, label in METRIC_NAMES.items():
                base = BASELINES[key][metric] if is_dev else None
                delta = f"{scores[metric] - base:+.4f}" if base is not None else "-"
                rows.append(
                    [
                        key,
                        label,
                        scores[metric],
                        base if base is not None else "-",
                        delta,
                    ]
                )
    return rows


def data_relative(path, args) -> str:
    """A data file as the report names it: relative to the data folder, so no
    machine's paths end up in a committed report."""
    try:
        return f"<data>/{Path(path).resolve().relative_to(Path(args.data).resolve())}"
    except ValueError:
        return Path(path).name


def write_report(*, results: dict, args) -> None:
    common.setup_django(name="medquad")
    rows = figure_rows(results, is_dev=args.is_dev)
    path = common.report_path(name=args.name)
    chart = draw_chart(rows=rows, path=path.with_suffix(".png"))
    lines = [f"# Relevance evaluation {path.stem}", "", "## Machine", ""]
    facts = common.machine()
    # The servers were the corpora's own (each child reports the one it used).
    facts["search server"] = "; ".join(
        sorted({r["search_server"] for r in results.values() if isinstance(r, dict)})
    )
    lines += [f"- {k}: {v}" for k, v in facts.items()]
    lines += ["", "## Relevance beside BM25 (DEV baselines from the data READMEs)", ""]
    if args.limit is not None or args.max_queries is not None:
        lines += [
            f"**Smoke run** (first {args.limit} documents, first {args.max_queries} "
            "queries): checks the pipeline; the figures are not comparable to any "
            "baseline.",
            "",
        ]
    lines.append(
        common.markdown_table(["setting", "metric", "Relief", "BM25", "delta"], rows)
    )
    lines += ["", f"![relevance]({chart.name})", "", "## Runs", ""]
    for corpus in ("medquad", "nfcorpus"):
        if corpus in results:
            lines.append(corpus_facts(corpus=corpus, facts=results[corpus]))
    lines.append(f"- whole evaluation: {results['wall_seconds']:.0f} s")
    lines += [
        "",
        "Files: "
        + ", ".join(f"{k}={data_relative(getattr(args, k), args)}" for k in DEV_FILES),
        "",
    ]
    path.write_text("\n".join(lines) + "\n")
    common.append_history(
        kind="eval",
        figures={
            "dev": args.is_dev,
            **{f"{r[0]}:{r[1]}": round(r[2], 4) for r in rows},
        },
    )
    print(path.read_text())
    print(f"Report written to {path}")


def corpus_facts(*, corpus: str, facts: dict) -> str:
    index = facts["index"]
    return (
        f"- {corpus}: {facts['articles']} articles"
        + (f", {facts['sections']} sections" if "sections" in facts else "")
        + f"; import {facts['import_seconds']:.0f} s; index rebuild {index['seconds']:.1f} s "
        f"({index['rate']:.0f} articles/s, {index['how']}); {len(facts.get('backends', []))} "
        f"backend(s) {facts.get('backends')}; per_page {facts['per_page']}; "
        f"queries {facts['query_seconds']:.0f} s; queries cut to the length limit: "
        f"{facts['queries_truncated']}"
        + (
            f"; hits without a section: {facts['hits_without_section']}"
            if "hits_without_section" in facts
            else ""
        )
    )


def draw_chart(*, rows: list[list], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ndcg = [r for r in rows if r[1] == "nDCG@10"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(ndcg))
    ax.bar([x - 0.2 for x in xs], [r[2] for r in ndcg], width=0.4, label="Relief")
    ax.bar(
        [x + 0.2 for x in xs],
        [r[3] if r[3] != "-" else 0 for r in ndcg],
        width=0.4,
        label="BM25 baseline",
    )
    ax.set_xticks(list(xs), [r[0] for r in ndcg])
    ax.set_ylabel("nDCG@10")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


if __name__ == "__main__":
    sys.exit(main())
