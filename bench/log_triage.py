"""Provides the log triage benchmark: a generated CloudFront log of a million lines, parsed and triaged.

Run: `python bench/log_triage.py [--lines N] [--plain] [--keep] [--tracemalloc]`

It writes a realistic standard log (gzip, like CloudFront delivers; a #Version/#Fields header every
50,000 lines as in concatenated files; cache hits, misses, 404s, ~2% 504 OriginError at ~10 s and a
few OriginConnectError at ~30 s) into a temporary file, then times reading the lines alone and
reading + parsing + triage, and prints lines per second and peak memory. It prints figures only:
no assertion on time, and it stops by itself.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS, parse_cloudfront  # noqa: E402
from wizard.analysis.logs.log_triage import triage_cloudfront  # noqa: E402
from wizard.logsource import open_lines  # noqa: E402

_HEADER = "#Version: 1.0\n#Fields: " + " ".join(DEFAULT_FIELDS) + "\n"
_EDGES = ["NRT20-P2", "NRT57-C1", "KIX56-P1", "SEA19-C2", "IAD89-C3", "FRA56-P5", "SIN2-C1", "LAX50-C1"]
_AGENTS = [
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
    "%20Chrome/126.0.0.0%20Safari/537.36",
    "Mozilla/5.0%20(iPhone;%20CPU%20iPhone%20OS%2017_5%20like%20Mac%20OS%20X)%20AppleWebKit/605.1.15%20"
    "(KHTML,%20like%20Gecko)%20Version/17.5%20Mobile/15E148%20Safari/604.1",
    "Mozilla/5.0%20(compatible;%20bingbot/2.0;%20+http://www.bing.com/bingbot.htm)",
    "curl/8.4.0",
]
# Viewer addresses: what c-ip holds (viewers, never CloudFront edges).
_VIEWERS = [f"{(54, 157, 203, 198)[i % 4]}.{(i * 7) % 256}.{(i * 13) % 256}.{i % 254 + 1}" for i in range(4096)]
_ASSETS = [f"/assets/application-{h:08x}.js" for h in range(8)] + [f"/images/p{i}.webp" for i in range(40)]


def _line(rng: random.Random, second: int) -> str:
    roll = rng.random()
    path = _ASSETS[int(roll * 7919) % len(_ASSETS)]
    status, result, detailed, taken = "200", "Hit", "Hit", 0.001 + rng.random() * 0.004
    if roll < 0.020:
        path = f"/company/{int(roll * 25000)}"
        status, result, detailed, taken = "504", "Error", "OriginError", 10.0 + rng.random() * 0.05
    elif roll < 0.023:
        path = f"/job/{int(roll * 66000) % 2000}"
        status, result, detailed, taken = "502", "Error", "OriginConnectError", 30.0 + rng.random() * 0.1
    elif roll < 0.043:
        path = f"/nope/{int(roll * 15000) % 300}.php"
        status, result, detailed, taken = "404", "Error", "Error", 0.02
    elif roll < 0.045:
        status, result, detailed, taken = "000", "Error", "ClientHungUpRequest", 0.3
    elif roll < 0.30:
        path = f"/job/{int(roll * 7000) % 2000}"
        status, result, detailed, taken = "200", "Miss", "Miss", 0.05 + rng.random() * 0.8
    elif roll < 0.33:
        status, result, detailed, taken = "304", "RefreshHit", "RefreshHit", 0.03
    hh, rem = divmod(second % 86400, 3600)
    mm, ss = divmod(rem, 60)
    query = "-" if roll > 0.2 else "page=2&utm_source=news%20letter"
    return "\t".join((
        "2025-08-28", "%02d:%02d:%02d" % (hh, mm, ss), _EDGES[int(roll * 997) % 8], str(300 + int(roll * 90000)),
        _VIEWERS[rng.getrandbits(12)], "GET", "d111111abcdef8.cloudfront.net", path, status, "https://www.example.com/",
        _AGENTS[int(roll * 1000) % 4], query, "-", result, "%040x==" % rng.getrandbits(160), "www.example.com",
        "https", "512", "%.3f" % taken, "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0", "-", "-",
        str(1024 + rng.getrandbits(15)), "%.3f" % min(taken, 0.9), detailed, "text/html", "4096", "-", "-",
    )) + "\n"


def generate(path: str, lines: int, plain: bool, seed: int = 3) -> None:
    """Write `lines` log entries to `path`, streaming (gzip level 1 unless plain)."""
    rng = random.Random(seed)
    opener = open if plain else (lambda p, m: gzip.open(p, m, compresslevel=1))
    with opener(path, "wt") as out:  # type: ignore[operator]
        for i in range(lines):
            if i % 50_000 == 0:
                out.write(_HEADER)
            out.write(_line(rng, 5 * 3600 + i // 300))


def _rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--plain", action="store_true", help="write plain text instead of gzip")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure Python allocations (slows the timed pass down)")
    args = parser.parse_args(argv)

    handle, path = tempfile.mkstemp(suffix=".log" if args.plain else ".log.gz", prefix="edgewiz-bench-")
    os.close(handle)
    try:
        t0 = time.perf_counter()
        generate(path, args.lines, args.plain)
        gen_s = time.perf_counter() - t0
        size = os.path.getsize(path)
        print(f"generated {args.lines:,} lines ({size / 2**20:.1f} MiB {'plain' if args.plain else 'gzip'}) "
              f"in {gen_s:.1f} s: {path}")
        rss_before = _rss_mib()

        t0, c0 = time.perf_counter(), time.process_time()
        count = sum(1 for _ in open_lines(path))
        read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"read only      : {count:,} lines in {read_s:.2f} s wall / {read_cpu:.2f} s CPU = "
              f"{count / read_s:,.0f} lines/s ({count / read_cpu:,.0f} per CPU-second)")

        if args.tracemalloc:
            tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        parsed = parse_cloudfront(open_lines(path))
        summary = triage_cloudfront(parsed)
        run_s, run_cpu = time.perf_counter() - t0, time.process_time() - c0
        py_peak = None
        if args.tracemalloc:
            py_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        lines = parsed.stats.lines
        print(f"parse + triage : {lines:,} lines in {run_s:.2f} s wall / {run_cpu:.2f} s CPU = "
              f"{lines / run_s:,.0f} lines/s ({lines / run_cpu:,.0f} per CPU-second); "
              f"{summary.records:,} records, {summary.malformed:,} malformed")
        print(f"peak RSS       : {_rss_mib():.1f} MiB (after generating: {rss_before:.1f} MiB)")
        if py_peak is not None:
            print(f"peak Python allocations during parse + triage: {py_peak / 2**20:.1f} MiB (tracemalloc)")
        print("summary        : " + summary.headline())
        for line in summary.evidence()[:4]:
            print("                 " + line)
    finally:
        if args.keep:
            print(f"kept {path}")
        else:
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
