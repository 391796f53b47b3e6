"""Provides the log triage benchmark: a generated CloudFront log of a million lines, parsed and triaged.

Run: `python bench/log_triage.py [--lines N] [--plain] [--keep] [--tracemalloc] [--file PATH]`

It writes a realistic standard log (gzip, like CloudFront delivers; a #Version/#Fields header every
50,000 lines as in concatenated files; cache hits, misses, 404s, ~2% 504 OriginError at ~10 s and a
few OriginConnectError at ~30 s) into a temporary file, then times reading the lines alone and
reading + parsing + triage, and prints lines per second and peak memory. Then, on the same file in
the same run: `zcat | awk` computing the same counts (status, result type, detailed result type,
Origin* errors, requests ≥ 9.5 s, failing paths), and what `edgewiz logs` runs (cloudfront_fast,
the pure block counter; cloudfront_columnar, pyarrow + isal, when edgewiz[fast-logs] is installed;
and the whole `edgewiz logs` command), each with its CPU time, peak RSS and ratio. It prints figures
only: no assertion on time, and it stops by itself.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import shutil
import subprocess
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


# The counts `edgewiz logs` prints, in awk: status, x-edge-result-type, x-edge-detailed-result-type,
# Origin* errors, time-taken ≥ 9.5 s, and the failing paths (5xx or Origin*), top 5.
AWK = r"""
!/^#/ { status[$9]++; result[$14]++; detailed[$29]++
        failed = ($9 ~ /^5/); if ($29 ~ /Origin/) { origin++; failed = 1 }
        if ($19 + 0 >= 9.5) slow++
        if (failed) paths[$8]++ }
END { for (k in status) print "status", k, status[k]; for (k in result) print "result", k, result[k]
      for (k in detailed) print "detailed", k, detailed[k]; print "origin", origin + 0; print "slow", slow + 0
      for (k in paths) print paths[k], k | "sort -rn | head -5" }
"""


def _child_run(argv, shell: bool = False):
    """(wall seconds, CPU seconds of every process it ran, peak RSS MiB of the largest, output).

    os.wait4 gives this child's own usage (with the processes it waited for): RUSAGE_CHILDREN's
    peak would be the largest of every child so far, so one heavy run would show in all after it."""
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, shell=shell, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read()
    child.stdout.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, argv)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def compare_with_awk(path: str, gz: bool, rounds: int = 3) -> None:
    """`zcat | awk` against `edgewiz logs`' engine on the same file, each in its own process, taking
    turns `rounds` times (the fastest of each is printed: other load on the machine only slows)."""
    if not shutil.which("awk"):
        print("awk not found: no side-by-side")
        return
    reader = f"zcat {path}" if gz else f"cat {path}"
    runs = {"awk": [], "fast": [], "columnar": [], "cli": []}
    engine = ("import sys, time; sys.path.insert(0, sys.argv[1]); "
              "from wizard.analysis.logs.cloudfront_fast import triage_cloudfront_blocks; "
              "from wizard.logsource import open_lines; "
              "t = time.perf_counter(); s = triage_cloudfront_blocks(open_lines(sys.argv[2]).blocks()); "
              "print(time.perf_counter() - t, s.origin_errors)")
    # What `edgewiz logs` runs on a large local file when edgewiz[fast-logs] is installed.
    columnar = ("import sys, time; sys.path.insert(0, sys.argv[1]); "
                "from wizard.commands.logs_cmd import triage_local; "
                "t = time.perf_counter(); s = triage_local(sys.argv[2]); "
                "print(time.perf_counter() - t, s.origin_errors)")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    sys.path.insert(0, root)
    from wizard.analysis.logs.cloudfront_columnar import available

    if not available():
        del runs["columnar"]
        print("pyarrow not installed (pip install 'edgewiz[fast-logs]'): no columnar figures")
    for _ in range(rounds):
        runs["awk"].append(_child_run(f"{reader} | awk -F'\\t' '{AWK}'", shell=True))
        runs["fast"].append(_child_run([sys.executable, "-c", engine, root, path]))
        if "columnar" in runs:
            runs["columnar"].append(_child_run([sys.executable, "-c", columnar, root, path]))
        runs["cli"].append(_child_run([sys.executable, "-m", "wizard", "logs", path]))
    best = {key: min(value, key=lambda run: run[0]) for key, value in runs.items()}
    awk_s, awk_cpu, _rss, awk_out = best["awk"]
    awk_origin = next((line.split()[1] for line in awk_out.splitlines() if line.startswith("origin ")), "?")
    print(f"zcat | awk               : {awk_s:5.2f} s wall, {awk_cpu:5.2f} s CPU (origin errors {awk_origin})")
    for key, label in (("fast", "block counter (pure)"), ("columnar", "pyarrow + isal"),
                       ("cli", "`edgewiz logs` (all)")):
        if key not in best:
            continue
        wall, cpu, rss, out = best[key]
        origin = out.split()[1] if key != "cli" else "-"
        print(f"{label:<25}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, peak RSS {rss:.0f} MiB (origin errors {origin}): "
              f"{awk_s / wall:.2f}× the speed of zcat | awk")


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
    parser.add_argument("--file", help="use this generated file (kept) instead of writing a new one")
    parser.add_argument("--awk-only", action="store_true", help="only the side-by-side with zcat | awk")
    args = parser.parse_args(argv)

    if args.file:
        path = args.file
        args.keep = True
        args.plain = not path.endswith(".gz")
    else:
        handle, path = tempfile.mkstemp(suffix=".log" if args.plain else ".log.gz", prefix="edgewiz-bench-")
        os.close(handle)
    try:
        if not args.file:
            t0 = time.perf_counter()
            generate(path, args.lines, args.plain)
            print(f"generated {args.lines:,} lines ({os.path.getsize(path) / 2**20:.1f} MiB "
                  f"{'plain' if args.plain else 'gzip'}) in {time.perf_counter() - t0:.1f} s: {path}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{os.cpu_count()} CPU(s), load average {load:.1f}")
        compare_with_awk(path, not args.plain)
        if args.awk_only:
            return 0
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
