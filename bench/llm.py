"""Benchmark the LLM extractor: against a real endpoint, or against the loopback server for pipeline overhead.

Real endpoint (OPENAI_BASE_URL and/or OPENAI_API_KEY, plus FACTDESK_LLM_MODEL): per article latency, tokens
in/out, cost at `--price-in`/`--price-out` (USD per million tokens), grounding rate, and agreement with the
offline extractor, over the seed article, `examples/` and the test fixtures' articles.

`--real`: starts the local model server (`bot/extract/llm/local_server.py`, SmolLM2-135M-Instruct, one
thread) and prints, for the seed article and the news-card dev set (scored by `bench.newscard`'s own
functions; `--seed-only` skips it): time to first token and total per article (p50/p95), tokens/s, and
the card's figures in LLM mode beside offline's. Each article's line goes to stderr as it finishes;
`--cache sqlite:///FILE` keeps the model's answers, so a re-run re-scores them without the wait.

`--loopback`: `tests/openai_server.py` answers every call after a fixed `--latency`, for the scaling rows
(a 10,000-word article, chunked and concurrent, against a 1,000-word one: target 1.5x), and at once for
the pipeline's own time per article (chunking, prompt, client, validation, grounding: target < 20 ms).

Run: ``.venv/bin/python bench/llm.py --loopback`` (exits 0 with a skip message when nothing is configured).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import openai

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from openai_server import OpenAIServer  # noqa: E402

if TYPE_CHECKING:
    from bot.triage import TriageService

from bench.paths import SHARED  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.extract.llm import LLMExtractor, LLMUnavailable, MemoryLLMCache  # noqa: E402
from bot.extract.llm.chunking import split_into_chunks  # noqa: E402
from bot.models import Extraction, Span, Strength, TriageReport  # noqa: E402

_DROPPED = re.compile(r"^(\d+) model findings? could not be found")


@dataclass
class Run:
    name: str
    words: int
    chunks: int
    wall_ms: float
    tokens_in: int
    tokens_out: int
    kept: int
    dropped: int
    error: str | None = None


def _articles() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    seed = SHARED / "seed" / "coalition-ceasefire.txt"
    if seed.exists():
        found.append(("seed", seed.read_text(encoding="utf-8")))
    found += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((REPO / "examples").glob("*.txt"))]
    for fixture in sorted((REPO / "tests" / "fixtures" / "llm").glob("*.json")):
        found.append((fixture.stem, json.loads(fixture.read_text(encoding="utf-8"))["article"]))
    return found


def _synthetic_article(words: int) -> str:
    """Wire-style paragraphs of about 60 words, each with its own figures, until `words` is reached."""
    paragraphs: list[str] = []
    total, n = 0, 0
    while total < words:
        n += 1
        paragraph = (
            f"The transport authority said on Tuesday that {n * 1300:,} passengers used route {n} last month, "
            f"up {n % 17 + 2}% on the same month in {2000 + n % 24}. A spokesperson, who asked not to be named, "
            f"said the operator would add {n % 9 + 1} trains by March. Some commuters say services on the line are "
            f"still late on most mornings, and critics argue the figures leave out cancelled journeys."
        )
        paragraphs.append(paragraph)
        total += len(paragraph.split())
    return "\n\n".join(paragraphs)


def _measure(
    extractor: LLMExtractor, name: str, text: str, chunk_tokens: int
) -> tuple[Run, Extraction | None]:
    started = time.perf_counter()
    try:
        extraction: Extraction | None = extractor.extract(text)
        error = None
    except LLMUnavailable as unavailable:
        extraction, error = None, unavailable.reason
    wall_ms = (time.perf_counter() - started) * 1000
    dropped = 0
    if extraction is not None:
        for note in extraction.notes:
            if match := _DROPPED.match(note):
                dropped = int(match.group(1))
    kept = len(extraction.claims) + len(extraction.attributions) + len(extraction.names) if extraction else 0
    run = Run(
        name=name,
        words=len(text.split()),
        chunks=len(split_into_chunks(text, chunk_tokens)),
        wall_ms=wall_ms,
        tokens_in=sum(c.tokens_in for c in extractor.calls),
        tokens_out=sum(c.tokens_out for c in extractor.calls),
        kept=kept,
        dropped=dropped,
        error=error,
    )
    return run, extraction


def _covered(spans: list[Span], others: list[Span]) -> str:
    if not spans:
        return "n/a"
    hits = sum(any(min(s.end, o.end) > max(s.start, o.start) for o in others) for s in spans)
    return f"{hits}/{len(spans)}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_endpoint(args: argparse.Namespace) -> None:
    from bot.extract.offline import OfflineExtractor

    settings = Settings()
    offline = OfflineExtractor()
    print(
        f"endpoint {os.environ.get('OPENAI_BASE_URL', 'https://api.openai.com/v1')} model {settings.llm_model}"
    )
    header = f"{'article':22} {'words':>6} {'chunks':>6} {'ms':>8} {'tok in':>7} {'tok out':>7} {'cost $':>9} {'grounded':>9}  offline weak attr found / offline top claims found"
    print(header)
    total_cost, total_kept, total_dropped = 0.0, 0, 0
    for name, text in _articles():
        extractor = LLMExtractor(settings, cache=MemoryLLMCache())
        run, extraction = _measure(extractor, name, text, settings.llm_chunk_tokens)
        cost = (run.tokens_in * args.price_in + run.tokens_out * args.price_out) / 1_000_000
        total_cost += cost
        if extraction is None:
            print(
                f"{name[:22]:22} {run.words:>6} {run.chunks:>6} {run.wall_ms:>8.0f} {run.tokens_in:>7} {run.tokens_out:>7} {cost:>9.5f}  unavailable: {run.error}"
            )
            continue
        total_kept += run.kept
        total_dropped += run.dropped
        reference = offline.extract(text)
        weak = [a for a in reference.attributions if a.strength == Strength.weak]
        top = [c for c in reference.claims if c.checkworthiness >= 0.5]
        grounded = f"{run.kept}/{run.kept + run.dropped}"
        agreement = f"{_covered(weak, extraction.attributions)} / {_covered(top, extraction.claims)}"
        print(
            f"{name[:22]:22} {run.words:>6} {run.chunks:>6} {run.wall_ms:>8.0f} {run.tokens_in:>7} {run.tokens_out:>7} {cost:>9.5f} {grounded:>9}  {agreement}"
        )
    rate = total_kept / (total_kept + total_dropped) if total_kept + total_dropped else 0.0
    print(
        f"total cost ${total_cost:.4f} at ${args.price_in}/M in, ${args.price_out}/M out; grounding rate {rate:.1%}"
    )


def bench_loopback(args: argparse.Namespace) -> None:
    latency = args.latency
    short, long = _synthetic_article(1_000), _synthetic_article(10_000)
    with OpenAIServer(latency=latency) as server:
        client = openai.OpenAI(base_url=server.url, api_key="loopback", max_retries=0)
        base = Settings(llm_model="loopback", llm_timeout=30)
        concurrencies = sorted({base.llm_concurrency, args.concurrency})
        print(
            f"loopback server latency {latency * 1000:.0f} ms per call; {args.repeat} runs each; chunk budget {base.llm_chunk_tokens} tokens"
        )
        print(
            f"{'article':30} {'words':>6} {'chunks':>6} {'median ms':>10} {'p95 ms':>8} {'overhead ms':>12} {'tok in':>7} {'tok out':>7} {'grounded':>9}"
        )
        medians: dict[tuple[str, int], float] = {}
        for concurrency in concurrencies:
            settings = base.model_copy(update={"llm_concurrency": concurrency})
            for label, text in (("1,000 words", short), ("10,000 words", long)):
                runs = []
                for _ in range(args.repeat):
                    extractor = LLMExtractor(settings, client=client, cache=MemoryLLMCache())
                    run, _ = _measure(extractor, label, text, settings.llm_chunk_tokens)
                    if run.error:
                        raise SystemExit(f"loopback run failed: {run.error}")
                    runs.append(run)
                walls = [r.wall_ms for r in runs]
                rounds = -(-runs[0].chunks // concurrency)
                median = statistics.median(walls)
                medians[(label, concurrency)] = median
                overhead = median - rounds * latency * 1000
                kept, dropped = runs[0].kept, runs[0].dropped
                name = f"{label}, concurrency {concurrency}"
                print(
                    f"{name:30} {runs[0].words:>6} {runs[0].chunks:>6} {median:>10.1f} {_percentile(walls, 0.95):>8.1f} "
                    f"{overhead:>12.1f} {runs[0].tokens_in:>7} {runs[0].tokens_out:>7} {f'{kept}/{kept + dropped}':>9}"
                )
        for concurrency in concurrencies:
            ratio = medians[("10,000 words", concurrency)] / medians[("1,000 words", concurrency)]
            verdict = "meets" if ratio <= 1.5 else "misses"
            print(
                f"10,000 / 1,000 words at concurrency {concurrency}: {ratio:.2f}x ({verdict} the 1.5x target)"
            )
        fixtures = _articles()
        overheads, cpus = _overheads(fixtures, base, args.repeat)
        print(
            f"pipeline overhead over {len(fixtures)} real-length articles against a peer that answers at once "
            f"(chunking, prompt, client, validation, grounding, merge; {args.repeat} runs each after one warm-up): "
            f"CPU median {statistics.median(cpus):.1f} ms, p95 {_percentile(cpus, 0.95):.1f} ms (target < 20 ms); "
            f"wall median {statistics.median(overheads):.1f} ms, p95 {_percentile(overheads, 0.95):.1f} ms"
        )
        cached = LLMExtractor(base, client=client)
        cached.extract(short)
        before = len(server.requests)
        started = time.perf_counter()
        cached.extract(short)
        print(
            f"repeat paste served from cache in {(time.perf_counter() - started) * 1000:.2f} ms, {len(server.requests) - before} HTTP calls"
        )


def _overheads(
    fixtures: list[tuple[str, str]], settings: Settings, repeat: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per article of the LLM path's own work (chunking, prompt, client, validation,
    grounding, the merge into the offline extraction), wall and CPU (this process, the peer's thread
    included). The loopback peer answers without waiting, so a sleep that overshoots on a loaded machine
    is not counted as ours, and the CPU time shows what waiting for a core adds to the wall time."""
    from bot.extract.merge import merge
    from bot.extract.offline import OfflineExtractor

    offline = {name: OfflineExtractor().extract(text) for name, text in fixtures}
    with OpenAIServer() as instant:
        client = openai.OpenAI(base_url=instant.url, api_key="loopback", max_retries=0)
        walls: list[float] = []
        cpus: list[float] = []
        for round_ in range(repeat + 1):
            for name, text in fixtures:
                extractor = LLMExtractor(settings, client=client, cache=MemoryLLMCache())
                cpu, wall = time.process_time(), time.perf_counter()
                merge(extractor.extract(text), offline[name])
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if round_:  # the first round opens the connection and builds the schema once
                    walls.append(wall * 1000)
                    cpus.append(cpu * 1000)
        return walls, cpus


def _time_to_first_token(client: openai.OpenAI, model: str, text: str, chunk_tokens: int) -> float:
    """Seconds until the first streamed token of the article's first request, as the extractor sends it,
    with only the shared instructions in the server's prompt cache (as for a new article)."""
    from bot.extract.llm.prompt import load_prompt
    from bot.extract.llm.schema import strict_response_format

    prompt = load_prompt()
    chunks = split_into_chunks(text, chunk_tokens)

    def ask(user: str, stream: bool) -> object:
        return client.chat.completions.create(
            model=model,
            messages=[{"role": "system", "content": prompt.system}, {"role": "user", "content": user}],
            response_format=strict_response_format(),  # type: ignore[arg-type]
            temperature=0,
            max_tokens=1,
            stream=stream,
        )

    ask("-", stream=False)  # another user message: the article's own prompt is no longer cached
    started = time.perf_counter()
    for _ in ask(prompt.user_message(chunks[0].text, 1, len(chunks)), stream=True):  # type: ignore[attr-defined]
        break
    return time.perf_counter() - started


def _seed_figures(report: TriageReport) -> dict[str, object]:
    from tests.shared_data import SEED_CLAIMS, SEED_FRAMING, SEED_WEAK, fold

    claims, attributions = report.claims, report.attributions
    return {
        "claims on the card": len(claims),
        "seed must-check claims >= 0.5": sum(
            any(p in fold(c.text) and c.checkworthiness >= 0.5 for c in claims) for p in SEED_CLAIMS
        ),
        "seed framing sentences >= 0.5": sum(
            any(p in fold(c.text) and c.checkworthiness >= 0.5 for c in claims) for p in SEED_FRAMING
        ),
        "seed weak attributions flagged": sum(
            any(p in fold(a.text) and a.strength is Strength.weak for a in attributions) for p in SEED_WEAK
        ),
        "names flagged": len(report.names),
    }


def _seconds(value: float | None) -> str:
    return "cached" if value is None else f"{value:.1f} s"


def _p50_p95(values: list[float | None]) -> str:
    timed = [v for v in values if v is not None]
    if not timed:
        return "answers from the cache, not timed"
    return f"{statistics.median(timed):.1f} / {_percentile(timed, 0.95):.1f}"


@dataclass
class RealRun:
    """One article through the real model: its timings, and both cards."""

    name: str
    words: int
    first_token_s: float | None  # None: the answer came from the cache
    total_s: float | None
    model_s: float
    tokens_in: int
    tokens_out: int
    outcomes: list[str]
    extractor: str
    llm: TriageReport
    offline: TriageReport

    def line(self) -> str:
        from bot.render.card import model_effect

        return (
            f"{self.name}: {self.words} words, first token {_seconds(self.first_token_s)}, total {_seconds(self.total_s)}, "
            f"{self.tokens_in} tokens in / {self.tokens_out} out, calls {self.outcomes}, card {self.extractor}, "
            f"model {dict(model_effect(self.llm))}"
        )


def _run_real(service: TriageService, client: openai.OpenAI, model: str, name: str, text: str) -> RealRun:
    """The article in LLM mode (timed), then its first token timed on its own; an answer already in the
    cache (`--cache`) is re-scored but not timed."""
    settings = service.settings
    started = time.perf_counter()
    extracted = service.extract(text, "llm")
    total = time.perf_counter() - started
    calls = extracted.llm_calls
    cached = [c.outcome for c in calls] == ["cached"]
    offline = service.analyse(text, extractor="offline")
    return RealRun(
        name=name,
        words=len(text.split()),
        first_token_s=None
        if cached
        else _time_to_first_token(client, model, text, settings.llm_chunk_tokens),
        total_s=None if cached else total,
        model_s=sum(c.latency_ms for c in calls) / 1000,
        tokens_in=sum(c.tokens_in for c in calls),
        tokens_out=sum(c.tokens_out for c in calls),
        outcomes=[c.outcome for c in calls],
        extractor=extracted.info.name,
        # The model's answer is cached now; a failed one is not, and its card is the offline one.
        llm=service.analyse(text, extractor="llm") if extracted.info.name == "llm" else offline,
        offline=offline,
    )


def _latency_rows(runs: list[RealRun], row: Callable[..., None], split: str, timeout: float) -> None:
    from bot.render.card import model_effect

    model_s, out = sum(r.model_s for r in runs), sum(r.tokens_out for r in runs)
    outcomes = Counter(o for r in runs for o in r.outcomes)
    row("articles / words", f"{len(runs)} / {sum(r.words for r in runs)}", split=split)
    row(
        "cards from the model (llm)",
        f"{sum(r.extractor == 'llm' for r in runs)} of {len(runs)}",
        "all",
        split,
    )
    row("model calls by outcome", dict(outcomes), "no schema_rejected", split)
    row("time to first token p50 / p95, s", _p50_p95([r.first_token_s for r in runs]), split=split)
    row(
        "total per article p50 / p95, s",
        _p50_p95([r.total_s for r in runs]),
        f"<= FACTDESK_LLM_TIMEOUT ({timeout:g})",
        split,
    )
    row("tokens in / out", f"{sum(r.tokens_in for r in runs)} / {out}", split=split)
    row(
        "tokens/s out (over the calls' whole time)",
        round(out / model_s, 1) if model_s else "n/a",
        split=split,
    )
    effect = sum((model_effect(r.llm) for r in runs), Counter())
    row(
        "what the model did to the cards",
        ", ".join(f"{k} {v}" for k, v in sorted(effect.items()) if v) or "nothing",
        split=split,
    )


def bench_real(args: argparse.Namespace) -> None:
    from bench.newscard import Tally, figure_rows, score_article
    from bench.newscard_data import load
    from bench.table import cell, print_table
    from bot.extract.llm.local_server import serving
    from bot.text.normalize import decode, normalise
    from bot.triage import TriageService

    seed_path = SHARED / "seed" / "coalition-ceasefire.txt"
    seed = normalise(decode(seed_path.read_bytes()))
    dev = [] if args.seed_only else load("dev")[0][: args.limit]
    model = "smollm2-135m-instruct"
    rows: list[dict] = []

    def row(metric: str, value: object, target: str = "", split: str = "seed") -> None:
        rows.append(
            {
                "dataset": f"LLM real ({model}, 1 thread)",
                "split": split,
                "metric": metric,
                "value": value,
                "target": target,
            }
        )

    with serving(threads=1) as url:
        os.environ.update(
            OPENAI_BASE_URL=url, FACTDESK_LLM_MODEL=model, FACTDESK_LLM_TIMEOUT=str(args.timeout)
        )
        os.environ.pop("OPENAI_API_KEY", None)
        service = TriageService(Settings(_env_file=None, database_url=args.cache))
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=args.timeout)
        seed_run = _run_real(service, client, model, "seed", seed)
        print(seed_run.line(), file=sys.stderr, flush=True)
        dev_runs = []
        llm_tally, offline_tally = Tally(), Tally()
        # SIGTERM (or Ctrl-C) ends the run early: the table covers the articles finished so far.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            for number, article in enumerate(dev, 1):
                run = _run_real(service, client, model, article.id, article.text)
                print(f"[{number}/{len(dev)}] {run.line()}", file=sys.stderr, flush=True)
                score_article(article, run.llm, llm_tally)
                score_article(article, run.offline, offline_tally)
                dev_runs.append(run)
        except KeyboardInterrupt:
            print(f"stopped after {len(dev_runs)} of {len(dev)} dev articles", file=sys.stderr, flush=True)

    _latency_rows([seed_run], row, "seed", args.timeout)
    llm, offline = _seed_figures(seed_run.llm), _seed_figures(seed_run.offline)
    for metric, value in llm.items():
        row(
            f"{metric} (offline)",
            f"{value} ({offline[metric]})",
            "llm >= offline" if "framing" not in metric else "0",
        )
    if dev_runs:
        _latency_rows(dev_runs, row, f"dev ({len(dev_runs)})", args.timeout)
        offline_rows = figure_rows(offline_tally, len(dev_runs), "dev", "")
        for llm_row, offline_row in zip(
            figure_rows(llm_tally, len(dev_runs), "dev", ""), offline_rows, strict=True
        ):
            row(
                f"{llm_row['metric']} (offline)",
                f"{cell(llm_row['value'])} ({cell(offline_row['value'])})",
                llm_row["target"],
                f"dev ({len(dev_runs)})",
            )
    print_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--loopback", action="store_true", help="measure pipeline overhead against tests/openai_server.py"
    )
    parser.add_argument("--latency", type=float, default=0.2, help="loopback server seconds per call")
    parser.add_argument("--repeat", type=int, default=10, help="runs per loopback row")
    parser.add_argument(
        "--concurrency", type=int, default=8, help="extra loopback row at this llm_concurrency"
    )
    parser.add_argument(
        "--price-in",
        type=float,
        default=float(os.environ.get("FACTDESK_BENCH_PRICE_IN", 0.15)),
        help="USD per 1M input tokens",
    )
    parser.add_argument(
        "--price-out",
        type=float,
        default=float(os.environ.get("FACTDESK_BENCH_PRICE_OUT", 0.60)),
        help="USD per 1M output tokens",
    )
    parser.add_argument(
        "--real", action="store_true", help="the seed and dev set through the local model server"
    )
    parser.add_argument("--seed-only", action="store_true", help="with --real: the seed, not the dev set")
    parser.add_argument("--limit", type=int, help="with --real: only the first N dev articles")
    parser.add_argument("--timeout", type=float, default=1200, help="with --real: FACTDESK_LLM_TIMEOUT")
    parser.add_argument(
        "--cache",
        default="sqlite://",
        help="with --real: database URL keeping the model's answers (a file lets a re-run re-score them)",
    )
    args = parser.parse_args()
    if args.real:
        bench_real(args)
        return
    if args.loopback:
        bench_loopback(args)
        return
    endpoint = os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY")
    if not endpoint or not Settings().llm_model:
        print(
            "skipped: no LLM endpoint configured (set OPENAI_BASE_URL and/or OPENAI_API_KEY, and FACTDESK_LLM_MODEL), "
            "or run with --loopback to measure the pipeline against the loopback server"
        )
        return
    bench_endpoint(args)


if __name__ == "__main__":
    main()
