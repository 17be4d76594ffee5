"""Bench: loading and checking a phrase bank of 1k / 20k / 100k synthetic entries.

Prints, per size: load time with libyaml's C loader and with the pure-Python loader (best of N runs),
their ratio, peak memory of one C load (tracemalloc, a separate run: tracing slows loading), and the
time of ``drafter bank check`` on the same folder.

    /work/venv/bin/python bench/bench_bank_load.py [--sizes 1000,20000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

import drafter.bank.load as load_module
from drafter.bank.check import check_bank_dir
from drafter.bank.schema import ROLES
from drafter.topics import TOPICS

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


def load_with(loader: type, folder: Path) -> int:
    saved = load_module._Loader
    load_module._Loader = loader
    try:
        entries, _ = load_module.load_bank_dir(folder)
    finally:
        load_module._Loader = saved
    return len(entries)


def peak_memory(loader: type, folder: Path) -> float:
    gc.collect()
    tracemalloc.start()
    load_with(loader, folder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def measure(size: int, repeat: int, c_loader: type | None) -> str:
    """One row of figures for a bank of ``size`` entries."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_bank(folder, size)
        megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        fastest = c_loader or yaml.SafeLoader
        assert load_with(fastest, folder) == size
        c_time = best_of(repeat, partial(load_with, fastest, folder))
        pure_time = best_of(1 if size > 20000 else repeat, partial(load_with, yaml.SafeLoader, folder))
        peak = peak_memory(fastest, folder)
        check_time = best_of(1, partial(check_bank_dir, folder))
    return (
        f"{size:>8} {megabytes:>6.1f} {c_time:>8.2f}s {pure_time:>9.2f}s {pure_time / c_time:>6.1f}x "
        f"{peak:>12.1f} {check_time:>7.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    c_loader = getattr(yaml, "CSafeLoader", None)
    print(f"PyYAML {yaml.__version__}, libyaml C loader: {'yes' if c_loader else 'no'}")
    print(
        f"{'entries':>8} {'MB':>6} {'C load':>9} {'pure load':>10} {'pure/C':>7} {'peak MB (C)':>12} {'check':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        print(measure(size, args.repeat, c_loader), flush=True)


if __name__ == "__main__":
    main()
