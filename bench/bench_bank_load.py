"""Bench: loading and checking a phrase bank of 1k / 20k / 100k synthetic entries.

Prints, per size: the cold load (YAML parsed with libyaml's C loader, no load cache), the first load
that also writes the load cache, the warm load (from the cache), each the best of N runs; the
pure-Python YAML loader for comparison (up to 20k entries unless --pure-all); peak memory of one cold
and one warm load (tracemalloc, separate runs: tracing slows loading); ``drafter bank check`` on the
same folder; and a whole Python process that imports drafter and loads the bank with a warm cache.
Target: a 100k-entry bank loads in under 1 s.

The cache lives in a temporary XDG_CACHE_HOME; the bank files are dated an hour back, since the
cache only keeps files that have not changed in the last two seconds.

    /work/venv/bin/python bench/bench_bank_load.py [--sizes 1000,20000,100000] [--repeat 3] [--pure-all]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

import drafter.bank.load as load_module
from drafter.bank.cache import cache_dir
from drafter.bank.check import check_bank_dir
from drafter.bank.schema import ROLES
from drafter.facts.topics import TOPICS

PHRASES = (
    "持之以恒落实中央八项规定精神",
    "{全市}各级党组织要扛牢管党治党政治责任",
    "坚决纠治形式主义、官僚主义",
    "加强财政资金监管，压减一般性支出【X】%",
    "深入推进政府系统党风廉政建设和反腐败工作",
    "一体推进不敢腐、不能腐、不想腐",
)


def write_bank(folder: Path, count: int, *, seed: int = 0) -> None:
    """One file per role, like the miner writes; about 90 characters of text per entry."""
    rng = random.Random(seed)
    roles = list(ROLES)
    per_role: dict[str, list[str]] = {r: [] for r in roles}
    for n in range(count):
        role = roles[n % len(roles)]
        topics = ", ".join(rng.sample(TOPICS, 2))
        text = "，".join(rng.sample(PHRASES, 3)) + f"（第{n}条）。"
        years = "\n  years: 2023-" if n % 7 == 0 else ""
        per_role[role].append(
            f'- id: {role}-b{n:07d}\n  role: {role}\n  topics: [{topics}]{years}\n  text: "{text}"\n'
            f"  source: [00{n % 5}_seed.txt:{n % 300 + 1}]\n"
        )
    for role, items in per_role.items():
        header = "# yaml-language-server: $schema=../docs/phrasebank.schema.json\nentries:\n"
        (folder / f"{role}.yaml").write_text(header + "".join(items), encoding="utf-8")


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def load_with(loader: type, folder: Path, *, cache: bool = False) -> int:
    saved = load_module.yaml_loader
    load_module.yaml_loader = lambda: loader  # type: ignore[assignment]
    if not cache:
        os.environ["DRAFTER_NO_CACHE"] = "1"
    try:
        entries, _ = load_module.load_bank_dir(folder)
    finally:
        load_module.yaml_loader = saved  # type: ignore[assignment]
        os.environ.pop("DRAFTER_NO_CACHE", None)
    return len(entries)


def drop_cache() -> None:
    folder = cache_dir()
    if folder is not None and folder.exists():
        shutil.rmtree(folder)


def first_load(loader: type, folder: Path) -> float:
    """A load that finds no cache and writes one."""
    drop_cache()
    return best_of(1, partial(load_with, loader, folder, cache=True))


def peak_memory(loader: type, folder: Path, *, cache: bool) -> float:
    gc.collect()
    tracemalloc.start()
    load_with(loader, folder, cache=cache)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def process_time(folder: Path, repeat: int) -> float:
    """A whole Python process that imports drafter and loads the bank layered over the bundled one."""
    code = "import sys; from pathlib import Path; from drafter.bank import load_bank; load_bank(user_dirs=[Path(sys.argv[1])])"
    cmd = [sys.executable, "-c", code, str(folder)]
    return best_of(repeat, partial(subprocess.run, cmd, check=True, capture_output=True))


def measure(size: int, repeat: int, c_loader: type | None, *, pure_all: bool) -> str:
    """One row of figures for a bank of ``size`` entries."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_bank(folder, size)
        settled = time.time() - 3600
        for path in folder.iterdir():
            os.utime(path, (settled, settled))
        megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        fastest = c_loader or yaml.SafeLoader
        assert load_with(fastest, folder) == size
        cold = best_of(repeat, partial(load_with, fastest, folder))
        writing = first_load(fastest, folder)
        assert load_with(fastest, folder, cache=True) == size
        warm = best_of(repeat, partial(load_with, fastest, folder, cache=True))
        pure = "-"
        if pure_all or size <= 20000:
            pure_time = best_of(1 if size > 20000 else repeat, partial(load_with, yaml.SafeLoader, folder))
            pure = f"{pure_time:.2f}s"
        peak_cold = peak_memory(fastest, folder, cache=False)
        peak_warm = peak_memory(fastest, folder, cache=True)
        check_time = best_of(1, partial(check_bank_dir, folder))
        process = process_time(folder, repeat)
    return (
        f"{size:>8} {megabytes:>6.1f} {cold:>8.2f}s {writing:>8.2f}s {warm:>8.2f}s {pure:>9} "
        f"{peak_cold:>9.1f} {peak_warm:>9.1f} {check_time:>7.2f}s {process:>8.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pure-all", action="store_true", help="also time the pure-Python loader above 20k")
    args = parser.parse_args()
    c_loader = getattr(yaml, "CSafeLoader", None)
    print(f"PyYAML {yaml.__version__}, libyaml C loader: {'yes' if c_loader else 'no'}; target: 100k < 1 s")
    print(
        "cold: no cache; 1st+save: cold load that writes the cache; warm: from the cache; "
        "peak: tracemalloc MB; process: a whole python process (import + bundled + this bank, warm)"
    )
    print(
        f"{'entries':>8} {'MB':>6} {'cold':>9} {'1st+save':>9} {'warm':>9} {'pure YAML':>9} "
        f"{'peak cold':>9} {'peak warm':>9} {'check':>8} {'process':>9}"
    )
    with tempfile.TemporaryDirectory() as cache_home:
        os.environ["XDG_CACHE_HOME"] = cache_home  # never the user's own cache
        for size in (int(s) for s in args.sizes.split(",")):
            print(measure(size, args.repeat, c_loader, pure_all=args.pure_all), flush=True)


if __name__ == "__main__":
    main()
