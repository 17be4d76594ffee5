"""Mining many files in worker processes gives what one process gives: the same results in the same
order, bad files reported in their place, the same bank byte for byte; the CLI's --jobs; a worker
that dies is a clear error, not a hang or a traceback."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.errors import UserError
from drafter.mine import batch
from drafter.mine.batch import MinedFile, choose_jobs, mine_files

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
FORKS = multiprocessing.get_start_method(allow_none=False) == "fork"


def _corpus(folder: Path) -> list[Path]:
    """The seeds, a shortened copy of each, and two files that cannot be read, in the order mined."""
    folder.mkdir()
    paths = []
    for n, seed in enumerate(SEEDS):
        lines = seed.read_text(encoding="utf-8").splitlines()
        (folder / f"{n}a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / f"{n}b.txt").write_text("\n".join(lines[::3] + lines[1::3]) + "\n", encoding="utf-8")
        paths += [folder / f"{n}a.txt", folder / f"{n}b.txt"]
    (folder / "2c.docx").write_bytes(b"PK\x03\x04 not a real Word file")
    (folder / "3c.pdf").write_bytes(b"%PDF-1.4")
    paths[5:5] = [folder / "2c.docx"]
    paths[8:8] = [folder / "3c.pdf"]
    return paths


def _plain(result: MinedFile | UserError) -> object:
    if isinstance(result, UserError):
        return (type(result).__name__, str(result), result.hint)
    return result


def test_workers_give_what_one_process_gives(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus")
    one = [_plain(r) for r in mine_files(paths, jobs=1)]
    two = [_plain(r) for r in mine_files(paths, jobs=2)]
    assert two == one
    assert [r.path if isinstance(r, MinedFile) else None for r in mine_files(paths, jobs=3)] == [
        p if p.suffix == ".txt" else None for p in paths
    ]
    errors = [r for r in one if isinstance(r, tuple)]
    assert [e[0] for e in errors] == ["SourceError", "SourceError"]
    assert "2c.docx" in errors[0][1] and "3c.pdf" in errors[1][1]
    mined = [r for r in one if isinstance(r, MinedFile)]
    assert all(r.entries and r.parts >= 3 for r in mined)


@pytest.mark.skipif(not FORKS, reason="the freeze is for forked workers")
def test_objects_are_frozen_only_while_the_workers_mine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers are forked with this process's objects frozen, and they stay frozen while the workers
    mine (no collection, there or here, then writes to their pages, which stay shared); once the mining
    ends, is stopped early or is let go without being read, nothing stays frozen."""
    import gc
    from concurrent.futures import ProcessPoolExecutor

    paths = _corpus(tmp_path / "corpus")
    frozen_at_submit: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def submit(self: ProcessPoolExecutor, *args: object, **kwargs: object) -> object:
        frozen_at_submit.append(gc.get_freeze_count())
        return real_submit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    assert gc.get_freeze_count() == 0
    results = mine_files(paths, jobs=2)
    assert frozen_at_submit and frozen_at_submit[0] > 1000
    assert gc.get_freeze_count() > 1000  # while the workers mine
    assert len(list(results)) == len(paths)
    assert gc.get_freeze_count() == 0
    for taken in (1, 0):  # stopped after one speech; never read at all
        results = mine_files(paths, jobs=2)
        for _ in range(taken):
            next(results)
        assert gc.get_freeze_count() > 0
        del results
        assert gc.get_freeze_count() == 0


def test_fresh_worker_processes_give_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers started afresh, as on Windows and macOS (and here when a thread runs): each imports drafter
    and takes the compiled patterns from the user cache itself."""
    paths = _corpus(tmp_path / "corpus")
    monkeypatch.setattr(batch, "_context", lambda: multiprocessing.get_context("spawn"))
    assert [_plain(r) for r in mine_files(paths, jobs=2)] == [_plain(r) for r in mine_files(paths, jobs=1)]


def test_a_process_with_threads_is_not_forked() -> None:
    import threading

    if threading.active_count() == 1:  # (another test may have left a thread running)
        assert batch._context().get_start_method() == multiprocessing.get_start_method(allow_none=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert batch._context().get_start_method() == (
            "spawn" if FORKS else multiprocessing.get_start_method()
        )
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not FORKS, reason="the spy reaches the workers only when they are forked")
def test_the_work_is_done_in_other_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path / "corpus")
    spy = tmp_path / "pids"
    real = batch.mine_one

    def mine_one(path: batch.FilePath) -> MinedFile | UserError:
        with spy.open("a", encoding="ascii") as f:
            f.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(batch, "mine_one", mine_one)
    assert len(list(mine_files(paths, jobs=2))) == len(paths)
    pids = spy.read_text(encoding="ascii").split()
    # the first here (what it compiles and caches the workers then hold), the others by two workers
    assert len(pids) == len(paths) and pids[0] == str(os.getpid())
    assert len(set(pids[1:])) == 2 and str(os.getpid()) not in pids[1:]


@pytest.mark.skipif(not FORKS, reason="the failing stand-in reaches the workers only when they are forked")
def test_a_worker_that_dies_leaves_its_files_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-way (as the kernel's OOM killer would): its files and all after them are mined
    here, the results the same and in order, and the caller is told."""
    paths = _corpus(tmp_path / "corpus")
    expected = [_plain(r) for r in mine_files(paths, jobs=1)]
    real, main = batch.mine_one, os.getpid()

    def mine_one(path: batch.FilePath) -> MinedFile | UserError:
        if Path(path).name == "3a.txt" and os.getpid() != main:
            os._exit(9)
        return real(path)

    monkeypatch.setattr(batch, "mine_one", mine_one)
    told: list[str] = []
    assert [_plain(r) for r in mine_files(paths, jobs=2, notice=told.append)] == expected
    assert told == ["挖掘讲话稿的子进程意外退出，其余讲话稿改在一个进程里挖掘。"]


@pytest.mark.skipif(not FORKS, reason="the failing stand-in reaches the workers only when they are forked")
def test_the_cli_goes_on_when_a_worker_dies(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    one = _drafter("mine", "corpus", "--bank", "bank1", "--jobs", "1", cwd=tmp_path)
    harness = tmp_path / "harness.py"
    harness.write_text(DYING_HARNESS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(harness), "mine", "corpus", "--bank", "bank2", "--jobs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "提示：挖掘讲话稿的子进程意外退出，其余讲话稿改在一个进程里挖掘。" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.replace("bank2", "bank") == one.stdout.replace("bank1", "bank")
    banks = [{p.name: p.read_bytes() for p in (tmp_path / b).iterdir()} for b in ("bank1", "bank2")]
    assert banks[0] == banks[1]


DYING_HARNESS = """
import os, sys
from pathlib import Path

from drafter.mine import batch

main, real = os.getpid(), batch.mine_one


def mine_one(path):
    if Path(path).name == "1b.txt" and os.getpid() != main:
        os._exit(9)
    return real(path)


batch.mine_one = mine_one
from drafter.cli import run

sys.argv = ["drafter", *sys.argv[1:]]
run()
"""


def test_without_processes_one_process_mines_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no worker process can be made (no semaphores in some sandboxes), this process mines all."""
    import concurrent.futures

    paths = _corpus(tmp_path / "corpus")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert [_plain(r) for r in mine_files(paths, jobs=2)] == [_plain(r) for r in mine_files(paths, jobs=1)]
    assert list(mine_files([], jobs=4)) == []
    assert [r.path for r in mine_files(paths[:1], jobs=4) if isinstance(r, MinedFile)] == paths[:1]


def test_how_many_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "available_cpus", lambda: 4)
    small = tmp_path / "small.txt"
    small.write_text("同志们：\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * batch.PARALLEL_FROM_BYTES)
    assert choose_jobs([small] * 100) == 1  # little text: starting workers costs more
    assert choose_jobs([big] * (batch.PARALLEL_FROM_FILES - 1)) == 1  # few files
    assert choose_jobs([big] * batch.PARALLEL_FROM_FILES) == 4
    assert choose_jobs([big] * 100 + [tmp_path / "gone.txt"]) == 4  # a missing file is reported later
    assert choose_jobs([small] * 3, jobs=2) == 2 and choose_jobs([big] * 100, jobs=1) == 1
    monkeypatch.setattr(batch, "available_cpus", lambda: 64)
    assert choose_jobs([big] * 100) == batch.MAX_JOBS


def _drafter(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_cli_writes_the_same_bank_with_any_number_of_jobs(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    outputs = {}
    banks = {}
    for jobs in ("1", "2"):
        result = _drafter("mine", "corpus", "--bank", f"bank{jobs}", "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs[jobs] = result.stdout.replace(f"bank{jobs}", "bank")
        banks[jobs] = {p.name: p.read_bytes() for p in (tmp_path / f"bank{jobs}").iterdir()}
        assert "2c.docx" in result.stderr and "3c.pdf" in result.stderr  # reported, the rest mined
    assert outputs["1"] == outputs["2"] and "读取讲话稿 10 篇，2 个未能读取" in outputs["1"]
    assert banks["1"] == banks["2"] and "point.yaml" in banks["1"]


def test_the_cli_refuses_no_jobs_in_chinese(tmp_path: Path) -> None:
    result = _drafter("mine", str(SEEDS[0]), "--bank", "bank", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2 and "超出允许的范围" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "bank").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def _on_a_terminal(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run drafter with stderr on a pseudo-terminal: exit code, what the terminal showed, stdout."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    out = process.communicate()[0].decode("utf-8")
    os.close(leader)
    return process.returncode, shown.decode("utf-8", "replace"), out


def test_a_terminal_sees_the_mining_and_the_merge_go_on(tmp_path: Path) -> None:
    """On a terminal, stderr shows a progress bar while the speeches are mined (by workers here) and a
    line saying what runs while they are merged; stdout, a pipe, has the summary alone."""
    _corpus(tmp_path / "corpus")
    code, terminal, out = _on_a_terminal(tmp_path, "mine", "corpus", "--bank", "bank", "--jobs", "2")
    assert code == 0
    assert "挖掘讲话稿" in terminal and "100%" in terminal
    # the spinner's line tells how many candidates are merged so far (when a refresh falls then), and
    # last, once all are, what comes after; the last line is always drawn
    assert "正在写入语料库……" in terminal  # a new bank
    assert "读取讲话稿 10 篇，2 个未能读取" in out and "\x1b[" not in out
    code, terminal, out = _on_a_terminal(tmp_path, "mine", "corpus", "--bank", "bank")
    assert code == 0 and "正在与语料库原有条目比对并写入……" in terminal  # into the bank it made
    assert "语料库没有变化" in out


WORKER_HARNESS = """
import os, sys, time
from pathlib import Path

from drafter.mine import batch

ready, only, main = Path(sys.argv[1]), sys.argv[2], os.getpid()
real = batch.mine_one


def mine_one(path):
    # in a worker: say so, then take long enough to be interrupted (only: one file; the other workers
    # are done by then and wait for work)
    if os.getpid() != main and only in ("*", Path(path).name):
        if only != "*":
            time.sleep(1.0)
        ready.write_text("mining", encoding="utf-8")
        time.sleep(0.5 if only == "*" else 30)
    return real(path)


batch.mine_one = mine_one
from drafter.cli import run

sys.argv = ["drafter", *sys.argv[3:]]
run()
"""


def _interrupt_while_mining(tmp_path: Path, only: str) -> None:
    """Ctrl-C on a terminal reaches the whole process group: the workers stop without tracebacks, the
    command says it was interrupted, the bank is as it was and no worker is left running."""
    import signal
    import time

    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "mine.txt").write_text("我的文件", encoding="utf-8")
    harness, ready = tmp_path / "harness.py", tmp_path / "ready"
    harness.write_text(WORKER_HARNESS, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(harness), str(ready), only, "mine", "corpus", "--bank", "bank", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), process.communicate()
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=20)  # (a worker still mining would take 30 s)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert sorted(p.name for p in bank.iterdir()) == ["mine.txt"]
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # nobody left in the group
        os.killpg(process.pid, 0)


@pytest.mark.skipif(not FORKS, reason="the harness reaches the workers only when they are forked")
def test_ctrl_c_while_workers_mine(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    _interrupt_while_mining(tmp_path, "*")


@pytest.mark.skipif(not FORKS, reason="the harness reaches the workers only when they are forked")
def test_ctrl_c_while_a_worker_waits_for_work(tmp_path: Path) -> None:
    """Three speeches: the first mined in the main process, one by each worker (or both by one, the
    other never given any); the interrupt finds one worker mining and one waiting for work."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, seed in enumerate(SEEDS[:3]):
        (corpus / f"{n}.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    _interrupt_while_mining(tmp_path, "2.txt")
