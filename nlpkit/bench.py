"""``nlpkit bench``: speed per component and for the whole pipeline, scaling, load time, memory, size."""
from __future__ import annotations

import cProfile
import math
from functools import partial
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

PROFILE_CHARS = 200_000
PROFILE_ENTRIES = 12
# What was changed for speed, with the figures measured at the time (the profile below shows what is left).
SPEED_CHANGES = (
    "NER encoder depth 3 → 2: NER alone 42.0k → 44–47k chars/s over three runs of this benchmark (runs differ by about ±5 %); dev F within noise (ORG 0.909 → "
    "0.896, MEASURE 0.428 → 0.449, QUANTITY 0.979 both). Parser maxout 2 → 1 was faster still (1.3 × the NER) but "
    "dev precision fell from 0.77 to 0.29, so it was not taken.",
    "sections: each distinct n-gram hashed once, a heading's n-grams built once for all sentences under it; this "
    "paid for the new block context (293k chars/s before both changes, about the same after).",
    "char_features and the sentencizer read and write token arrays instead of a Python Token per character, "
    "normalize_text is one str.translate: char_features 1.10M → 4.85M chars/s, sentencizer 1.14M → 3.38M, "
    "output identical; the whole pipeline 33.5k → 33.9k chars/s, within run-to-run noise, since the NER is about "
    "80 % of the time.",
    "lexicon ruler on spaCy's PhraseMatcher over NORM instead of one regular expression of ~3,200 names: the "
    "component 184k → 1,536k chars/s (one process, the seeds repeated), records of the seeds and of all State Council "
    "reports byte-identical.",
    "batches bounded by characters as well as by pieces: a long document no longer holds 16 pieces of NER work at "
    "once (peak +3 MB instead of +32 MB from 4k to 84k characters in 2k pieces); the whole pipeline's rate is "
    "unchanged within noise.",
    "tried and dropped: keeping the doc's text and its normalised form once per doc for the rule components "
    "(no measurable change in the whole pipeline's rate); a narrower NER (width 64 → 48 in embedding, encoder "
    "and parser): about 1.4 × faster NER, dev ents F 0.782 → 0.756 (ORG 0.923 → 0.839), not taken.",
)


def bench_texts(paths: Sequence[str], min_chars: int = 1_000_000) -> List[str]:
    """The documents of ``paths`` (files, directories, globs), repeated until there are at least ``min_chars``
    characters; documents without text are refused, since there would be nothing to time."""
    from .io import Document, InputError, find_inputs, read_files

    found = [item.text for item in read_files(find_inputs(paths).files) if isinstance(item, Document)]
    if not any(text.strip() for text in found):
        raise InputError(f"{', '.join(paths)}: no text to time")
    texts: List[str] = []
    while sum(map(len, texts)) < min_chars:
        texts.extend(found)
    return texts


def rate(chars: int, seconds: float) -> float:
    return chars / seconds if seconds else float("inf")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def load_seconds(model: Path) -> float:
    """Pipeline load time in a fresh interpreter (what a user waits for)."""
    code = "import time,sys;t=time.perf_counter();import nlpkit;nlpkit.load(sys.argv[1]);print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code, str(model)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_bench(model: Path, texts: List[str], report=print) -> Dict[str, object]:
    """All figures in one run over ``texts``; ``report`` gets a line per finished measurement (progress)."""
    import spacy

    from . import load
    from .evaluation.baselines import regex_quantity_system
    from .streaming import process

    chars = sum(map(len, texts))
    figures: Dict[str, object] = {"characters": chars, "documents": len(texts)}
    figures["load_seconds"] = load_seconds(model)
    report(f"load: {figures['load_seconds']:.2f} s")
    nlp = load(model)
    components: Dict[str, float] = {}
    start = time.perf_counter()
    docs = [nlp.tokenizer(text) for text in texts]
    components["tokenizer"] = time.perf_counter() - start
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        docs = [proc(doc) for doc in docs]
        components[name] = time.perf_counter() - start
        report(f"{name}: {rate(chars, components[name]):,.0f} chars/s")
    del docs
    figures["components_chars_per_s"] = {k: rate(chars, v) for k, v in components.items()}
    documents = [(str(i), text) for i, text in enumerate(texts)]  # the path `nlpkit extract` takes
    one = timed(lambda: [None for _ in process(nlp, documents, batch_size=16)])
    figures["pipeline_chars_per_s"] = rate(chars, one)
    report(f"pipeline, 1 process: {figures['pipeline_chars_per_s']:,.0f} chars/s")
    two = timed(lambda: [None for _ in process(nlp, documents, batch_size=16, n_process=2)])
    figures["pipeline_2proc_chars_per_s"] = rate(chars, two)
    figures["scaling_2proc"] = one / two
    report(f"pipeline, 2 processes: {figures['pipeline_2proc_chars_per_s']:,.0f} chars/s")
    records = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    figures["regex_quantities_chars_per_s"] = rate(chars, timed(lambda: regex_quantity_system(records)))
    blank = spacy.blank("zh")
    figures["spacy_char_tokenizer_chars_per_s"] = rate(chars, timed(lambda: [blank.make_doc(t) for t in texts]))
    try:
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(60)
        jieba.initialize()
        figures["jieba_cut_chars_per_s"] = rate(chars, timed(lambda: [list(jieba.cut(t)) for t in texts]))
        sample = texts[: max(1, len(texts) // 10)]
        figures["jieba_posseg_chars_per_s"] = rate(sum(map(len, sample)), timed(lambda: [list(pseg.cut(t)) for t in sample]))
        report(f"jieba.cut: {figures['jieba_cut_chars_per_s']:,.0f} chars/s")
    except ImportError:
        report("jieba not installed (pip install nlpkit[baselines]): its figures are left out")
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Last: the profiler's own bookkeeping would count in the peak RSS (it roughly doubles it).
    figures["profile"] = profile_top(lambda: [None for _ in process(nlp, profile_sample(documents), batch_size=16)])
    figures["model_mb"] = directory_mb(model)
    figures["machine"] = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, spaCy {spacy.__version__}"
    return figures


REPORTS_TO_SIZE = 1_000_000
SIZING_CHARS_PER_REPORT = (6_000, 16_000)  # a bureau's summary (the seeds) and a local government's work report
OVERHEAD_TASKS = 60


def dask_figures(model: Path, texts: List[str], report=print) -> Dict[str, float]:
    """Characters a second through ``nlpkit.distributed`` on LocalClusters of 1 and 2 workers (cluster start and
    pipeline load excluded: a warm-up run goes first), and the time a task costs beyond its text."""
    import json
    import logging
    import tempfile

    from distributed import LocalCluster

    from . import distributed

    figures: Dict[str, float] = {}
    chars = sum(map(len, texts))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.jsonl"
        source.write_text("".join(json.dumps({"id": str(n), "text": t}, ensure_ascii=False) + "\n"
                                  for n, t in enumerate(texts)), encoding="utf-8")
        tiny = Path(tmp) / "tiny.jsonl"
        tiny.write_text("".join(json.dumps({"id": str(n), "text": "开展检查3次。"}, ensure_ascii=False) + "\n"
                                for n in range(OVERHEAD_TASKS)), encoding="utf-8")
        partition_bytes = max(1, source.stat().st_size // 16)
        for workers in (1, 2):
            with distributed.environment_restored(), LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.ERROR,
            ) as cluster:
                def run(paths: List[str], out: str, size: int, address: str = cluster.scheduler_address) -> None:
                    distributed.extract(paths, Path(tmp) / out, scheduler=address, model=model, partition_bytes=size)

                run([str(tiny)], f"warm{workers}", 10**9)
                seconds = timed(partial(run, [str(source)], f"out{workers}", partition_bytes))
                figures[f"dask_{workers}_chars_per_s"] = rate(chars, seconds)
                report(f"Dask, {workers} worker{'s' if workers > 1 else ''}: {rate(chars, seconds):,.0f} chars/s")
                if workers == 1:  # one task per tiny document, one after another: what a task costs on its own
                    tasks = timed(partial(run, [str(tiny)], "overhead", 1))
                    figures["dask_task_overhead_ms"] = 1000 * tasks / OVERHEAD_TASKS
                    report(f"Dask, cost of a task: {figures['dask_task_overhead_ms']:.0f} ms")
    return figures


def sizing_rows(chars_per_s_per_worker: float) -> List[str]:
    """Markdown rows: characters, core-hours and workers for a one-day run, for ``REPORTS_TO_SIZE`` reports."""
    rows = []
    for per_report in SIZING_CHARS_PER_REPORT:
        total = REPORTS_TO_SIZE * per_report
        core_hours = total / chars_per_s_per_worker / 3600
        rows.append(f"| {REPORTS_TO_SIZE:,} reports × {per_report:,} characters | {total:,.0f} | "
                    f"{core_hours:,.0f} | {math.ceil(core_hours / 24):,} |")
    return rows


def profile_sample(documents: List, chars: int = PROFILE_CHARS) -> List:
    """The first documents that add up to ``chars`` characters (the profiler slows what it measures)."""
    sample, total = [], 0
    for doc in documents:
        if total >= chars:
            break
        sample.append(doc)
        total += len(doc[1])
    return sample


def profile_top(fn: Callable[[], object], entries: int = PROFILE_ENTRIES) -> List[Dict[str, object]]:
    """cProfile of ``fn``: the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:entries]
    return [
        {"function": f"{Path(file).name}:{line}({name})", "calls": calls, "own_s": own, "cumulative_s": cumulative}
        for (file, line, name), (_, calls, own, cumulative, _) in rows
    ]


def markdown(figures: Dict[str, object], notes: bool = True) -> str:
    """BENCHMARK.md (``notes``: with the record of what was changed for speed)."""
    comps = figures["components_chars_per_s"]
    p1 = figures["pipeline_chars_per_s"]
    lines = [
        "# nlpkit benchmark",
        "",
        "Written by `nlpkit bench --write BENCHMARK.md`; do not edit by hand.",
        "",
        f"- machine: {figures['machine']}",
        f"- text: {figures['characters']:,} characters in {figures['documents']} documents ({figures['source']}, "
        "repeated)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| whole pipeline, 1 process | {p1:,.0f} chars/s |",
        f"| whole pipeline, n_process=2 | {figures['pipeline_2proc_chars_per_s']:,.0f} chars/s ({figures['scaling_2proc']:.2f} ×) |",
        f"| pipeline load (fresh interpreter) | {figures['load_seconds']:.2f} s |",
        f"| peak RSS | {figures['peak_rss_mb']:.0f} MB |",
        f"| model size on disk | {figures['model_mb']:.1f} MB |",
    ]
    for key, label in (("jieba_cut_chars_per_s", "jieba.cut"), ("jieba_posseg_chars_per_s", "jieba.posseg (HMM)"),
                       ("regex_quantities_chars_per_s", "regex quantity baseline"),
                       ("spacy_char_tokenizer_chars_per_s", "spaCy char tokenizer alone")):
        if key in figures:
            lines.append(f"| {label} | {figures[key]:,.0f} chars/s (pipeline = {p1 / figures[key]:.2f} × this) |")
    lines += ["", "Per component (1 process, each over the whole text):", "", "| component | chars/s |", "|---|---|"]
    lines += [f"| {name} | {value:,.0f} |" for name, value in comps.items()]
    lines += ["", f"Profile (cProfile, 1 process, the first {PROFILE_CHARS:,} characters; most own time first):", "",
              "| function | calls | own s | cumulative s |", "|---|---|---|---|"]
    lines += [f"| `{row['function']}` | {row['calls']:,} | {row['own_s']:.2f} | {row['cumulative_s']:.2f} |"
              for row in figures["profile"]]  # type: ignore[union-attr]
    if "dask_2_chars_per_s" in figures:
        lines += dask_markdown(figures)
    if notes:
        lines += ["", "Changes made for speed:", ""] + [f"- {change}" for change in SPEED_CHANGES]
    return "\n".join(lines) + "\n"


def dask_markdown(figures: Dict[str, object]) -> List[str]:
    """The Dask section: scaling beside ``--n-process 2``, the cost of a task, and the sizing table."""
    one, two = figures["dask_1_chars_per_s"], figures["dask_2_chars_per_s"]
    per_worker = two / 2  # type: ignore[operator]
    lines = [
        "", "On Dask (`nlpkit bench --dask`: `nlpkit.distributed.extract` on a LocalCluster, the same text as a JSONL "
        "file cut into 16 partitions; cluster start and pipeline load not counted):", "",
        "| engine | chars/s | × 1 worker |", "|---|---|---|",
        f"| Dask, 1 worker | {one:,.0f} | 1.00 |",
        f"| Dask, 2 workers | {two:,.0f} | {two / one:.2f} |",  # type: ignore[operator]
        f"| one machine, `--n-process 2` | {figures['pipeline_2proc_chars_per_s']:,.0f} | "
        f"{figures['pipeline_2proc_chars_per_s'] / one:.2f} |",  # type: ignore[operator]
        "", f"A task costs about {figures['dask_task_overhead_ms']:.0f} ms beyond its text (scheduling, reading, "
        f"writing its partition and the manifest; {OVERHEAD_TASKS} one-sentence partitions on 1 worker), so partitions "
        f"of the default 1 MB (about 330,000 characters, some {330_000 / per_worker:.0f} s of work) lose well under "
        "1 % to it.", "",
        f"Sizing at the measured {per_worker:,.0f} characters a second per worker (2-worker run):", "",
        "| archive | characters | core-hours | workers for a one-day run |", "|---|---|---|---|",
        *sizing_rows(per_worker),
    ]
    return lines
