"""Mine stage: many speech files, mined in worker processes when there are enough of them.

Each file is mined on its own (``mine_file`` is a function of the file alone), so the results do not
depend on how the files are shared out: they come back in the order given, the same as one process
gives them. Only what the callers keep travels back (entries, skeleton, counts, the lines cleaning
took away), not the parsed speech. At most a few chunks are in flight, so results waiting to be
taken stay few whatever the corpus's size.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, cast

from drafter.errors import UserError
from drafter.models import Entry, Skeleton, SourceLine

if TYPE_CHECKING:  # (imported when workers are used: 20 ms that one process does not need)
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

FilePath = str | Path  # (a large corpus's files are held as names: a Path takes four times the memory)
MAX_JOBS = 4  # by default at most this many: each worker holds caches of its own; the merge is one process
PARALLEL_FROM_FILES = 8  # fewer files are mined in this process (starting workers costs more)
PARALLEL_FROM_BYTES = 256 * 1024  # likewise for less text than this
CHUNK_BYTES = 128 * 1024  # files are sent to a worker in chunks of about this much text
IN_FLIGHT = 4  # chunks per worker sent ahead of the one whose results are being taken


@dataclass(frozen=True)
class MinedFile:
    """What the miner's callers keep of one mined speech."""

    path: Path
    entries: tuple[Entry, ...]
    skeleton: Skeleton
    parts: int  # the speech's main parts found
    skipped: int  # units left out (place names, people, local rankings ...)
    removed: tuple[SourceLine, ...]  # lines cleaning took away


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def choose_jobs(paths: Sequence[FilePath], jobs: int | None = None) -> int:
    """How many processes mine ``paths``: ``jobs`` when given (1: this process alone), else one per CPU
    (at most MAX_JOBS) for a corpus large enough to pay for starting them."""
    if jobs is not None:
        return max(1, jobs)
    if len(paths) < PARALLEL_FROM_FILES:
        return 1
    total = 0
    for path in paths:
        try:
            total += Path(path).stat().st_size
        except OSError:
            continue  # reading it will say what is wrong
        if total >= PARALLEL_FROM_BYTES:
            return min(available_cpus(), MAX_JOBS, len(paths))
    return 1


def mine_one(name: FilePath) -> MinedFile | UserError:
    """One file mined, or the UserError that says why it could not be (other errors are bugs: raised)."""
    from drafter.mine.candidates import mine_file

    path = Path(name)
    try:
        speech = mine_file(path)
    except UserError as error:
        return error
    return MinedFile(
        path=path,
        entries=speech.entries,
        skeleton=speech.skeleton,
        parts=len(speech.speech.parts),
        skipped=len(speech.skipped),
        removed=speech.source.removed,
    )


def mine_files(
    paths: Sequence[FilePath], *, jobs: int | None = None, notice: Callable[[str], object] | None = None
) -> Iterator[MinedFile | UserError]:
    """Each file's MinedFile or UserError, in the order of ``paths``; mined by ``choose_jobs`` processes.
    When a worker dies, the files not yet mined are mined in this process (``notice`` is told why).

    The workers start here, before the caller iterates (a progress bar's thread then starts after
    them: no process is forked from a process with threads)."""
    workers = min(choose_jobs(paths, jobs), len(paths) - 1)  # (the first file is mined here)
    if workers <= 1:
        return map(mine_one, paths)
    from concurrent.futures import ProcessPoolExecutor

    # The first file is mined here: its imports, compiled patterns and caches are then the workers' too
    # (forked), instead of each worker making them again.
    first = mine_one(paths[0])
    chunks = iter(_chunks(paths[1:], workers))
    pending: deque[tuple[list[FilePath], Future[list[MinedFile | UserError]]]] = deque()
    try:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_start_worker)
    except (OSError, NotImplementedError, ImportError):  # no semaphores here (some sandboxes): one process
        return chain([first], map(mine_one, paths[1:]))
    # The first submit forks the workers. Objects made so far stay frozen while they mine, so that no
    # garbage collection, theirs or this process's, writes to them: their pages stay shared (64 MB of
    # speeches: 70 → 65 MB for all processes). They are unfrozen when the mining ends.
    gc.freeze()
    try:
        for chunk in chunks:
            pending.append((chunk, executor.submit(_mine_chunk, chunk)))
            if len(pending) >= workers * IN_FLIGHT:
                break
    except (OSError, NotImplementedError, ImportError):  # no processes here (a sandbox): this one alone
        gc.unfreeze()
        executor.shutdown(wait=True, cancel_futures=True)
        return chain([first], map(mine_one, paths[1:]))
    except BaseException:
        gc.unfreeze()
        raise
    results = _in_order(executor, chunks, pending, notice)
    next(results)  # started: however it ends (taken whole, closed, let go), the workers stop, objects thaw
    return chain([first], cast("Iterator[MinedFile | UserError]", results))


def _in_order(
    executor: ProcessPoolExecutor,
    chunks: Iterator[list[FilePath]],
    pending: deque[tuple[list[FilePath], Future[list[MinedFile | UserError]]]],
    notice: Callable[[str], object] | None,
) -> Iterator[MinedFile | UserError | None]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield None  # (taken by mine_files, so that the finally below runs whenever this is let go)
        while pending:
            chunk, future = pending.popleft()
            next_chunk = next(chunks, None)
            if next_chunk is not None:  # keep the workers busy while this chunk's results are taken
                pending.append((next_chunk, executor.submit(_mine_chunk, next_chunk)))
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died (out of memory, killed) or none could start (a platform that cannot
                # start them as this one does): this chunk and all after it are mined here.
                if notice is not None:
                    notice("挖掘讲话稿的子进程意外退出，其余讲话稿改在一个进程里挖掘。")
                rest = [chunk, *(waiting for waiting, _ in pending), *chunks]
                pending.clear()
                yield from map(mine_one, chain.from_iterable(rest))
                return
            yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _chunks(paths: Sequence[FilePath], workers: int) -> list[list[FilePath]]:
    """Consecutive files, about CHUNK_BYTES of text each (smaller when there are few, so that every worker
    has some)."""
    sizes = []
    for path in paths:
        try:
            sizes.append(Path(path).stat().st_size)
        except OSError:
            sizes.append(0)
    target = min(CHUNK_BYTES, max(sum(sizes) // (workers * IN_FLIGHT), 1))
    chunks: list[list[FilePath]] = []
    chunk: list[FilePath] = []
    held = 0
    for path, size in zip(paths, sizes, strict=True):
        chunk.append(path)
        held += size
        if held >= target:
            chunks.append(chunk)
            chunk, held = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _context() -> BaseContext:
    """The platform's way of starting processes, but never forking a process that runs threads (a
    forked child may inherit a lock another thread holds): then fresh ones."""
    import multiprocessing
    import threading

    method = multiprocessing.get_start_method(allow_none=False)
    if method == "fork" and threading.active_count() > 1:
        method = "spawn"
    return multiprocessing.get_context(method)


_busy = False  # (in a worker) mining a chunk


def _mine_chunk(paths: list[FilePath]) -> list[MinedFile | UserError]:
    global _busy
    _busy = True
    try:
        return [mine_one(path) for path in paths]
    finally:
        _busy = False


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C reaches the whole process group. A worker mining stops at once (the main process, also
    interrupted, stops the rest); one waiting for work leaves quietly (SystemExit prints no traceback,
    as the KeyboardInterrupt would)."""
    if _busy:
        raise KeyboardInterrupt
    raise SystemExit(130)


def _start_worker() -> None:
    """A worker takes compiled patterns from the user cache as the main process does (a forked one
    already has them); it takes Ctrl-C as ``_interrupted`` says."""
    import signal

    from drafter.rx import keep_compiled_patterns, speed_up_charsets

    signal.signal(signal.SIGINT, _interrupted)
    speed_up_charsets()
    keep_compiled_patterns(at_exit=False)
