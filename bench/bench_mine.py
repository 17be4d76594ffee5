"""Bench: mining throughput on synthetic corpora of 100 / 1,000 / 5,000 speeches built from seeds/.

Each synthetic speech is one of the five seeds with its level words changed (市/县/区), its figures
changed, and one paragraph in ``--novelty`` (default 1 in 8) with its sentences rotated, so that every
speech brings some new entries as a real collection does. A third of the files are GB18030-encoded.

Prints, per size: files, megabytes on disk, characters; the mining time (read, decode, clean, parse,
generalise: what ``drafter mine`` does per file) with megabytes and characters per second, and the
process CPU time of the same (steadier than wall time on a shared machine); the merge
into an empty bank folder (plan + write); the total; and the growth: seconds per megabyte relative to
the smallest corpus (1.0 = linear). Target: mining at least 1 MB/s, growing linearly.

    .venv/bin/python bench/bench_mine.py [--sizes 100,1000,5000] [--novelty 8] [--no-merge]

End to end (issue 16): ``--end-to-end 1,64`` runs whole ``drafter mine FOLDER --bank NEW`` processes on
folders of N MB (one file per speech, a third GB18030, as ``bench_scale.py`` builds them) and prints wall
and CPU seconds, MB/s, peak resident memory (GNU time's %M) and the CPU time per MB relative to the first
size, twice: as measured ("raw") and with the process's fixed cost taken out ("net"). The fixed cost is
measured in the same run: ``drafter mine`` on a folder holding one short speech (the "start" row: Python,
imports, compiled patterns, writing and verifying a small bank). ``--compare DIR`` runs the same with
the drafter package found in DIR (e.g. an exported older commit) alternately with this one, in the same
run; ``--runs N`` takes the median of N runs. Both packages are byte-compiled first (``compileall``), as
an installed wheel is: with PYTHONDONTWRITEBYTECODE set and no ``__pycache__``, every process would
compile ~40 modules from source (~0.1 s) and the figures would not be a user's. The processes share a
user cache of their own (XDG_CACHE_HOME in the temporary folder), filled by one unmeasured run of each
code first, as on a machine where drafter has run before; they run outside the repository, whose
``drafter/`` would otherwise come first on ``sys.path`` and stand in for ``--compare``'s package.

    .venv/bin/python bench/bench_mine.py --end-to-end 1,16,64 [--compare /tmp/old] [--runs 3] [--varied 0.15] [--repeat]

``--varied 0.15``: speeches whose text differs from speech to speech (``varied_speech``), as a real
archive's does, instead of seed rewrites whose paragraphs recur word for word. ``--repeat``: each corpus
is copies of the first size's folder (the same speeches collected again, under other names): the corpus
grows while the bank stays the same, which tells memory that follows the corpus from memory that follows
the bank. The "entries" column is the new bank's entry count (skeletons apart).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drafter.rx import speed_up_charsets

speed_up_charsets()  # as `drafter mine` starts: before the miner's patterns are compiled

from drafter.bank.merge import plan_merge, write_merge  # noqa: E402
from drafter.mine.candidates import mine_file, source_files  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LEVEL_WORDS = {
    "市": ("全市", "市委", "市政府"),
    "县": ("全县", "县委", "县政府"),
    "区": ("全区", "区委", "区政府"),
}
_SENTENCE = re.compile(r"[^。！？]*[。！？]")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _rotate(paragraph: str) -> str:
    sentences = _SENTENCE.findall(paragraph)
    if len(sentences) < 3 or "".join(sentences) != paragraph:
        return paragraph
    return "".join(sentences[1:] + sentences[:1])


def _localized(line: str, level: str, rng: random.Random) -> str:
    """A seed line at ``level`` (全县, 县委 …) with its short figures changed."""
    for old, new in zip(LEVEL_WORDS["市"], LEVEL_WORDS[level], strict=True):
        line = line.replace(old, new)
    return _DIGITS.sub(lambda m: str(rng.randint(2, 98)) if len(m.group()) < 4 else m.group(), line)


def synthetic_speech(seed_lines: list[str], rng: random.Random, *, novelty: int) -> str:
    """One speech from a seed: level words, figures and a few paragraphs' sentence order changed."""
    level = rng.choice("市县区")
    out = []
    for line in seed_lines:
        line = _localized(line, level, rng)
        if len(line) > 80 and rng.randrange(novelty) == 0:
            line = _rotate(line)
        out.append(line)
    return "\n".join(out) + "\n"


def write_corpus(folder: Path, count: int, *, novelty: int, seed: int = 0) -> tuple[int, int]:
    """``count`` speech files in ``folder``; returns (bytes on disk, characters)."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.glob("*.txt"))]
    size = chars = 0
    for n in range(count):
        text = synthetic_speech(seeds[n % len(seeds)], rng, novelty=novelty)
        data = text.encode("gb18030" if n % 3 == 2 else "utf-8")
        (folder / f"{n:05d}.txt").write_bytes(data)
        size += len(data)
        chars += len(text)
    return size, chars


def measure(count: int, *, novelty: int, merge: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, bank = Path(tmp) / "corpus", Path(tmp) / "bank"
        corpus.mkdir()
        size, chars = write_corpus(corpus, count, novelty=novelty)
        gc.collect()
        start, cpu_start = time.perf_counter(), time.process_time()
        mined = [mine_file(path) for path in source_files([corpus])]
        mining = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        merging = 0.0
        entries = 0
        if merge:
            start = time.perf_counter()
            candidates = [entry for speech in mined for entry in speech.entries]
            plan = plan_merge(bank, candidates, [speech.skeleton for speech in mined])
            write_merge(plan)
            merging = time.perf_counter() - start
            entries = sum(1 for c in plan.changes if c.kind == "added")
    return {
        "files": count,
        "mb": size / 1e6,
        "chars": chars,
        "mining": mining,
        "cpu": cpu,
        "merging": merging,
        "entries": entries,
    }


_HANZI_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def varied_speech(seed_lines: list[str], rng: random.Random, *, varied: float, words: list[str]) -> str:
    """A speech whose text differs from every other: a seed with its level words and figures changed and,
    in each line longer than 30 characters, a share ``varied`` of its two-character stretches replaced
    by others from the seeds (headings, markers and line structure stay). Unlike ``synthetic_speech``,
    whose paragraphs mostly recur word for word, nothing here is met twice, so the miner's per-text
    caches do not hit and the merge has thousands of distinct texts to compare; paragraphs of one seed
    still stay close to each other (siblings at a fuzz ratio of about 75–85), the hard case for it."""
    level = rng.choice("市县区")
    out = []
    for line in seed_lines:
        line = _localized(line, level, rng)
        if len(line) > 30:
            chars = list(line)
            for i in range(6, len(chars) - 2, 2):
                if rng.random() < varied and _HANZI_PAIR.fullmatch("".join(chars[i : i + 2])):
                    chars[i : i + 2] = rng.choice(words)
            line = "".join(chars)
        out.append(line)
    return "\n".join(out) + "\n"


def write_folder(
    folder: Path, megabytes: float, *, novelty: int = 8, varied: float = 0.0, seed: int = 0
) -> int:
    """Speech files (one per speech, in folders of 1,000) totalling ``megabytes``; returns the bytes.
    ``varied`` > 0: ``varied_speech`` with that share of words replaced, else ``synthetic_speech``."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.glob("*.txt"))]
    words = sorted({w for lines in seeds for w in _HANZI_PAIR.findall("".join(lines))})
    size = n = 0
    while size < megabytes * 1e6:
        lines = seeds[n % len(seeds)]
        text = (
            varied_speech(lines, rng, varied=varied, words=words)
            if varied
            else synthetic_speech(lines, rng, novelty=novelty)
        )
        data = text.encode("gb18030" if n % 3 == 2 else "utf-8")
        (folder / f"{n // 1000:03d}").mkdir(parents=True, exist_ok=True)
        (folder / f"{n // 1000:03d}" / f"{n:05d}.txt").write_bytes(data)
        size += len(data)
        n += 1
    return size


# the `drafter` command (drafter.cli.run; app for an older package that has no run)
_RUN_MINE = "import sys; import drafter.cli as c; sys.argv[0] = 'drafter'; getattr(c, 'run', c.app)()"


def mine_process(corpus: Path, bank: Path, code: str | None) -> tuple[float, float, float]:
    """One ``drafter mine`` process into a new bank: wall s, CPU s (user + system), peak RSS MB."""
    shutil.rmtree(bank, ignore_errors=True)
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(bank.parent / "cache")  # the run's own user cache, warmed first
    env.pop("DRAFTER_NO_CACHE", None)
    if code:
        env["PYTHONPATH"] = code
    stats = bank.parent / f"{bank.name}.time"
    cmd = [sys.executable, "-c", _RUN_MINE, "mine", str(corpus), "--bank", str(bank)]
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", "-o", str(stats), *cmd],
        env=env,
        cwd=bank.parent,  # not the repository, whose drafter/ would come first on sys.path (python -c)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"drafter mine failed: {done.stderr.decode('utf-8', 'replace')}")
    user, system, peak = stats.read_text(encoding="ascii").split()[-3:]
    return wall, float(user) + float(system), int(peak) / 1024


START_LINES = 12  # the "start" speech: the first lines of a seed (a salutation, an opening, a review)


def _median_runs(
    corpus: Path, bank: Path, codes: list[tuple[str, str | None]], runs: int
) -> dict[str, tuple[float, float, float]]:
    """Median wall and CPU seconds and the highest peak RSS of ``runs`` processes per code, taking turns."""
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in codes}
    for _ in range(runs):  # alternate, so that both see the same load
        for name, code in codes:
            results[name].append(mine_process(corpus, bank.parent / f"{bank.name}-{name}", code))
    return {
        name: (
            statistics.median(r[0] for r in rows),
            statistics.median(r[1] for r in rows),
            max(r[2] for r in rows),
        )
        for name, rows in results.items()
    }


def bank_entries(bank: Path) -> int:
    """The entries of a bank the miner wrote (its own layout: each entry starts with ``  - id:``)."""
    return sum(
        line.startswith("  - id: ")
        for path in bank.glob("*.yaml")
        if path.name != "skeletons.yaml"
        for line in path.read_text(encoding="utf-8").splitlines()
    )


def copies_folder(folder: Path, base: Path, megabytes: float, base_size: int) -> int:
    """``base`` copied into ``folder`` as many times as makes about ``megabytes``; returns the bytes."""
    copies = max(round(megabytes * 1e6 / base_size), 1)
    for n in range(copies):
        shutil.copytree(base, folder / f"copy{n:03d}")
    return copies * base_size


def end_to_end(
    sizes: list[float], *, compare: str | None, runs: int, novelty: int, varied: float, repeat: bool = False
) -> None:
    codes: list[tuple[str, str | None]] = [("this", None)]
    if compare:
        codes.insert(0, ("compare", compare))
    import drafter

    for _, code in codes:  # as installed from a wheel: modules read from .pyc, not compiled per process
        package = Path(code) / "drafter" if code else Path(drafter.__file__).parent
        compileall.compile_dir(package, quiet=1)
    kind = f"varied text ({varied:.0%} of words replaced)" if varied else "seed rewrites"
    if repeat:
        kind += f", each corpus copies of the {sizes[0]:g} MB one (the same bank)"
    print(f"drafter mine FOLDER --bank NEW, whole processes; median of {runs}; one file per speech; {kind}")
    print("raw: CPU s per MB as measured; net: the start row's CPU s (fixed cost) taken out first")
    print(
        f"{'code':<8} {'MB':>6} {'files':>6} {'wall s':>8} {'cpu s':>7} {'MB/s':>6} {'MB/cpu s':>8} "
        f"{'peak MB':>8} {'raw s/MB':>8} {'vs first':>8} {'net s/MB':>8} {'vs first':>8} {'entries':>8}"
    )
    fixed: dict[str, float] = {}
    first_raw: dict[str, float] = {}
    first_net: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        start = Path(tmp) / "start"
        start.mkdir()
        seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8").splitlines()[:START_LINES]
        (start / "start.txt").write_text("\n".join(seed) + "\n", encoding="utf-8")
        for _, code in codes:  # as after a first run: the user cache (facts, compiled patterns) filled
            mine_process(start, Path(tmp) / "bank-warm", code)
        for name, (wall, cpu, peak) in _median_runs(start, Path(tmp) / "bank", codes, runs).items():
            fixed[name] = cpu
            print(
                f"{name:<8} {'start':>6} {1:>6} {wall:>8.2f} {cpu:>7.2f} {'':>6} {'':>8} {peak:>8.0f}",
                flush=True,
            )
        base = Path(tmp) / "base"
        base_size = write_folder(base, sizes[0], novelty=novelty, varied=varied) if repeat else 0
        for megabytes in sizes:
            corpus = Path(tmp) / "corpus"
            if repeat:
                size = copies_folder(corpus, base, megabytes, base_size) / 1e6
            else:
                size = write_folder(corpus, megabytes, novelty=novelty, varied=varied) / 1e6
            files = sum(1 for _ in corpus.rglob("*.txt"))
            for name, (wall, cpu, peak) in _median_runs(corpus, Path(tmp) / "bank", codes, runs).items():
                raw, net = cpu / size, max(cpu - fixed[name], 0.0) / size
                first_raw.setdefault(name, raw)
                first_net.setdefault(name, net)
                print(
                    f"{name:<8} {size:>6.1f} {files:>6} {wall:>8.2f} {cpu:>7.2f} {size / wall:>6.2f} "
                    f"{size / cpu:>8.2f} {peak:>8.0f} {raw:>8.3f} {raw / first_raw[name]:>8.2f} "
                    f"{net:>8.3f} {net / first_net[name] if first_net[name] else 0:>8.2f} "
                    f"{bank_entries(Path(tmp) / f'bank-{name}'):>8}",
                    flush=True,
                )
            shutil.rmtree(corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--novelty", type=int, default=8, help="rotate one long paragraph in N")
    parser.add_argument("--no-merge", action="store_true", help="time the mining only")
    parser.add_argument(
        "--end-to-end", metavar="MB,MB", help="whole drafter mine processes on folders of N MB"
    )
    parser.add_argument("--compare", metavar="DIR", help="with --end-to-end: also run the drafter in DIR")
    parser.add_argument("--runs", type=int, default=1, help="with --end-to-end: median of N runs")
    parser.add_argument(
        "--varied",
        type=float,
        default=0.0,
        help="with --end-to-end: varied text, this share of words replaced",
    )
    parser.add_argument(
        "--repeat",
        action="store_true",
        help="with --end-to-end: each corpus copies of the first one (the bank stays the same)",
    )
    args = parser.parse_args()
    if args.end_to_end:
        sizes = [float(s) for s in args.end_to_end.split(",")]
        end_to_end(
            sizes,
            compare=args.compare,
            runs=args.runs,
            novelty=args.novelty,
            varied=args.varied,
            repeat=args.repeat,
        )
        return
    mine_file(sorted(SEEDS.glob("*.txt"))[0])  # imports and compiled patterns out of the timing
    print("target: mining >= 1 MB/s, linear growth (s/MB relative to the smallest corpus ~ 1.0)")
    print(
        f"{'files':>6} {'MB':>7} {'chars':>11} {'mine s':>8} {'MB/s':>6} {'chars/s':>9} "
        f"{'merge s':>8} {'entries':>8} {'total s':>8} {'growth':>7} {'cpu s':>7} {'MB/cpu s':>8}"
    )
    first: float | None = None
    for count in (int(s) for s in args.sizes.split(",")):
        row = measure(count, novelty=args.novelty, merge=not args.no_merge)
        per_mb = row["mining"] / row["mb"]
        first = first or per_mb
        total = row["mining"] + row["merging"]
        print(
            f"{row['files']:>6} {row['mb']:>7.1f} {row['chars']:>11,.0f} {row['mining']:>8.1f} "
            f"{row['mb'] / row['mining']:>6.2f} {row['chars'] / row['mining']:>9,.0f} "
            f"{row['merging']:>8.1f} {row['entries']:>8} {total:>8.1f} {per_mb / first:>7.2f} "
            f"{row['cpu']:>7.1f} {row['mb'] / row['cpu']:>8.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
