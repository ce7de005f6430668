"""Two evaluation runs compared query by query: an experiment against the run
before it on the same index (`make eval ... --reuse-index`), with the same
paired test the eval reports against BM25.

    python bench/compare_runs.py NEW_REPORT_DIR OLD_REPORT_DIR [--system relief]

Each folder is one run's `bench/results/<report>/` with its per-query.tsv.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.significance import Comparison, compare  # noqa: E402

METRICS = ("ndcg_cut_10", "recall_100", "mrr_10")


def read_per_query(*, folder: Path, system: str) -> dict[str, dict[str, dict]]:
    """{setting: {query: {metric: score}}} of one system."""
    scores: dict[str, dict[str, dict]] = {}
    with (folder / "per-query.tsv").open() as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            if row["system"] == system:
                scores.setdefault(row["setting"], {})[row["query"]] = {
                    metric: float(row[metric]) for metric in METRICS
                }
    return scores


def compare_runs(
    *, new: Path, old: Path, system: str = "relief"
) -> dict[tuple[str, str], tuple[int, Comparison]]:
    """{(setting, metric): (queries, comparison of new against old)} over the
    settings and queries both runs scored."""
    ours, theirs = (read_per_query(folder=f, system=system) for f in (new, old))
    results = {}
    for setting in sorted(ours.keys() & theirs.keys()):
        queries = sorted(ours[setting].keys() & theirs[setting].keys())
        for metric in METRICS:
            results[(setting, metric)] = (
                len(queries),
                compare(
                    ours=[ours[setting][q][metric] for q in queries],
                    theirs=[theirs[setting][q][metric] for q in queries],
                ),
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("new", type=Path)
    parser.add_argument("old", type=Path)
    parser.add_argument("--system", default="relief")
    args = parser.parse_args(argv)
    results = compare_runs(new=args.new, old=args.old, system=args.system)
    if not results:
        raise SystemExit("The two runs share no setting.")
    print("| setting | metric | queries | new - old | 95% CI | p | wins/losses |")
    print("|---|---|---|---|---|---|---|")
    for (setting, metric), (queries, c) in results.items():
        print(
            f"| {setting} | {metric} | {queries} | {c.delta:+.4f} | "
            f"[{c.low:+.3f}, {c.high:+.3f}] | {c.p_value:.4f} | {c.wins}/{c.losses} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
