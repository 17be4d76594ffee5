"""Benchmark: `drafter draft` latency against a bare python-docx script writing the same paragraphs.

Both run as fresh processes, alternately, median of N runs each; prints wall and CPU time (user + system,
steadier on a shared machine) and the ratios (target <= 1.6x). ``--compare SRC`` also runs the drafter of
another source tree (a checkout or ``git archive`` of an older commit, put first on PYTHONPATH; its own
cache folder) in the same alternation: before/after figures from one run.
Usage: python bench/bench_draft.py [--runs 7] [--bank DIR] [--compare SRC]
"""

from __future__ import annotations

import argparse
import os
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


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode('utf-8', 'replace') if proc.stderr else ''}"
        )
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bank", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None, help="another source tree to time alongside")
    args = parser.parse_args()
    drafter = str(Path(sys.executable).parent / "drafter")
    if not Path(drafter).exists():
        drafter = shutil.which("drafter") or "drafter"
    base = [drafter, "draft", "-y", "2026", "-l", "汉中市", "--level", "市"]
    if args.bank:
        base += ["--bank", str(args.bank.resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # Bytecode as an installed package has it: with PYTHONDONTWRITEBYTECODE set, every module edited
        # since its last .pyc (or a tree that never had one) would be compiled again on every run.
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        envs: dict[str, dict[str, str]] = {"drafter draft": plain}
        if args.compare:
            envs["compared tree"] = {
                **plain,
                "PYTHONPATH": str(args.compare.resolve()),
                "XDG_CACHE_HOME": str(
                    work / "compared-cache"
                ),  # its own load cache (another code fingerprint)
            }
        for env in envs.values():  # warm the caches
            subprocess.run(
                [*base, "--format", "txt", "-o", "same.txt", "--force"],
                cwd=work,
                env=env,
                check=True,
                capture_output=True,
            )
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*envs, "bare python-docx"]}
        for _ in range(args.runs):
            for name, env in envs.items():
                times[name].append(_timed([*base, "-o", "ours.docx", "--force"], work, env))
            times["bare python-docx"].append(
                _timed([sys.executable, "bare.py", "same.txt", "bare.docx"], work)
            )
        chars = len((work / "same.txt").read_text(encoding="utf-8"))
    print(f"draft text: {chars} characters; runs: {args.runs} each, alternating")
    bare_wall = statistics.median(w for w, _ in times["bare python-docx"])
    bare_cpu = statistics.median(c for _, c in times["bare python-docx"])
    for name, rows in times.items():
        wall, cpu = statistics.median(w for w, _ in rows), statistics.median(c for _, c in rows)
        print(
            f"{name:<18} median {wall * 1000:7.1f} ms  (min {min(w for w, _ in rows) * 1000:.1f})"
            f"  cpu {cpu * 1000:7.1f} ms   ratio wall {wall / bare_wall:.2f}x  cpu {cpu / bare_cpu:.2f}x"
        )
    print("target: drafter draft <= 1.60x the bare script")


if __name__ == "__main__":
    main()
