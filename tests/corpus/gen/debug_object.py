#!/usr/bin/env python3
"""Writes tests/corpus/debug_object.redis: DEBUG OBJECT and DUMP of values of every type
and encoding — DEBUG OBJECT's serializedlength is the bytes Redis 7.0.15's RDB writer
takes for them, DUMP's payload those bytes (DUMP is left out for hash tables, whose
order comes from Redis's random hash seed):
integers, short and LZF-compressed strings (repetitive, text-like, random), quicklists of
one and several nodes, intsets of each width, hash-table sets, listpack and skip-list
sorted sets, listpack and hash-table hashes, streams with deleted entries, consumer
groups and pending entries. The address and LRU clock are masked by the harness.
Deterministic."""
import random

rng = random.Random(7015)
out = ["# DEBUG OBJECT of every type and encoding (its serializedlength is the value's RDB size)."]
def line(s): out.append(s)
def comment(s): out.append(""); out.append("# --- " + s)
def show(key, dump=True):
    line(f"DEBUG OBJECT {key}")
    if dump:
        line(f"DUMP {key}")
def word(n, alphabet="abcdefghijklmnopqrstuvwxyz"):
    return "".join(rng.choice(alphabet) for _ in range(n))

comment("strings: integers, short, long, repetitive, text-like and random")
line("FLUSHALL")
for v in ["0", "-1", "127", "128", "-129", "32767", "40000", "2147483647", "2147483648",
          "-9223372036854775808", "007", "1.5", "hello", "x" * 20, "x" * 21, "ab" * 50]:
    line(f"SET s {v}")
    show("s")
for n in [21, 30, 64, 100, 300, 1000, 5000, 20000]:
    line(f"SET s {'abcab' * (n // 5)}")
    show("s")
    line(f"SET s {word(n, 'redis ')}".replace("  ", " x").rstrip() + "z")
    show("s")
    line(f"SET s {word(n, 'abcdefghijklmnopqrstuvwxyz0123456789')}")
    show("s")
line("APPEND s more")
show("s")
line("DEBUG OBJECT nosuchkey")
line("DEBUG OBJECT")

comment("lists: one node and several, short and long elements")
for n, size in [(3, 1), (100, 5), (1000, 10), (300, 100), (20, 5000)]:
    line("DEL l")
    for start in range(0, n, 100):
        line("RPUSH l " + " ".join(("e" * size + str(i))[:max(size, 1)] + str(i) for i in range(start, min(n, start + 100))))
    show("l")
line("DEL l")
line("RPUSH l 1 2 3 -5 100000 hello 4095 4096")
show("l")

comment("lists with PLAIN nodes: elements at or over DEBUG QUICKLIST-PACKED-THRESHOLD")
line("DEBUG QUICKLIST-PACKED-THRESHOLD 10b")
line("DEL l")
line("RPUSH l a bb " + "x" * 10 + " c " + "y" * 300 + " " + "z" * 9 + " d")
show("l")
line("MEMORY USAGE l")
line("LRANGE l 0 -1")
line("DEBUG QUICKLIST-PACKED-THRESHOLD 0")
line("DEBUG QUICKLIST-PACKED-THRESHOLD 5gb")
line("DEBUG QUICKLIST-PACKED-THRESHOLD abc")
# (Redis's nodes keep the shape they were built with; the playground works them out from
# the elements and the settings of the moment, so the list is not looked at again here.)

comment("sets: intsets of each width, hash tables")
for vals in [[1, 2, 3], [1, 40000], [1, 3000000000], list(range(300))]:
    line("DEL st")
    line("SADD st " + " ".join(map(str, vals)))
    show("st")
for n in [5, 50, 600]:
    line("DEL st")
    line("SADD st " + " ".join(f"member:{i:05d}:{word(8)}" for i in range(n)))
    show("st", dump=False)

comment("sorted sets: listpacks and skip lists")
for scores in [["1", "2"], ["1.5", "-3", "100000", "0.1", "3.14159", "1e10", "-inf", "+inf"],
               [str(rng.randint(-10**6, 10**6)) for _ in range(100)],
               [str(rng.random()) for _ in range(200)]]:
    line("DEL z")
    line("ZADD z " + " ".join(f"{s} m{i}" for i, s in enumerate(scores)))
    show("z")

comment("hashes: listpacks and hash tables")
for pairs in [[("a", "1")], [("name", "ann"), ("age", "37"), ("city", "x" * 30)],
              [(f"field:{i}", word(10)) for i in range(100)],
              [(f"f{i:04d}", word(20)) for i in range(600)]]:
    line("DEL h")
    line("HSET h " + " ".join(f"{f} {v}" for f, v in pairs))
    show("h", dump=len(pairs) <= 128)
line("HSET h long " + "y" * 100)
show("h", dump=False)
line("DUMP nosuchkey")

comment("streams: nodes, deleted entries, groups, consumers, pending entries")
line("DEL x")
for i in range(1, 251):
    if i % 7 == 0:
        line(f"XADD x {i}-{i % 3} other {i}")
    else:
        line(f"XADD x {i}-{i % 3} field {i} more {word(5)}")
    if i in (1, 2, 100, 101, 250):
        show("x")
line("XDEL x 5-2 6-0 100-1")
show("x")
line("XGROUP CREATE x g1 0")
line("XGROUP CREATE x g2 $")
show("x")
line("XREADGROUP GROUP g1 alice COUNT 3 STREAMS x >")
line("XREADGROUP GROUP g1 bob COUNT 2 STREAMS x >")
line("XGROUP CREATECONSUMER x g2 carol")
# Deliveries and consumers carry the time they happened: DUMP would differ by the clocks.
show("x", dump=False)
line("XTRIM x MAXLEN 150")
show("x", dump=False)

print("\n".join(out))
