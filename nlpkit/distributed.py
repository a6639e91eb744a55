"""Extraction on a Dask cluster: the inputs cut into partitions, each run on a worker and written whole, with a
manifest of what is done so that a rerun resumes and an unfinished run never looks complete.

>>> from nlpkit import distributed
>>> summary = distributed.extract(["reports/"], "out/")                  # a LocalCluster, one worker per core
>>> summary = distributed.extract(["reports/*.jsonl"], "out/", scheduler="tcp://10.0.0.5:8786")

The pipeline is loaded once per worker (a worker plugin); tasks carry only file names and byte ranges. Partition
``part-NNNNN`` holds the records of its inputs in input order, so the partitions read in order are the records
``nlpkit extract`` writes on one machine.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from distributed import WorkerPlugin

from . import __version__, as_document, load
from .io import (
    AtomicOutput, Document, Failure, InputError, find_inputs, read_jsonl, read_text_file, without_repeated_ids,
)
from .streaming import WorkerError, process
from .writers import BINARY_FORMATS, writer_for

MANIFEST = "manifest.json"
DEFAULT_PARTITION_BYTES = 1_000_000  # about 330,000 Chinese characters: 10-20 s of one worker
OUTPUT_FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True)
class Slice:
    """Part of one input file: a whole ``.txt``, or the lines of a JSONL file between two byte offsets."""

    path: str
    start: int = 0
    end: Optional[int] = None
    first_line: int = 1

    def describe(self) -> str:
        return self.path if self.end is None and self.start == 0 else f"{self.path}:{self.first_line}+"


@dataclass
class Summary:
    """What a run did: partitions run now and reused from an earlier run, documents, characters, skipped inputs."""

    output_dir: str
    partitions: int = 0
    reused: int = 0
    documents: int = 0
    characters: int = 0
    seconds: float = 0.0
    skipped: List[str] = field(default_factory=list)  # documents that could not be read (--on-error skip)
    unread: List[str] = field(default_factory=list)  # files in the input directories that are not .txt/.jsonl
    duplicate_ids: List[str] = field(default_factory=list)
    dashboard: Optional[str] = None


def plan(paths: Sequence[str], partition_bytes: int = DEFAULT_PARTITION_BYTES) -> Tuple[List[List[Slice]], List[str]]:
    """The partitions of the inputs (files, directories, globs) and the files of directories left unread.

    Small files are grouped up to ``partition_bytes``; a JSONL file larger than that is cut at line starts.
    """
    if "-" in paths:
        raise InputError("-: Dask workers cannot read stdin; give files")
    inputs = find_inputs(paths)
    partitions: List[List[Slice]] = []
    current: List[Slice] = []
    size = 0
    for path in inputs.files:
        pieces = _jsonl_slices(path, partition_bytes) if path.lower().endswith(".jsonl") else \
            [(Slice(path), os.path.getsize(path))]
        for piece, nbytes in pieces:
            if current and size + nbytes > partition_bytes:
                partitions.append(current)
                current, size = [], 0
            current.append(piece)
            size += nbytes
    if current:
        partitions.append(current)
    return partitions, [f"{p} ({why})" for p, why in inputs.skipped]


def _jsonl_slices(path: str, partition_bytes: int) -> List[Tuple[Slice, int]]:
    """Line-aligned byte ranges of a JSONL file, each at most about ``partition_bytes``."""
    slices: List[Tuple[Slice, int]] = []
    start = position = 0
    first_line = 1
    with open(path, "rb") as handle:
        for n, line in enumerate(handle, 1):
            position += len(line)
            if position - start >= partition_bytes:
                slices.append((Slice(path, start, position, first_line), position - start))
                start, first_line = position, n + 1
    if position > start or not slices:
        slices.append((Slice(path, start, None, first_line), position - start))
    return slices


@lru_cache(maxsize=2)
def worker_pipeline(model: Optional[str]):
    """The pipeline of this worker process, loaded on first use and kept (tasks name it, they do not carry it)."""
    return load(model)


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline when a worker starts, so that the first task does not pay for it."""

    name = "nlpkit-pipeline"

    def __init__(self, model: Optional[str]) -> None:
        self.model = model

    def setup(self, worker) -> None:
        worker_pipeline(self.model)


def run_partition(name: str, source: Union[List[Slice], list], output_dir: str, output_format: str,
                  model: Optional[str], errors: str, on_error: str) -> dict:
    """Run one partition on a worker and write ``<name>.<format>`` whole; return what it held.

    ``source`` is a list of slices of files, or the items of a bag partition (texts, ``(id, text)`` pairs or
    ``{"id", "text"}`` records). Under ``on_error="fail"`` a bad document raises ``InputError``.
    """
    skipped: List[str] = []
    ids: List[str] = []
    chars = 0

    def documents() -> Iterator[Tuple[str, str]]:
        for item in _documents_of(name, source, errors):
            if isinstance(item, Document):
                yield item.id, item.text
            elif on_error == "skip":
                skipped.append(item.message)
            else:
                raise InputError(item.message)

    target = Path(output_dir) / f"{name}.{output_format}"
    with AtomicOutput(target, binary=output_format in BINARY_FORMATS) as stream:
        write = writer_for(output_format, stream)
        for record in process(worker_pipeline(model), documents()):
            write(record)
            ids.append(record["id"])
            chars += len(record["text"])
        write.close()
    return {"documents": len(ids), "characters": chars, "skipped": skipped, "ids": ids}


def _documents_of(name: str, source: list, errors: str) -> Iterator[Union[Document, Failure]]:
    """The documents of a partition, with ids unique within it (a repeated id is a failure, as on one machine)."""
    return without_repeated_ids(_partition_items(name, source, errors))


def _partition_items(name: str, source: list, errors: str) -> Iterator[Union[Document, Failure]]:
    for n, item in enumerate(source):
        if isinstance(item, Slice):
            if item.path.lower().endswith(".jsonl"):
                yield from read_jsonl(item.path, errors, item.start, item.end, item.first_line)
            else:
                yield read_text_file(item.path, errors)
        else:
            try:
                yield Document(*as_document(n, item, prefix=name), f"{name}[{n}]")
            except TypeError as error:
                yield Failure(f"{name}[{n}]", str(error))


def extract(
    inputs,
    output_dir: Union[str, Path],
    *,
    scheduler: Optional[str] = None,
    n_workers: Optional[int] = None,
    model: Optional[Union[str, Path]] = None,
    output_format: str = "jsonl",
    errors: str = "strict",
    on_error: str = "fail",
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    on_progress: Optional[Callable[[int, int], None]] = None,
    on_dashboard: Optional[Callable[[str], None]] = None,
) -> Summary:
    """Extract records from ``inputs`` (paths, directories and globs, or a ``dask.bag.Bag`` of documents) on a
    Dask cluster into ``output_dir``: one ``part-NNNNN`` file per partition and ``manifest.json``.

    Without ``scheduler`` a ``distributed.LocalCluster`` is started with ``n_workers`` processes (default: one per
    core). A rerun with the same inputs, model and format reuses the partitions the manifest lists as done. A
    worker that dies has its tasks rescheduled by Dask; one that keeps dying (``KilledWorker``) raises
    ``WorkerError``; a bad document under ``on_error="fail"`` raises ``InputError``. In both cases the manifest
    says the run is incomplete.
    """
    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"--format {output_format}: Dask output is one of {', '.join(OUTPUT_FORMATS)}")
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory (Dask output is a folder of partitions)")
    model_name = str(Path(model).resolve()) if model is not None else None
    settings = {"nlpkit": __version__, "model": model_name or "shipped", "format": output_format, "errors": errors}
    summary = Summary(str(out))
    is_bag = hasattr(inputs, "to_delayed")
    if is_bag:
        sources: list = inputs.to_delayed()
        keys = [f"{inputs.name}-{n}" for n in range(len(sources))]
    else:
        sources, summary.unread = plan(list(inputs), partition_bytes)
        keys = [json.dumps([_fingerprint(s) for s in partition]) for partition in sources]
    names = [f"part-{n:05d}" for n in range(len(sources))]
    entries = [{"name": name, "key": _digest(key, settings), "done": False} for name, key in zip(names, keys)]
    if not is_bag:
        for entry, partition in zip(entries, sources):
            entry["inputs"] = [s.describe() for s in partition]
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out)
    for entry in entries:
        before = previous.get(entry["name"])
        if before and before.get("key") == entry["key"] and before.get("done") and \
                (out / f"{entry['name']}.{output_format}").exists():
            entry.update(before)
            summary.reused += 1
    _remove_stale_parts(out, set(names))
    manifest = {**settings, "complete": False, "partitions": entries}
    _write_manifest(out, manifest)
    summary.partitions = len(entries)
    started = time.perf_counter()
    todo = [n for n, entry in enumerate(entries) if not entry["done"]]
    if todo:
        with _client(scheduler, n_workers) as client:
            summary.dashboard = client.dashboard_link
            if on_dashboard:
                on_dashboard(client.dashboard_link)
            client.register_plugin(PipelinePlugin(model_name))
            _run(client, todo, sources, names, entries, manifest, out,
                 (str(out), output_format, model_name, errors, on_error), is_bag, summary, on_progress)
    _remove_stale_parts(out, set(names))
    manifest["complete"] = True
    _write_manifest(out, manifest)
    summary.seconds = time.perf_counter() - started
    for entry in entries:
        summary.documents += entry.get("documents", 0)
        summary.characters += entry.get("characters", 0)
        summary.skipped.extend(entry.get("skipped", []))
    return summary


def _run(client, todo: List[int], sources: list, names: List[str], entries: List[dict], manifest: dict, out: Path,
         arguments: tuple, is_bag: bool, summary: Summary, on_progress) -> None:
    """Submit the partitions still to do, record each in the manifest as it finishes, stop cleanly on a failure."""
    from dask import delayed
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    if is_bag:
        futures = client.compute([delayed(run_partition)(names[n], sources[n], *arguments) for n in todo])
    else:
        futures = [client.submit(run_partition, names[n], sources[n], *arguments,
                                 key=f"nlpkit-{entries[n]['key']}") for n in todo]
    number = {future.key: n for future, n in zip(futures, todo)}
    seen_ids: Dict[str, str] = {}
    done = len(entries) - len(todo)
    if on_progress:
        on_progress(done, len(entries))
    try:
        for future in as_completed(futures):
            result = future.result()
            n = number[future.key]
            for doc_id in result.pop("ids"):
                if doc_id in seen_ids:
                    summary.duplicate_ids.append(f"{doc_id!r} in {seen_ids[doc_id]} and {names[n]}")
                seen_ids.setdefault(doc_id, names[n])
            entries[n].update(result, done=True)
            _write_manifest(out, manifest)
            done += 1
            if on_progress:
                on_progress(done, len(entries))
    except KilledWorker as error:
        client.cancel(futures)
        raise WorkerError(f"Dask gave up on a partition whose workers kept dying ({error}); "
                          f"{done} of {len(entries)} partitions are done and a rerun resumes") from None
    except BaseException:  # a bad document, an interrupt: the finished partitions stay, listed as done
        client.cancel(futures)
        raise


@contextmanager
def _client(scheduler: Optional[str], n_workers: Optional[int]):
    """A client of the cluster at ``scheduler``, or of a LocalCluster of one single-threaded process per core."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({error})") from None
        with client:
            yield client
        return
    with environment_restored(), LocalCluster(
        n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster, Client(cluster) as client:
        yield client


@contextmanager
def environment_restored():
    """Give this process its environment back after a LocalCluster: distributed sets its workers' variables
    (MALLOC_TRIM_THRESHOLD_=65536, OMP_NUM_THREADS=1, PYTHONHASHSEED…) in the parent's os.environ and leaves them
    there, where they slow down or change whatever the caller starts next (a subprocess ran 3× slower)."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _fingerprint(piece: Slice) -> list:
    """A slice and the state of its file: a changed file makes its partition run again."""
    stat = os.stat(piece.path)
    return [os.path.abspath(piece.path), piece.start, piece.end, stat.st_size, stat.st_mtime_ns]


def _digest(key: str, settings: dict) -> str:
    return hashlib.sha1(json.dumps([key, settings], sort_keys=True).encode()).hexdigest()[:16]


def _read_manifest(out: Path) -> Dict[str, dict]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        return {entry["name"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))["partitions"]}
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{path}: not an nlpkit manifest; give an empty or new output folder") from None


def _write_manifest(out: Path, manifest: dict) -> None:
    with AtomicOutput(out / MANIFEST) as stream:
        json.dump(manifest, stream, ensure_ascii=False, indent=1)


def _remove_stale_parts(out: Path, names: set) -> None:
    """Partitions of an earlier, different plan would be read as part of this run's output; the temporary file
    of a worker killed while writing is left behind by it."""
    for path in [*out.glob("part-*"), *out.glob(".part-*.part")]:
        if path.name.startswith(".") or path.name.split(".")[0] not in names:
            path.unlink(missing_ok=True)

