"""Bench: drafter at scale, every measure beside its baseline in the same run (issue 16).

Each figure is the median wall time of whole processes (fresh ``drafter`` / ``python`` runs), with the
largest peak resident memory of those runs (GNU time's %M). Rows:

- ``draft``, bundled bank, warm cache                vs a bare python-docx script writing the same text
- ``draft`` with a big bank (default 100k entries), warm    vs ``draft`` with the bundled bank
- ``draft`` with the big bank, cold (a first run: empty load cache, which it writes)
                                                     vs a process reading the same files with libyaml's C loader
- ``bank stats`` / ``bank search 作风``, warm         vs a process reading the JSON load cache alone (json.loads)
- ``bank stats`` with no cache at all (for its memory)
- ``bank check --full`` (nothing reused) and ``bank check`` of an unchanged bank   vs the C loader alone
- ``mine`` of folders of speeches (default 1 MB and 64 MB) into a new bank: MB/s end to end, mining alone
  (no merge) beside the smallest, and the time per MB relative to the smallest; then other speeches (as
  many MB as the smallest) mined into the largest size's bank (a grown archive) vs into a new bank; then one
  large file (32 MB)

The load cache lives in a temporary XDG_CACHE_HOME; bank files are dated an hour back (the cache keeps only
files unchanged for two seconds).

    .venv/bin/python bench/bench_scale.py [--entries 100000] [--mine-mb 1,64] [--runs 3] [--skip-mine] [--skip-bank]
        [--one-file-mb 32] [--varied 0.15]

``--varied 0.15``: the mine rows use speeches whose text differs from speech to speech
(``bench_mine.varied_speech``) instead of seed rewrites whose paragraphs recur word for word.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_bank_load import write_bank  # noqa: E402
from bench_draft import BARE_SCRIPT  # noqa: E402
from bench_mine import SEEDS, synthetic_speech, write_folder  # noqa: E402

BIN = Path(sys.executable).parent
DRAFTER = str(BIN / "drafter")
DRAFT = [DRAFTER, "draft", "-y", "2026", "-l", "汉中市", "--level", "市"]

C_LOAD = """
import sys, yaml
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    n += len(data.get("entries") or [])
print(n)
"""

JSON_LOAD = """
import json, sys
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).glob("*.json")):
    # the whole cache file decoded: the header (the last line, before its checksum), then after the key
    # line every entry's line
    data = p.read_bytes()
    head = json.loads(data.rstrip(b"\\n").rsplit(b"\\n", 1)[-1].rpartition(b"\\t")[0])
    ids = head["ids"]
    if ids is None:  # the ids as text among the packed numbers
        blob_start, (start, size) = head["blob"][0], head["id_text"]
        ids = data[blob_start + start : blob_start + start + size].decode("utf-8")
    count = len((ids.split("\\n") if ids else []) if isinstance(ids, str) else ids)
    lines = data.split(b"\\n", count + 1)[1 : count + 1]
    rows = json.loads(b"[" + b",".join(lines) + b"]")
    assert len(rows) == count
    n += len(rows)
print(n)
"""

MINE_ONLY = """
import sys
from pathlib import Path
from drafter.rx import keep_compiled_patterns, speed_up_charsets
speed_up_charsets()  # as `drafter mine` starts
keep_compiled_patterns(at_exit=False)
from drafter.mine.candidates import mine_file, source_files
n = 0
for path in source_files([Path(sys.argv[1])]):
    n += len(mine_file(path).entries)
print(n)
"""


def run(cmd: list[str], *, env: dict[str, str], cwd: Path, tree: bool = False) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process; raises if it fails.

    The peak comes from GNU time: a child forked from this (larger) process would report this
    process's resident size as its own peak. ``tree``: the peak is instead the largest sum, sampled
    every 50 ms, of the proportional set sizes (Pss: pages shared after a fork counted once) of the
    process and every process it started (``drafter mine``'s workers), the memory the run needs (or
    GNU time's figure, when larger: a peak between two samples)."""
    rss_file = cwd / ".maxrss"
    prefix = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    process = subprocess.Popen(
        [*prefix, *cmd], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampled = 0
    if tree:
        while process.poll() is None:
            sampled = max(sampled, _tree_pss(process.pid))
            time.sleep(0.05)
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(
            f"failed ({process.returncode}): {' '.join(cmd)}\n{stderr.decode('utf-8', 'replace')}"
        )
    try:
        peak = int(rss_file.read_text(encoding="ascii").split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        peak = float("nan")
    return elapsed, max(peak, sampled / 1024) if tree else peak


def _tree_pss(root: int) -> int:
    """kB: the Pss of ``root`` and all its descendants (Linux's /proc; 0 where it is not)."""
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
            stack.extend(int(child) for child in children.split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def median_of(
    runs: int,
    cmd: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    before: Callable[[], object] | None = None,
    tree: bool = False,
) -> tuple[float, float]:
    results = []
    for _ in range(runs):
        if before is not None:
            before()
        results.append(run(cmd, env=env, cwd=cwd, tree=tree))
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def medians_alternating(
    runs: int, cmds: list[list[str]], env: dict[str, str], cwd: Path
) -> list[tuple[float, float]]:
    """Per command, the median time and the largest peak of ``runs`` runs, the commands taking turns."""
    results: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(runs):
        for found, cmd in zip(results, cmds, strict=True):
            found.append(run(cmd, env=env, cwd=cwd))
    return [(statistics.median(t for t, _ in found), max(m for _, m in found)) for found in results]


def row(
    name: str, value: tuple[float, float], base_name: str, base: tuple[float, float], target: str
) -> None:
    ratio = value[0] / base[0]
    print(
        f"{name:<34} {value[0]:>7.2f}s {value[1]:>6.0f}MB | {base_name:<30} {base[0]:>7.2f}s "
        f"{base[1]:>6.0f}MB | {ratio:>5.2f}x  {target}",
        flush=True,
    )


def settle(folder: Path) -> None:
    past = time.time() - 3600
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def bank_rows(work: Path, entries: int, runs: int, env: dict[str, str]) -> None:
    big = work / "big"
    big.mkdir()
    write_bank(big, entries)
    settle(big)
    cold_env = {**env, "DRAFTER_NO_CACHE": "1"}
    cache = Path(env["XDG_CACHE_HOME"]) / "drafter" / "bank"
    drafter_cache = cache.parent

    def empty_cache() -> None:  # a first run: nothing cached yet (the run writes the cache)
        shutil.rmtree(drafter_cache, ignore_errors=True)

    subprocess.run([*DRAFT, "--format", "txt", "-o", "same.txt"], cwd=work, env=env, check=True)
    (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
    bare_script = [sys.executable, "bare.py", "same.txt", "bare.docx"]
    bundled_draft = [*DRAFT, "-o", "b.docx", "--force"]
    big_draft = [*DRAFT, "--bank", str(big), "-o", "big.docx", "--force"]
    for cmd in (bare_script, bundled_draft, big_draft):  # warm: the load and Word caches written
        run(cmd, env=env, cwd=work)
    # The three take turns, so a change in the machine's speed during the run touches each alike.
    bare, bundled, warm = medians_alternating(runs * 2, [bare_script, bundled_draft, big_draft], env, work)
    row("draft, bundled bank, warm", bundled, "bare python-docx script", bare, "target <= 1.6x")
    row(f"draft, {entries} entries, warm", warm, "draft, bundled bank, warm", bundled, "target <= 2x")
    cold = median_of(runs, big_draft, env=env, cwd=work, before=empty_cache)
    c_loader = median_of(runs, [sys.executable, "-c", C_LOAD, str(big)], env=env, cwd=work)
    row(f"draft, {entries} entries, cold", cold, "C loader alone", c_loader, "target <= 1.3x")
    run(big_draft, env=env, cwd=work)  # the cache again (the runs above ended with one, but to be sure)

    json_only = median_of(runs, [sys.executable, "-c", JSON_LOAD, str(cache)], env=env, cwd=work)
    stats = median_of(runs, [DRAFTER, "bank", "stats", "--bank", str(big)], env=env, cwd=work)
    row(f"bank stats, {entries}, warm", stats, "reading the JSON cache alone", json_only, "target <= 2x")
    search = median_of(runs, [DRAFTER, "bank", "search", "作风", "--bank", str(big)], env=env, cwd=work)
    row(
        f"bank search 作风, {entries}, warm",
        search,
        "reading the JSON cache alone",
        json_only,
        "target <= 2x",
    )
    stats_cold = median_of(1, [DRAFTER, "bank", "stats", "--bank", str(big)], env=cold_env, cwd=work)
    row(f"bank stats, {entries}, no cache", stats_cold, "C loader alone", c_loader, "(memory)")

    check = [DRAFTER, "bank", "check", "--bank", str(big)]
    full = [*check, "--full"] if _has_full() else check
    check_full = median_of(1, full, env=cold_env, cwd=work)
    row(f"bank check, {entries}, never cached", check_full, "C loader alone", c_loader, "")
    run(check, env=env, cwd=work)  # fills the check cache where there is one
    check_warm = median_of(runs, check, env=env, cwd=work)
    row(f"bank check, {entries}, unchanged", check_warm, "C loader alone", c_loader, "")


def _has_full() -> bool:
    out = subprocess.run([DRAFTER, "bank", "check", "--help"], capture_output=True, text=True, check=False)
    return "--full" in out.stdout


def into_bank(
    work: Path, sizes: list[float], env: dict[str, str], *, runs: int, varied: float, kind: str
) -> None:
    """Other speeches (the smallest size) mined into a copy of the largest size's bank (a writer's grown
    archive), beside the same speeches mined into a new bank."""
    from drafter.bank.load import load_bank_dir

    grown = work / f"bank{sizes[-1]:g}"
    entries = len(load_bank_dir(grown)[0])
    corpus = work / "corpus-more"
    corpus.mkdir()
    size = write_folder(corpus, sizes[0], varied=varied, seed=1) / 1e6
    new = work / "bank-more-new"
    alone = median_of(
        runs,
        [DRAFTER, "mine", str(corpus), "--bank", str(new)],
        env=env,
        cwd=work,
        before=lambda: shutil.rmtree(new, ignore_errors=True),
        tree=True,
    )
    into = work / "bank-more"

    def copy() -> None:
        shutil.rmtree(into, ignore_errors=True)
        shutil.copytree(grown, into)

    mined = median_of(
        runs, [DRAFTER, "mine", str(corpus), "--bank", str(into)], env=env, cwd=work, before=copy, tree=True
    )
    print(
        f"{'mine ' + f'{size:.1f} MB into a bank ({kind})':<34} {mined[0]:>7.2f}s {mined[1]:>6.0f}MB | "
        f"into a new bank{'':<15} {alone[0]:>7.2f}s {alone[1]:>6.0f}MB | {mined[0] / alone[0]:>5.2f}x  "
        f"(the {sizes[-1]:g} MB corpus's bank: {entries} entries)",
        flush=True,
    )
    shutil.rmtree(corpus)


def mine_rows(
    work: Path, sizes: list[float], env: dict[str, str], *, one_file_mb: float, runs: int, varied: float
) -> None:
    """``drafter mine`` of folders of speeches into a new bank (median of ``runs``, each into a new
    bank), after a first run has filled the user cache (compiled patterns) as any run after a user's
    first does; a one-speech folder as the fixed cost (start); mining alone (no merge) beside the
    smallest; one large file given whole (``one_file_mb``, 0 to skip)."""
    start = work / "start"
    start.mkdir()
    speech = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8").splitlines()[:8]
    (start / "start.txt").write_text("\n".join(speech) + "\n", encoding="utf-8")

    def mine(corpus: Path, bank: Path, *options: str) -> tuple[float, float]:
        return median_of(
            runs,
            [DRAFTER, "mine", str(corpus), "--bank", str(bank), *options],
            env=env,
            cwd=work,
            before=lambda: shutil.rmtree(bank, ignore_errors=True),
            tree=True,
        )

    first = run([DRAFTER, "mine", str(start), "--bank", str(work / "bank-first")], env=env, cwd=work)
    fixed = mine(start, work / "bank-start")
    print(
        f"{'mine start (one short speech)':<34} {fixed[0]:>7.2f}s {fixed[1]:>6.0f}MB | the fixed cost: "
        f"imports, patterns, writing a bank (a first run ever, nothing in the user cache: {first[0]:.2f}s)",
        flush=True,
    )
    print(
        "  (mine rows: peaks are all processes together, the workers' included; `--jobs 1`: the same "
        "speeches mined in one process)",
        flush=True,
    )
    raw: list[float] = []
    net: list[float] = []
    peaks: list[float] = []
    kind = f"varied {varied:.0%}" if varied else "folder"
    for megabytes in sizes:
        corpus, bank = work / f"corpus{megabytes:g}", work / f"bank{megabytes:g}"
        corpus.mkdir()
        size = write_folder(corpus, megabytes, varied=varied) / 1e6
        mined = mine(corpus, bank)
        alone = mine(corpus, bank, "--jobs", "1")
        raw.append(mined[0] / size)
        peaks.append(mined[1])
        net.append(max(mined[0] - fixed[0], 1e-9) / size)
        base = ""
        if len(raw) == 1:
            only = run([sys.executable, "-c", MINE_ONLY, str(corpus)], env=env, cwd=work)
            base = f"mining only (no merge, one process) {only[0]:.2f}s {only[1]:.0f}MB = {size / only[0]:.2f} MB/s; "
        print(
            f"{'mine ' + f'{size:.1f} MB ({kind})':<34} {mined[0]:>7.2f}s {mined[1]:>6.0f}MB | "
            f"{size / mined[0]:.2f} MB/s end to end; --jobs 1 {alone[0]:.2f}s {alone[1]:.0f}MB "
            f"({size / alone[0]:.2f} MB/s); {base}s/MB vs smallest {raw[-1] / raw[0]:.2f} "
            f"(start taken out: {1 / net[-1]:.2f} MB/s, s/MB vs smallest {net[-1] / net[0]:.2f}); "
            f"peak vs smallest {peaks[-1] / peaks[0]:.2f}",
            flush=True,
        )
        shutil.rmtree(corpus)
    into_bank(work, sizes, env, runs=runs, varied=varied, kind=kind)
    if one_file_mb:
        one = work / "one.txt"
        parts = []
        rng = random.Random(1)
        seeds = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.glob("*.txt"))]
        size = 0
        while size < one_file_mb * 1e6:
            text = synthetic_speech(seeds[len(parts) % len(seeds)], rng, novelty=8)
            parts.append(text)
            size += len(text.encode("utf-8"))
        one.write_text("".join(parts), encoding="utf-8")
        mined = run(
            [DRAFTER, "mine", str(one), "--bank", str(work / "bank-one")], env=env, cwd=work, tree=True
        )
        print(
            f"{'mine ' + f'{size / 1e6:.1f} MB (one file)':<34} {mined[0]:>7.2f}s {mined[1]:>6.0f}MB | "
            f"{size / 1e6 / mined[0]:.2f} MB/s end to end",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--mine-mb", default="1,64")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-mine", action="store_true")
    parser.add_argument("--skip-bank", action="store_true")
    parser.add_argument("--one-file-mb", type=float, default=32, help="mine one file this large (0: skip)")
    parser.add_argument(
        "--varied", type=float, default=0.0, help="mine folders of varied text (bench_mine.varied_speech)"
    )
    args = parser.parse_args()
    # Installed packages come with their bytecode; drafter's own must have it too, or every run would
    # compile its sources again (PYTHONDONTWRITEBYTECODE=1 keeps an editable install from writing it).
    import compileall

    import yaml

    import drafter

    compileall.compile_dir(Path(drafter.__file__).parent, quiet=2)

    print(
        f"python {sys.version.split()[0]}, PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), "
        f"{os.cpu_count()} cores; medians of {args.runs} whole-process runs (the three warm drafts: {args.runs * 2}, taking turns)"
    )
    print(f"{'measure':<34} {'time':>8} {'peak':>8} | {'baseline':<30} {'time':>8} {'peak':>8} | ratio")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "cache").mkdir()
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        env.pop("DRAFTER_NO_CACHE", None)
        env.pop("DRAFTER_BANK", None)
        if not args.skip_bank:
            bank_rows(work, args.entries, args.runs, env)
        if not args.skip_mine:
            sizes = [float(s) for s in args.mine_mb.split(",")]
            mine_rows(work, sizes, env, one_file_mb=args.one_file_mb, runs=args.runs, varied=args.varied)


if __name__ == "__main__":
    main()
