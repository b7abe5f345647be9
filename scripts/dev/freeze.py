#!/usr/bin/env python3
"""Freeze the replies of real Redis for a list of command lines into our test-script
format (`> command` then the exact redis-cli --no-raw output). For writing native tests
of time-independent behaviour; review the output before committing it.

usage: freeze.py PORT < commands.txt > script.txt
Lines starting with '#' are copied as comments. Don't use MULTI here (markers would be
queued); write transaction scripts by hand.
"""
import subprocess, sys

port = sys.argv[1]
lines = [l.rstrip("\n") for l in sys.stdin]
subprocess.run(["redis-cli", "-p", port, "FLUSHALL"], check=True, capture_output=True)
stream = []
for i, l in enumerate(lines):
    if not l.strip() or l.startswith("#"):
        continue
    stream.append(l)
    stream.append('ECHO "@@%d@@"' % i)
out = subprocess.run(["redis-cli", "-p", port, "--no-raw"], input="\n".join(stream) + "\n",
                     capture_output=True, text=True).stdout.split("\n")
chunks, cur = {}, []
for o in out:
    if o.startswith('"@@') and o.endswith('@@"'):
        chunks[int(o[3:-3])] = cur
        cur = []
    else:
        cur.append(o)
for i, l in enumerate(lines):
    if not l.strip():
        print()
    elif l.startswith("#"):
        print(l)
    else:
        print("> " + l)
        body = "\n".join(chunks.get(i, []))
        print(body)
