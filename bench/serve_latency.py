#!/usr/bin/env python3
"""Measures `framewright serve`: time from saving one subcategory file to the reload event.

Usage: bench/serve_latency.py PROJECT [--binary target/release/framewright] [--runs 30]

PROJECT is a framework project (e.g. made by bench/gen_framework.py on /dev/shm).
The script starts the server on a free port, listens to its event stream, rewrites one
subcategory file per run (a real content change: its first body paragraph), and reports the
median and spread of save -> `reload` event. The file is restored at the end.
"""
import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time


def find_subcategory_files(project):
    content = os.path.join(project, "content")
    for root, _dirs, files in os.walk(content):
        for name in files:
            if name.endswith(".md") and name != "_index.md":
                yield os.path.join(root, name)


def open_events(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__framewright/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return sock.makefile("rb")


def next_event(stream):
    name = None
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("event stream closed")
        line = line.decode().rstrip("\r\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line == "" and name:
            return name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project")
    parser.add_argument("--binary", default="target/release/framewright")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    server = subprocess.Popen([args.binary, "serve", args.project, "--port", "0"],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    port = None
    started = time.time()
    for line in server.stderr:
        sys.stderr.write(line)
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        server.kill()
        sys.exit("server did not start")
    print(f"server ready after {time.time() - started:.2f} s on port {port}", file=sys.stderr)

    files = sorted(find_subcategory_files(args.project))
    rng = random.Random(7)
    events = open_events(port)
    assert next_event(events) == "hello"
    originals = {}
    samples = []
    try:
        for run in range(args.runs):
            path = rng.choice(files)
            text = originals.setdefault(path, open(path).read())
            head, sep, body = text.partition("\n---\n")
            new = head + sep + f"Edited in run {run}. " + body
            time.sleep(0.2)  # a brisk human pace; lets the previous rebuild settle
            t0 = time.perf_counter()
            with open(path, "w") as handle:
                handle.write(new)
            name = next_event(events)
            elapsed = (time.perf_counter() - t0) * 1000
            if name != "reload":
                raise RuntimeError(f"expected reload, got {name}")
            samples.append(elapsed)
    finally:
        for path, text in originals.items():
            with open(path, "w") as handle:
                handle.write(text)
        time.sleep(0.3)
        server.terminate()
        server.wait()
    samples.sort()
    print(f"save -> reload over {len(samples)} edits: median {statistics.median(samples):.1f} ms, "
          f"min {samples[0]:.1f} ms, p90 {samples[int(len(samples) * 0.9) - 1]:.1f} ms, max {samples[-1]:.1f} ms")


if __name__ == "__main__":
    main()
