"""Bench: `drafter lint` on a 30,000-character speech (target < 0.3 s).

The speech is the five seeds' paragraphs one after another (ads and all) up to 30,000 characters,
written as UTF-8 and as GB18030 .txt. Prints, per file: the first check in a process (patterns
compiled, gazetteer read), the median of N further checks (read + all rules: ``analyze_path``), the
number of findings, and a whole ``drafter lint`` process (start-up included, median of N).

    /work/venv/bin/python bench/bench_lint.py [--runs 7] [--chars 30000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def long_speech(chars: int) -> str:
    lines: list[str] = []
    total = 0
    while total < chars:
        for path in sorted(SEEDS.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if total >= chars:
                    break
                lines.append(line)
                total += len(line)
    return "\n".join(lines) + "\n"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chars", type=int, default=30000)
    args = parser.parse_args()
    text = long_speech(args.chars)
    drafter = shutil.which("drafter") or str(Path(sys.executable).parent / "drafter")
    print(f"speech: {len(text):,} characters, {text.count(chr(10))} lines; target < 0.3 s")
    print(f"{'file':<14} {'first':>8} {'median':>8} {'min':>8} {'findings':>9} {'process':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, encoding in (("speech.txt", "utf-8"), ("speech-gbk.txt", "gb18030")):
            path = Path(tmp) / name
            path.write_bytes(text.encode(encoding))
            # A fresh interpreter for the first check: imports and pattern compiles count once.
            first_code = (
                "import sys, time; t = time.perf_counter(); from drafter.lint import analyze_path; "
                "r = analyze_path(sys.argv[1], year=2022); print(time.perf_counter() - t)"
            )
            first = float(
                subprocess.run(
                    [sys.executable, "-c", first_code, str(path)], check=True, capture_output=True, text=True
                ).stdout
            )
            from drafter.lint import analyze_path

            result = analyze_path(path, year=2022)
            times = [timed(lambda p=path: analyze_path(p, year=2022)) for _ in range(args.runs)]
            cmd = [drafter, "lint", str(path), "--year", "2022"]
            process = [timed(lambda c=cmd: subprocess.run(c, capture_output=True)) for _ in range(args.runs)]
            print(
                f"{name:<14} {first:>7.3f}s {statistics.median(times):>7.3f}s {min(times):>7.3f}s "
                f"{len(result.findings):>9} {statistics.median(process):>8.3f}s",
                flush=True,
            )


if __name__ == "__main__":
    main()
