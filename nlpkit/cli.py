"""The ``nlpkit`` command: extract, train, evaluate, corpus validate.

Exit codes: 0 success; 1 some documents failed under ``--on-error skip``; 2 usage or input errors.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
corpus_app = typer.Typer(no_args_is_help=True, help="Check and inspect the gold corpus.")
app.add_typer(corpus_app, name="corpus")
err = Console(stderr=True)


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class OnError(str, Enum):
    fail = "fail"
    skip = "skip"


class Decoding(str, Enum):
    strict = "strict"
    replace = "replace"


def fail(message: str, code: int = 2) -> None:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help=".txt/.jsonl files, directories (recursive), or - for stdin"),
    output_format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="output format"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="output file (default: stdout)"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="pipeline folder (default: the shipped one)"),
    on_error: OnError = typer.Option(OnError.fail, help="fail: stop, write nothing; skip: go on, exit 1"),
    errors: Decoding = typer.Option(Decoding.strict, help="undecodable bytes: refuse, or replace and report"),
    n_process: int = typer.Option(1, "--n-process", min=1, help="worker processes"),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="documents per batch"),
) -> None:
    """Extract entities and sections; one record per document (ANNOTATION.md format)."""
    from . import ModelError, load
    from .io import AtomicOutput, Document, InputError, read_inputs
    from .extract import process
    from .writers import writer_for

    try:
        nlp = load(model)
    except ModelError as error:
        fail(str(error))
    failures: List[str] = []
    done = 0

    def documents():
        for item in read_inputs(paths, errors.value):
            if isinstance(item, Document):
                if "\ufffd" in item.text and errors is Decoding.replace:
                    err.print(f"warning: {item.source}: undecodable bytes replaced", highlight=False)
                yield item.id, item.text
            elif on_error is OnError.skip:
                failures.append(item.message)
            else:
                raise InputError(item.message)

    try:
        with AtomicOutput(output) as stream:
            write = writer_for(output_format.value, stream)
            for record in process(nlp, documents(), batch_size=batch_size, n_process=n_process):
                write(record)
                done += 1
            write.close()
    except InputError as error:
        fail(str(error))
    except KeyboardInterrupt:
        fail(f"interrupted after {done} documents; no output file was written", 130)
    for message in failures:
        err.print(f"skipped: {message}", highlight=False)
    err.print(f"{done} documents extracted" + (f", {len(failures)} skipped" if failures else ""), highlight=False)
    if failures:
        raise typer.Exit(1)


@corpus_app.command("validate")
def corpus_validate(path: Optional[Path] = typer.Argument(None, help="corpus folder (default: corpus/)")) -> None:
    """Check every record against ANNOTATION.md; list each problem with report id, offsets and text."""
    from .corpus import CorpusError, validate

    try:
        problems = validate(path)
    except CorpusError as error:
        fail(str(error))
    for problem in problems:
        err.print(str(problem), highlight=False, soft_wrap=True)
    if problems:
        fail(f"{len(problems)} problems", 1)
    err.print("corpus is valid", highlight=False)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
