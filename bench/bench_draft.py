"""Benchmark: `drafter draft` latency against a bare python-docx script writing the same paragraphs.

Both run as fresh processes, alternately, median of N runs each; prints the ratio (target <= 1.5x).
Usage: python bench/bench_draft.py [--runs 7] [--bank DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SCRIPT = """
import sys
from docx import Document
from docx.shared import Pt
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
doc = Document()
for line in lines:
    p = doc.add_paragraph(line)
    for run in p.runs:
        run.font.size = Pt(16)
doc.save(sys.argv[2])
"""


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bank", type=Path, default=None)
    args = parser.parse_args()
    drafter = str(Path(sys.executable).parent / "drafter")
    if not Path(drafter).exists():
        drafter = shutil.which("drafter") or "drafter"
    base = [drafter, "draft", "-y", "2026", "-l", "汉中市", "--level", "市"]
    if args.bank:
        base += ["--bank", str(args.bank.resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [*base, "--format", "txt", "-o", "same.txt"], cwd=work, check=True, capture_output=True
        )
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        ours, bare = [], []
        for _ in range(args.runs):
            ours.append(_timed([*base, "-o", "ours.docx", "--force"], work))
            bare.append(_timed([sys.executable, "bare.py", "same.txt", "bare.docx"], work))
        chars = len((work / "same.txt").read_text(encoding="utf-8"))
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(f"draft text: {chars} characters; runs: {args.runs} each, alternating")
    print(f"drafter draft      median {m_ours * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"bare python-docx   median {m_bare * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"ratio              {m_ours / m_bare:.2f}x  (target <= 1.50x)")


if __name__ == "__main__":
    main()
