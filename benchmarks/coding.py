"""Benchmark: auto-coding throughput (segments per second), language detection and lemmatisation included.

Usage: python benchmarks/coding.py [N_SEGMENTS]   (default 10,000)

Segments are the respondent turns of a fresh ``cxresearch synth`` set (both
languages, customers and employees; ``distinct_texts`` says how many differ), and the per-token
caches warm up as they would on a real corpus. Prints one JSON line.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def main(n_segments: int = 10_000) -> dict:
    from cxresearch.qual import text as qtext
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.coding import code_segments
    from cxresearch.qual.transcripts import read_interviews
    from cxresearch.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        n_interviews = max(24, n_segments // 4)
        t0 = time.perf_counter()
        synthesize(folder, seed=7, units=24, customers=200, interviews=n_interviews)
        synth_s = time.perf_counter() - t0
        turns = read_interviews(folder / "interviews")
    turns = turns[~turns["is_interviewer"]].head(n_segments).reset_index(drop=True)
    codebook = load_codebook()
    qtext.lemma.cache_clear()
    t0 = time.perf_counter()
    coded = code_segments(turns, codebook)
    seconds = time.perf_counter() - t0
    result = {
        "benchmark": "coding",
        "segments": int(len(turns)),
        "distinct_texts": int(turns["text"].nunique()),
        "seconds": round(seconds, 3),
        "segments_per_second": round(len(turns) / seconds, 1),
        "codes_applied": int(len(coded)),
        "synth_seconds": round(synth_s, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(main(n)))
