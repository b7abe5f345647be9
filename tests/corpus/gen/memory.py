#!/usr/bin/env python3
"""Writes tests/corpus/memory.redis: MEMORY USAGE of values whose Redis size depends only
on the data — strings of every encoding, key lengths across sds headers, intsets of each
width, listpack hashes and sorted sets (integer and float scores), hash tables grown one
element at a time (rehashing included), lists packed into quicklist nodes, streams with
groups — and MEMORY's arguments and errors. Skip lists are left out: Redis draws their
node levels at random. Deterministic."""
import random

rng = random.Random(7020)
out = ["# MEMORY USAGE where Redis's figure depends only on the data, and MEMORY's errors."]
def line(s): out.append(s)
def comment(s): out.append(""); out.append("# --- " + s)

comment("strings: int, embstr up to 44 bytes, raw past it; keys across sds headers")
line("FLUSHALL")
for n in [0, 1, 5, 20, 43, 44, 45, 60, 100, 1000, 5000]:
    line(f"SET s{n} {'x' * n if n else chr(34) * 2}")
    line(f"MEMORY USAGE s{n}")
for v in ["0", "9999", "10000", "-5", "9223372036854775807", "9223372036854775808", "1.5", "007"]:
    line(f"SET n {v}")
    line("MEMORY USAGE n")
for k in [1, 30, 31, 32, 33, 254, 255, 256]:
    key = "k" * k
    line(f"SET {key} v")
    line(f"MEMORY USAGE {key}")
    line(f"DEL {key}")

comment("intsets of each width")
for vals in [[1, 2, 3], [1, 40000], [1, 3000000000], list(range(100)), list(range(0, 512))]:
    line("DEL is")
    line("SADD is " + " ".join(map(str, vals)))
    line("MEMORY USAGE is")

comment("hash tables grown one member at a time: each add or lookup moves one bucket of a rehash, so a table that has just doubled is surely under way and one more lookup after n/2 - 1 adds surely finishes it (without it, how far it got depends on Redis's random hash seed)")
for n in [1, 3, 4, 5, 8, 9, 16, 17, 32, 33, 64, 65, 128, 129, 256]:
    line("DEL ht")
    for i in range(n):
        line(f"SADD ht member:{i:04d}")
    if n >= 8 and (n - 1) & (n - 2):
        line("SISMEMBER ht member:0000")
    line("MEMORY USAGE ht")
    line("MEMORY USAGE ht SAMPLES 0")
    line("MEMORY USAGE ht SAMPLES 1")

comment("listpack hashes and sorted sets")
for pairs in [[("a", "1")], [("f", "hello"), ("g", "123456"), ("h", "-1")], [(f"field{i}", "v" * i) for i in range(30)]]:
    line("DEL h")
    line("HSET h " + " ".join(f"{f} {v}" for f, v in pairs))
    line("MEMORY USAGE h")
for scores in [["1", "2"], ["1.5", "-3", "100000"], ["0.1", "3.14159", "1e10", "-inf", "+inf"], [str(rng.randint(-10**6, 10**6)) for _ in range(50)]]:
    line("DEL z")
    line("ZADD z " + " ".join(f"{s} m{i}" for i, s in enumerate(scores)))
    line("MEMORY USAGE z")

comment("hash tables of hashes")
for n in [129, 300, 600]:
    line("DEL hh")
    line("HSET hh " + " ".join(f"f{i:04d} v{i:04d}" for i in range(n)))
    line("MEMORY USAGE hh")
    line("MEMORY USAGE hh SAMPLES 0")
line("CONFIG SET hash-max-listpack-entries 4")
line("DEL hh")
for i in range(10):
    line(f"HSET hh f{i} v{i}")
line("MEMORY USAGE hh SAMPLES 0")
line("CONFIG SET hash-max-listpack-entries 512")

comment("lists in quicklist nodes")
for n, size in [(3, 1), (100, 10), (1000, 10), (5000, 3), (300, 100), (50, 5000)]:
    line("DEL l")
    for start in range(0, n, 100):
        line("RPUSH l " + " ".join(("e" * size + str(i))[:max(size, 1)] for i in range(start, min(n, start + 100))))
    line("MEMORY USAGE l")
    line("MEMORY USAGE l SAMPLES 0")

comment("streams and their groups")
line("DEL x")
for i in range(1, 251):
    line(f"XADD x {i}-0 field {i}")
    if i in (1, 2, 99, 100, 101, 250):
        line("MEMORY USAGE x")
line("MEMORY USAGE x SAMPLES 0")
line("MEMORY USAGE x SAMPLES 1")
line("XGROUP CREATE x g 0")
line("MEMORY USAGE x")
line("XREADGROUP GROUP g alice COUNT 10 STREAMS x >")
line("XGROUP CREATECONSUMER x g bob")
line("MEMORY USAGE x")
line("CONFIG SET stream-node-max-bytes 100")
line("DEL y")
for i in range(1, 20):
    line(f"XADD y {i}-0 a {i}")
line("MEMORY USAGE y")
line("CONFIG SET stream-node-max-bytes 4096")

comment("arguments and errors")
for l in ["MEMORY USAGE nokey", "MEMORY USAGE s1 SAMPLES", "MEMORY USAGE s1 SAMPLES -1", "MEMORY USAGE s1 SAMPLES x",
          "MEMORY USAGE s1 FOO", "MEMORY USAGE s1 samples 3 samples 0", "MEMORY USAGE", "MEMORY", "MEMORY FOO",
          "MEMORY PURGE", "MEMORY PURGE x", "MEMORY DOCTOR x", "MEMORY USAGE s1 SAMPLES 9223372036854775807"]:
    line(l)
line("FLUSHALL")
print("\n".join(out))
