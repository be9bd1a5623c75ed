#!/usr/bin/env python3
"""Times commands in alternation (A B A B ...) and reports each one's median wall time and
peak resident memory, and the ratio of the first command's median to the others'.

    bench/alternate.py --runs 7 --warmup 1 -- 'framewright build ...' 'hugo ...'

Alternating runs share whatever the machine is doing at the time, which a block of runs
of one command and then a block of the other does not. Commands are split on spaces (no
shell), so a run is timed without a shell's start-up.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall seconds, peak resident memory (bytes) and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {command}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--json", help="also write the medians (seconds, bytes) to this file")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    times = {c: [] for c in args.commands}
    cpus = {c: [] for c in args.commands}
    peaks = {c: [] for c in args.commands}
    for _ in range(args.warmup):
        for command in args.commands:
            run(command)
    for _ in range(args.runs):
        for command in args.commands:
            wall, peak, cpu = run(command)
            times[command].append(wall)
            cpus[command].append(cpu)
            peaks[command].append(peak)
    first = args.commands[0]
    for command in args.commands:
        median = statistics.median(times[command])
        print(
            f"  {os.path.basename(command.split()[0]):12} median {median:.3f} s"
            f" (min {min(times[command]):.3f}, max {max(times[command]):.3f}),"
            f" peak memory {max(peaks[command]) / 1e6:.0f} MB (median {statistics.median(peaks[command]) / 1e6:.0f}),"
            f" CPU {statistics.median(cpus[command]):.3f} s"
        )
    if args.json:
        import json

        with open(args.json, "w") as out:
            json.dump(
                [
                    {"command": c, "median": statistics.median(times[c]), "peak": max(peaks[c])}
                    for c in args.commands
                ],
                out,
            )
    for command in args.commands[1:]:
        ratio = statistics.median(times[first]) / statistics.median(times[command])
        print(f"  ratio {os.path.basename(first.split()[0])}/{os.path.basename(command.split()[0])} {ratio:.3f}")


if __name__ == "__main__":
    main()
