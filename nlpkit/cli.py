"""The nlpkit command: extract, train, evaluate, bench, package, and corpus validate / label-config / import.

Exit codes: 0 success; 1 some documents were skipped under --on-error skip (or the corpus has problems);
2 usage or input errors; 3 a worker process died (--n-process) or Dask gave up on one (--engine dask);
130 interrupted (Ctrl-C or SIGTERM).
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional, Type

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, context_settings=HELP_OPTIONS,
                  rich_markup_mode=None)
corpus_app = typer.Typer(no_args_is_help=True, help="Check and inspect the gold corpus.", context_settings=HELP_OPTIONS)
app.add_typer(corpus_app, name="corpus")
err = Console(stderr=True)


def show_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"nlpkit {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True, help="print the version"),
) -> None:
    """Organisations, quantities, policy measures and sections from Chinese government work reports."""


def choices(name: str, *values: str) -> Type[Enum]:
    """A str Enum of an option's values (typer lists them in the help and refuses others)."""
    return Enum(name, {value: value for value in values}, type=str)


OutputFormat = choices("OutputFormat", "jsonl", "csv", "html", "parquet", "labelstudio")
InputFormat = choices("InputFormat", "auto", "text", "jsonl")
Engine = choices("Engine", "local", "dask")
OnError = choices("OnError", "fail", "skip")
Script = choices("Script", "s2t", "t2s")
Decoding = choices("Decoding", "strict", "replace")


def use_shared(path: Optional[Path]) -> Optional[Path]:
    """``--shared``: where stand-off texts and public data are read (also for spaCy's readers in this process)."""
    if path is not None:
        os.environ["NLPKIT_SHARED"] = str(path)
    return path


SHARED_OPTION = typer.Option(None, "--shared", metavar="DIR", callback=use_shared, envvar="NLPKIT_SHARED",
                             help="shared data folder (stand-off texts; default: shared/ beside the corpus's parent)")
CORPUS_OPTION = typer.Option(Path("corpus"), "--corpus", metavar="DIR", envvar="NLPKIT_CORPUS", help="gold corpus folder")


def fail(message: str, code: int = 2) -> None:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., metavar="PATH", help=".txt/.jsonl files, directories (recursive), globs, or - for stdin"),
    output_format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="output format"),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="PATH", help="output file (default: stdout); a folder with --engine dask"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="DIR", help="pipeline folder (default: the shipped one)"),
    on_error: OnError = typer.Option(OnError.fail, help="fail: stop, write nothing; skip: go on, exit 1"),
    errors: Decoding = typer.Option(Decoding.strict, help="undecodable bytes: refuse, or replace and report"),
    input_format: InputFormat = typer.Option(InputFormat.auto, help="stdin: one text, JSONL records, or JSONL when every line is a record"),
    engine: Engine = typer.Option(Engine.local, help="local: this machine; dask: a Dask cluster, partitioned output in a folder"),
    scheduler: Optional[str] = typer.Option(None, metavar="ADDRESS", help="dask: scheduler address (default: a local cluster)"),
    partition_mb: float = typer.Option(1.0, min=0.001, metavar="MB", help="dask: megabytes of input per partition"),
    n_process: Optional[int] = typer.Option(None, "--n-process", min=1, metavar="N", help="worker processes (default 1; dask: one per core)"),
    batch_size: int = typer.Option(16, "--batch-size", min=1, metavar="N", help="documents per batch"),
    bom: bool = typer.Option(False, "--bom", help="csv: begin with a UTF-8 BOM, so that Excel shows the Chinese"),
) -> None:
    """Extract entities and sections; one record per document (ANNOTATION.md format)."""
    if engine is Engine.dask:
        extract_on_dask(paths, output, output_format, model, on_error, errors, scheduler, n_process, partition_mb)
        return
    from . import ModelError, load
    from .io import AtomicOutput, Document, InputError, find_inputs, read_files
    from .streaming import WorkerError, process
    from .writers import BINARY_FORMATS, writer_for

    if output_format.value in BINARY_FORMATS and (output is None or output == "-"):
        fail(f"--format {output_format.value} writes a binary file: give -o FILE")
    if bom and output_format is not OutputFormat.csv:
        fail("--bom is for --format csv (a BOM would break JSON and HTML readers)")
    try:
        inputs = find_inputs(paths)
        nlp = load(model)
    except (InputError, ModelError) as error:
        fail(str(error))
    # A terminated run (kill, a batch scheduler's stop) ends like Ctrl-C: its temporary output is removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    failures: List[str] = []
    done = chars = stdin_records = 0
    started = time.perf_counter()

    def documents():
        nonlocal stdin_records
        for item in read_files(inputs.files, errors.value, input_format.value):
            if isinstance(item, Document):
                if "\ufffd" in item.text and errors is Decoding.replace:
                    err.print(f"warning: {item.source}: undecodable bytes replaced", markup=False, highlight=False)
                stdin_records += item.source.startswith("<stdin>:")
                yield item.id, item.text
            elif on_error is OnError.skip:
                failures.append(item.message)
            else:
                raise InputError(item.message)

    try:
        with AtomicOutput(output, binary=output_format.value in BINARY_FORMATS) as stream, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.fields[chars]:,} chars"),
            TextColumn("{task.fields[rate]:,.0f} chars/s"), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("extracting", chars=0, rate=0.0)

            def advance(piece_chars: int) -> None:  # per piece, so that a long document shows progress too
                nonlocal chars
                chars += piece_chars
                elapsed = progress.tasks[0].elapsed or 1e-9
                progress.update(task, description=plural(done, "document"), chars=chars, rate=chars / elapsed)

            if bom:
                stream.write("\ufeff")
            write = writer_for(output_format.value, stream)
            for record in process(nlp, documents(), batch_size=batch_size, n_process=n_process or 1,
                                  on_piece=advance):
                write(record)
                done += 1
            write.close()
    except InputError as error:
        fail(str(error))
    except ImportError as error:  # an optional writer's library (pyarrow for parquet)
        fail(f"--format {output_format.value} needs {error.name}: pip install 'nlpkit[{output_format.value}]'")
    except KeyboardInterrupt:
        fail(f"interrupted after {plural(done, 'document')}; no output file was written", 130)
    except WorkerError as error:
        fail(f"{error} after {plural(done, 'document')}; no output file was written", 3)
    for message in failures:
        err.print(f"skipped: {message}", markup=False, highlight=False)
    if stdin_records:
        err.print(f"stdin read as JSONL ({plural(stdin_records, 'record')}; --input-format text reads it as one text)",
                  markup=False, highlight=False)
    if inputs.skipped:
        err.print(inputs.summary(), markup=False, highlight=False, soft_wrap=True)
    seconds = time.perf_counter() - started
    summary = (f"{plural(done, 'document')}, {chars:,} characters extracted in {seconds:.1f} s "
               f"({chars / max(seconds, 1e-9):,.0f} chars/s)")
    err.print(summary + (f", {len(failures)} skipped" if failures else ""), markup=False, highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)


def extract_on_dask(paths: List[str], output: Optional[str], output_format: OutputFormat, model: Optional[Path],
                    on_error: OnError, errors: Decoding, scheduler: Optional[str], n_process: Optional[int],
                    partition_mb: float) -> None:
    """``extract --engine dask``: partitions on a cluster, written to the folder ``-o`` with a manifest."""
    try:
        from . import distributed
    except ImportError:
        fail("--engine dask needs Dask: pip install 'nlpkit[dask]'")
    from .io import InputError
    from .streaming import WorkerError

    if not output or output == "-":
        fail("--engine dask writes a folder of partitions: give -o DIR")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, disable=not err.is_terminal) as progress:
        task = progress.add_task("partitions", total=None)
        try:
            summary = distributed.extract(
                paths, output, scheduler=scheduler, n_workers=n_process, model=model,
                output_format=output_format.value, errors=errors.value, on_error=on_error.value,
                partition_bytes=int(partition_mb * 1_000_000),
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
                on_dashboard=lambda link: err.print(f"Dask dashboard: {link}", markup=False, highlight=False),
            )
        except InputError as error:
            fail(str(error))
        except WorkerError as error:
            fail(str(error), 3)
        except KeyboardInterrupt:
            fail(f"interrupted; the partitions done are listed in {output}/manifest.json and a rerun resumes", 130)
    for message in summary.skipped:
        err.print(f"skipped: {message}", markup=False, highlight=False)
    for where in summary.duplicate_ids:
        err.print(f"warning: duplicate id {where}", markup=False, highlight=False)
    if summary.unread:
        err.print(f"not read: {', '.join(summary.unread)}", markup=False, highlight=False, soft_wrap=True)
    rate = summary.characters / max(summary.seconds, 1e-9)
    err.print(f"{plural(summary.documents, 'document')}, {summary.characters:,} characters in "
              f"{plural(summary.partitions, 'partition')} ({summary.reused} reused from an earlier run) in "
              f"{summary.seconds:.1f} s ({rate:,.0f} chars/s) -> {output}", markup=False, highlight=False, soft_wrap=True)
    if summary.skipped:
        raise typer.Exit(1)


def plural(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@app.command(context_settings={**HELP_OPTIONS, "allow_extra_args": True, "ignore_unknown_options": True})
def train(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, metavar="CFG", help="spaCy training config (default: configs/pipeline.cfg if it "
                                          "exists, else the shipped pipeline's own)"),
    corpus: Path = CORPUS_OPTION,
    shared: Optional[Path] = SHARED_OPTION,
    output: Path = typer.Option(Path("training"), metavar="DIR", help="training output folder"),
    ship: bool = typer.Option(False, "--ship", help="also install the trained pipeline as the package's shipped pipeline"),
) -> None:
    """Validate the corpus, train (fixed seed), score the last step on the test split; config overrides as in
    spaCy: --training.max_steps 300 --paths.vectors …"""
    from spacy.cli._util import parse_config_overrides

    from . import model_path
    from .corpus import CorpusError, validate
    from .training.recipe import TrainingError, train_pipeline

    if config is None:
        config = Path("configs/pipeline.cfg")
        if not config.exists():
            config = model_path() / "config.cfg"
            err.print(f"no configs/pipeline.cfg here: training with the shipped pipeline's config ({config})",
                      markup=False, highlight=False, soft_wrap=True)
    if not config.exists():
        fail(f"{config}: no such config")
    try:
        overrides = parse_config_overrides(ctx.args)
    except SystemExit:
        fail(f"cannot read the overrides {' '.join(ctx.args)} (write them as --section.key value)")
    err.print(f"checking the corpus at {corpus}", markup=False, highlight=False)
    try:
        problems = validate(corpus)
    except CorpusError as error:
        fail(str(error))
    if problems:
        fail(f"the corpus has {plural(len(problems), 'problem')}; run `nlpkit corpus validate {corpus}`")
    try:
        scores = train_pipeline(config, corpus, output, overrides=overrides, ship=ship)
    except TrainingError as error:
        fail(str(error))
    for key, value in scores.items():
        err.print(f"{key}: {value:.3f}", markup=False, highlight=False)
    err.print(f"trained pipeline (the last step): {output / 'model-last'}" + (" (shipped)" if ship else
              "; load it with nlpkit.load(...) or --model, or retrain with --ship to make it the default"),
              markup=False, highlight=False, soft_wrap=True)


@app.command()
def evaluate(
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="DIR", help="pipeline folder (default: the shipped one)"),
    gold: Optional[Path] = typer.Option(None, metavar="PATH", help="gold records (file or folder of .jsonl; default: corpus test split)"),
    corpus: Path = CORPUS_OPTION,
    shared: Optional[Path] = SHARED_OPTION,
    list_errors: bool = typer.Option(False, "--list-errors", help="list false positives/negatives with context"),
    json_out: Optional[Path] = typer.Option(None, "--json", metavar="FILE", help="write all scores as JSON"),
    write: Optional[Path] = typer.Option(None, "--write", metavar="FILE", help="write the Markdown report (EVALUATION.md)"),
    cv: bool = typer.Option(False, "--cv", help="leave-one-report-out: retrain every fold (slow: minutes a fold)"),
    config: Path = typer.Option(Path("configs/pipeline.cfg"), metavar="CFG", help="config retrained in --cv"),
    baseline_config: Path = typer.Option(Path("configs/baseline_ner.cfg"), metavar="CFG", help="spaCy default NER config for --cv"),
    spacy_baseline: bool = typer.Option(True, help="--cv: also retrain spaCy's default NER per fold (half the time)"),
    folds: Optional[str] = typer.Option(None, metavar="IDS", help="--cv: hold out only these reports (comma-separated ids)"),
    by_issuer: bool = typer.Option(False, "--by-issuer", help="--cv: also leave out the held-out report's issuer's other reports"),
    issuer_groups: int = typer.Option(0, "--issuer-groups", min=0, metavar="K", help="--cv: leave issuers out in K groups of whole issuers, one model a group (0: off)"),
    work_dir: Path = typer.Option(Path("training/cv"), metavar="DIR", help="fold models for --cv"),
    cv_steps: int = typer.Option(0, metavar="N", help="--cv: train every system this many steps (0: as configured)"),
    ablation: List[Path] = typer.Option([], metavar="CFG", help="--cv: also retrain this pipeline config per fold (repeatable)"),
    jobs: int = typer.Option(1, min=1, metavar="N", help="--cv: folds trained at once, one process each (same figures)"),
    script: Optional[Script] = typer.Option(None, help="convert the gold texts to the other script first (robustness)"),
) -> None:
    """Score a pipeline and the baselines on held-out gold reports, side by side."""
    from . import ModelError, load
    from .corpus import CorpusError, corpus_hash, has_entities, read_records, shared_dir
    from .evaluation.baselines import baseline_systems
    from .evaluation.report import (
        domain_section, errors_by_label, figure_cell, markdown_report, recognizers_section, recognizers_specs,
        run_meta, save_json,
    )
    from .evaluation.scoring import headline
    from .evaluation.systems import convert_script, evaluate_systems, gold_records, pipeline_system

    per_fold, by_domain, predictions = None, {}, {}
    protocol = (f"leave-issuers-out in {issuer_groups} groups" if issuer_groups
                else f"leave-one-{'issuer' if by_issuer else 'report'}-out")
    try:
        if cv:
            from rich.progress import Progress

            from .evaluation.crossval import cross_validate

            with Progress(console=err) as progress:
                task = progress.add_task(protocol, total=None)
                results, per_fold, by_domain = cross_validate(
                    config, baseline_config if spacy_baseline else None, corpus, work_dir,
                    max_steps=cv_steps, ablations=ablation, jobs=jobs, only=folds.split(",") if folds else None,
                    by_issuer=by_issuer, issuer_groups=issuer_groups,
                    on_fold=lambda done, total, ids: progress.update(task, completed=done, total=total,
                                                                     description=f"fold {done}/{total} ({ids})"),
                )
            test = [r for r in read_records(corpus) if has_entities(r) and (not folds or r["id"] in folds.split(","))]
        else:
            nlp = load(model)
            test, train = gold_records(gold, corpus)
            if script:
                test = [convert_script(r, script.value) for r in test]
            baselines, notes = baseline_systems(train)
            for note in notes:
                err.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
            results, predictions = evaluate_systems(test, {"nlpkit": pipeline_system(nlp), **baselines})
    except (ModelError, CorpusError) as error:
        fail(str(error))
    from rich.table import Table

    view = Table(title=f"held-out reports: {', '.join(r['id'] for r in test)}")
    view.add_column("figure")
    for name in results:
        view.add_column(name, justify="right")
    for key in headline(next(iter(results.values()))):
        view.add_row(key, *(figure_cell(r, key) for r in results.values()))
    Console().print(view)
    if list_errors and predictions:
        for label, lines in errors_by_label(test, predictions["nlpkit"]).items():
            Console().print(f"[bold]{label}[/bold] ({len(lines)})")
            for line in lines:
                print(line)
    if json_out:
        save_json(results, json_out)
    if write:
        shared_data = shared_dir(corpus)
        meta = run_meta(corpus_hash(corpus) if corpus.exists() else None, [r["id"] for r in test], shared_data)
        meta["protocol"] = (
            f"{protocol}, every system retrained per fold ({cv_steps or 'configured'} steps)"
            if cv else "fixed test split (corpus/splits.json)"
        )
        specs = recognizers_specs(shared_data)
        sections = [domain_section(by_domain)] if by_domain else []
        if specs is not None:
            sections.append(recognizers_section(load(model), specs))
        write.write_text(markdown_report(results, meta, per_fold, sections), encoding="utf-8")


@app.command()
def bench(
    paths: List[str] = typer.Argument(None, metavar="PATH", help="texts to time: .txt/.jsonl files, directories, globs (default: seeds/)"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="DIR", help="pipeline folder (default: the shipped one)"),
    chars: int = typer.Option(1_000_000, metavar="N", help="repeat the texts to at least this many characters"),
    dask: bool = typer.Option(False, "--dask", help="also time 1 and 2 Dask workers (needs nlpkit[dask])"),
    write: Optional[Path] = typer.Option(None, "--write", metavar="FILE", help="write the Markdown report (BENCHMARK.md)"),
) -> None:
    """Speed per component and whole pipeline (1 and 2 processes, optionally Dask), load time, memory, size."""
    from . import model_path
    from .bench import bench_texts, dask_figures, markdown, run_bench
    from .io import InputError

    target = model or model_path()
    if not (target / "config.cfg").exists():
        fail(f"no trained pipeline at {target}")
    try:
        texts = bench_texts(paths or ["seeds"], chars)
    except InputError as error:
        fail(f"{error} (give .txt or .jsonl files to time)")
    progress = lambda line: err.print(line, markup=False, highlight=False)  # noqa: E731
    figures = run_bench(target, texts, report=progress)
    figures["source"] = " ".join(paths or ["seeds"])
    if dask:
        try:
            figures.update(dask_figures(target, texts, report=progress))
        except ImportError:
            fail("--dask needs Dask: pip install 'nlpkit[dask]'")
    print(markdown(figures, notes=False))
    if write:
        write.write_text(markdown(figures), encoding="utf-8")


@app.command()
def package(
    output: Path = typer.Argument(..., metavar="DIR", help="folder for the wheel"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="DIR", help="pipeline folder (default: the shipped one)"),
) -> None:
    """Build the pipeline as a spaCy model wheel, zh_nlpkit_reports: after pip install of the wheel,
    spacy.load("zh_nlpkit_reports") works wherever nlpkit is installed."""
    import shutil
    import subprocess
    import tempfile
    from importlib import resources

    from . import MODEL_NAME, __version__, model_path

    target = model or model_path()
    if not (target / "config.cfg").exists():
        fail(f"no trained pipeline at {target}")
    try:
        import build  # noqa: F401  (spaCy builds the wheel with it: pip install nlpkit[package])
    except ImportError:
        fail("building a package needs the 'build' module: pip install 'nlpkit[package]'")
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pipeline = Path(work) / "pipeline"
        shutil.copytree(target, pipeline)
        (pipeline / "LICENSE").write_text((resources.files("nlpkit") / "resources" / "LICENSE").read_text(), encoding="utf-8")
        err.print(f"building {MODEL_NAME} {__version__} from {target}", markup=False, highlight=False, soft_wrap=True)
        built = subprocess.run(
            [sys.executable, "-m", "spacy", "package", str(pipeline), work, "--name", MODEL_NAME.removeprefix("zh_"),
             "--version", __version__, "--build", "wheel", "--force"], capture_output=True, text=True)
        wheels = sorted(Path(work).glob("*/dist/*.whl"))
        if built.returncode != 0 or not wheels:
            fail(f"spacy package failed: {(built.stderr or built.stdout).strip().splitlines()[-1:]}")
        wheel = output / wheels[-1].name
        shutil.move(str(wheels[-1]), wheel)
    err.print(f"built {wheel}", markup=False, highlight=False, soft_wrap=True)


@corpus_app.command("validate")
def corpus_validate(
    path: Path = typer.Argument(Path("corpus"), metavar="DIR", envvar="NLPKIT_CORPUS", help="corpus folder"),
    shared: Optional[Path] = SHARED_OPTION,
) -> None:
    """Check every record against ANNOTATION.md; list each problem with report id, offsets and text."""
    from .corpus import CorpusError, validate

    try:
        problems = validate(path)
    except CorpusError as error:
        fail(str(error))
    for problem in problems:
        err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if problems:
        fail(f"{len(problems)} problems", 1)
    err.print("corpus is valid", markup=False, highlight=False)


@corpus_app.command("label-config")
def corpus_label_config() -> None:
    """Print the Label Studio labelling interface for nlpkit's labels (paste it under Labeling Interface → Code)."""
    from .labelstudio import label_config

    print(label_config(), end="")


@corpus_app.command("import")
def corpus_import(
    export: Path = typer.Argument(..., metavar="FILE", help="Label Studio JSON export (Export → JSON)"),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="gold JSONL to write, inside a corpus folder"),
    test: int = typer.Option(0, min=0, metavar="N", help="hold out this many of the imported reports as the test split"),
) -> None:
    """Turn a Label Studio export into gold records (validated against ANNOTATION.md); write them whole or not at all.

    With --test N, the folder's splits.json gets the last N imported reports as test (created if missing).
    """
    from .corpus import SPLITS_FILE
    from .io import AtomicOutput, InputError
    from .labelstudio import records_from_export

    try:
        tasks = json.loads(export.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"{export}: cannot read ({error.strerror})")
    except ValueError as error:
        fail(f"{export}: not a Label Studio JSON export ({error})")
    if not isinstance(tasks, list):
        fail(f"{export}: not a Label Studio JSON export (a list of tasks)")
    records, problems, unannotated = records_from_export(tasks)
    for problem in problems:
        err.print(problem, markup=False, highlight=False, soft_wrap=True)
    if problems:
        fail(f"{plural(len(problems), 'problem')}; fix them in Label Studio and export again; nothing was written", 1)
    if unannotated:
        err.print(f"left out, not annotated yet: {', '.join(unannotated)}", markup=False, highlight=False, soft_wrap=True)
    if not records:
        fail(f"{export}: no annotated task")
    try:
        with AtomicOutput(output) as stream:
            for record in records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    except InputError as error:
        fail(str(error))
    splits_path = output.parent / SPLITS_FILE
    if test or not splits_path.exists():
        split = json.loads(splits_path.read_text(encoding="utf-8")) if splits_path.exists() else {"dev": [], "test": []}
        held = [r["id"] for r in records[len(records) - test:]] if test else []
        split["test"] = list(dict.fromkeys(split["test"] + held))
        with AtomicOutput(splits_path) as stream:
            json.dump(split, stream, ensure_ascii=False, indent=1)
    err.print(f"{plural(len(records), 'report')} written to {output}"
              + (f"; {test} held out as test in {splits_path}" if test else ""), markup=False, highlight=False, soft_wrap=True)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
