#!/usr/bin/env python3
"""Writes tests/corpus/stream.redis: stream lines with explicit ids (a `*` id is the time,
which differs between two servers), every XADD/XTRIM option, ranges, deletions, and node
boundaries that approximate trimming depends on. Deterministic."""
import random, sys

rng = random.Random(7015)
out = []
def line(s): out.append(s)
def comment(s): out.append(""); out.append("# --- " + s)

out.append("# Streams: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID — ids, options, nodes, errors.")
comment("XADD and the ids it accepts")
for l in ["XADD s 1-1 a 1", "XADD s 1-1 a 1", "XADD s 1-0 a 1", "XADD s 1-2 a 1 b 2", "XADD s 2 c 3",
          "XADD s 2-* d 4", "XADD s 2-* d 5", "XADD s 1-* e 6", "XADD s 5-* e 6", "XADD s 0-0 a 1", "XADD s 0 a 1",
          "XADD new 0-0 a 1", "EXISTS new", "XADD new 0-1 a 1", "XADD s 18446744073709551615-18446744073709551614 z 1",
          "XADD s 18446744073709551615-* z 2", "XADD s 18446744073709551615-* z 3", "XADD s 18446744073709551615-18446744073709551615 z 1",
          "XADD s * z 1", "XLEN s", "TYPE s", "OBJECT ENCODING s",
          "XADD s2 18446744073709551616-0 a 1", "XADD s2 1-18446744073709551616 a 1", "XADD s2 -1 a 1", "XADD s2 1-x a 1",
          "XADD s2 x a 1", "XADD s2 1- a 1", "XADD s2 - a 1", "XADD s2 + a 1", "XADD s2 1-1", "XADD s2 1-1 a",
          "XADD s2 1-1 a 1 b", "XADD s2", "XADD s2 1-1 a 1 b 2 c 3", "XRANGE s2 - +",
          "XADD s2 NOMKSTREAM 2-1 a 1", "XADD nomk NOMKSTREAM * a 1", "EXISTS nomk", "XADD nomk NOMKSTREAM 1-1 a 1",
          "XADD s2 \"\" a 1", "XADD s2 01-1 a 1", "XADD s2 +5-1 a 1", "XADD s2 \" 5-1\" a 1", "XADD s2 5-01 a 1",
          "XADD s2 9-1 \"\" \"\"", "XRANGE s2 9 9", "SET str v", "XADD str 1-1 a 1", "XLEN str", "XRANGE str - +",
          "XADD s2 MAXLEN", "XADD s2 MAXLEN 1", "XADD s2 MAXLEN 1 20-1 a 1", "XRANGE s2 - +", "XADD s2 MAXLEN -1 21-1 a 1",
          "XADD s2 MAXLEN x 21-1 a 1", "XADD s2 MAXLEN = 5 21-1 a 1", "XADD s2 MAXLEN ~ 5 22-1 a 1", "XADD s2 MINID 10 23-1 a 1",
          "XADD s2 MAXLEN 5 MINID 10 24-1 a 1", "XADD s2 MINID 10 MAXLEN 5 24-1 a 1", "XADD s2 LIMIT 10 24-1 a 1",
          "XADD s2 MAXLEN 5 LIMIT 10 24-1 a 1", "XADD s2 MAXLEN ~ 5 LIMIT 10 24-1 a 1", "XADD s2 MAXLEN ~ 5 LIMIT -1 25-1 a 1",
          "XADD s2 MAXLEN ~ 5 LIMIT x 25-1 a 1", "XADD s2 MINID + 25-1 a 1", "XADD s2 MINID - 25-1 a 1", "XADD s2 MINID x 25-1 a 1",
          "XADD s2 maxlen = 0 26-1 a 1", "XLEN s2", "EXISTS s2", "XRANGE s2 - +", "XADD s2 nomkstream maxlen ~ 1 27-1 a 1"]:
    line(l)

comment("XRANGE / XREVRANGE")
for i in range(1, 21):
    fields = " ".join(f"f{j} {rng.randint(0, 999)}" for j in range(rng.randint(1, 3)))
    line(f"XADD r {i}-{rng.randint(0, 2)} {fields}")
for l in ["XRANGE r - +", "XREVRANGE r + -", "XRANGE r 5 10", "XRANGE r 5-1 10-0", "XRANGE r (5-0 (10-2",
          "XRANGE r - + COUNT 3", "XRANGE r - + COUNT 0", "XRANGE r - + COUNT -1", "XRANGE r - + COUNT x",
          "XRANGE r - + COUNT 3 COUNT 5", "XRANGE r - + COUNT", "XRANGE r - + LIMIT 3", "XREVRANGE r + - COUNT 4",
          "XREVRANGE r 10 5", "XREVRANGE r (10 (5", "XRANGE r 10 5", "XRANGE r (- +", "XRANGE r - (+", "XRANGE r ( +",
          "XRANGE r (0-0 +", "XRANGE r - (0-0", "XRANGE r (18446744073709551615-18446744073709551615 +",
          "XRANGE r 18446744073709551615 +", "XRANGE r x +", "XRANGE r - x", "XRANGE nokey - +", "XREVRANGE nokey + -",
          "XRANGE r 3-18446744073709551615 4", "XRANGE r 1 1", "XRANGE r -1 +", "XRANGE r 1-2-3 +", "XRANGE str - +",
          "XLEN r", "XLEN nokey"]:
    line(l)

comment("XDEL")
for l in ["XDEL r 1-0 1-1 1-2 2-0 2-1 2-2", "XLEN r", "XRANGE r - + COUNT 3", "XDEL r 99-0", "XDEL r x",
          "XDEL r 3-0 x", "XDEL r 3", "XDEL r -", "XDEL r +", "XDEL nokey 1-1", "XDEL str 1-1", "XDEL r"]:
    line(l)
for i in range(1, 21):
    line(f"XDEL r {i}-0 {i}-1 {i}-2")
line("XLEN r")
line("EXISTS r")
line("XRANGE r - +")
line("XADD r 1-1 a 1")
line("XADD r 21-0 a 1")
line("XRANGE r - +")

comment("nodes: a hundred entries each, and 4096 bytes")
for i in range(1, 351):
    line(f"XADD n {i}-0 field value{i}")
line("XLEN n")
for l in ["XTRIM n MAXLEN ~ 300", "XLEN n", "XTRIM n MAXLEN ~ 200", "XLEN n", "XRANGE n - + COUNT 2",
          "XTRIM n MAXLEN ~ 199", "XLEN n", "XTRIM n MAXLEN 190", "XLEN n", "XRANGE n - + COUNT 2",
          "XTRIM n MAXLEN ~ 100", "XLEN n", "XRANGE n - + COUNT 2", "XTRIM n MINID ~ 320", "XLEN n",
          "XTRIM n MINID 320", "XLEN n", "XRANGE n - + COUNT 2", "XTRIM n MINID = 330", "XLEN n",
          "XTRIM n MAXLEN = 0", "XLEN n", "EXISTS n", "XRANGE n - +", "XADD n 400-0 a 1", "XRANGE n - +"]:
    line(l)
comment("big values fill a node by bytes")
for i in range(1, 61):
    line(f"XADD b {i}-0 data {'x' * 200}")
for l in ["XTRIM b MAXLEN ~ 50", "XLEN b", "XTRIM b MAXLEN ~ 30", "XLEN b", "XTRIM b MAXLEN ~ 10", "XLEN b",
          "XTRIM b MAXLEN ~ 0", "XLEN b"]:
    line(l)
comment("trimming with LIMIT, and at XADD")
for i in range(1, 501):
    line(f"XADD t {i}-0 k {i}")
for l in ["XTRIM t MAXLEN ~ 0 LIMIT 150", "XLEN t", "XTRIM t MAXLEN ~ 0 LIMIT 99", "XLEN t", "XTRIM t MAXLEN ~ 0 LIMIT 0",
          "XLEN t", "XTRIM t MINID ~ 450 LIMIT 1000", "XLEN t", "XTRIM t MAXLEN 10 LIMIT 5", "XTRIM t",
          "XTRIM t MAXLEN", "XTRIM t LIMIT 5", "XTRIM t FOO", "XTRIM t MAXLEN 10 NOMKSTREAM", "XTRIM t MAXLEN 10 5-1",
          "XTRIM nokey MAXLEN 1", "XTRIM nokey MAXLEN x", "XTRIM str MAXLEN 1", "XTRIM t MINID 18446744073709551615",
          "XLEN t", "EXISTS t"]:
    line(l)
for i in range(1, 251):
    line(f"XADD u MAXLEN ~ 120 {i}-0 k {i}")
line("XLEN u")
for i in range(251, 301):
    line(f"XADD u MAXLEN 120 {i}-0 k {i}")
line("XLEN u")
line("XRANGE u - + COUNT 1")
for i in range(301, 352):
    line(f"XADD u MINID ~ 260 {i}-0 k {i}")
line("XLEN u")

comment("entries with different fields (not the node's master fields)")
for l in ["XADD m 1-0 a 1 b 2", "XADD m 2-0 a 1 b 2", "XADD m 3-0 b 2 a 1", "XADD m 4-0 a 1", "XADD m 5-0 a 1 b 2 c 3",
          "XRANGE m - +", "XDEL m 1-0", "XRANGE m - +", "XTRIM m MINID 3", "XRANGE m - +"]:
    line(l)

comment("XSETID")
for l in ["XADD x 5-5 a 1", "XSETID x 5-4", "XSETID x 5-5", "XSETID x 10-0", "XADD x 9-0 a 1", "XADD x 10-* a 1",
          "XSETID x 11-0 ENTRIESADDED 1", "XSETID x 11-0 ENTRIESADDED 5", "XSETID x 11-0 ENTRIESADDED -1",
          "XSETID x 11-0 MAXDELETEDID 12-0", "XSETID x 11-0 MAXDELETEDID 10-0", "XSETID x 11-0 ENTRIESADDED",
          "XSETID x 11-0 FOO", "XSETID nokey 1-1", "XSETID str 1-1", "XSETID x x", "XSETID x -", "XSETID x +",
          "XDEL x 5-5 10-1", "XLEN x", "XSETID x 1-0", "XSETID x 1-0 ENTRIESADDED 0", "XADD x 2-0 a 1"]:
    line(l)

comment("keyspace commands on streams")
for l in ["XADD k 1-1 a 1 b 2", "RENAME k k2", "XRANGE k2 - +", "COPY k2 k3", "XRANGE k3 - +", "XADD k3 2-0 c 3",
          "XLEN k2", "XLEN k3", "EXPIRE k3 100", "TTL k3", "MOVE k3 1", "SELECT 1", "XRANGE k3 - +", "SELECT 0",
          "DEL k2", "EXISTS k2", "XADD e 1-1 a 1", "XDEL e 1-1", "XLEN e",
          "EXISTS e", "TYPE e", "XRANGE e - +", "XADD e 1-1 a 1", "XADD e 1-2 a 1", "XLEN e", "XADD e 1-3 a 1"]:
    line(l)

comment("XREAD without waiting")
for l in ["XADD ra 1-1 a 1", "XADD ra 2-1 b 2", "XADD ra 3-1 c 3", "XADD rb 1-5 x 9",
          "XREAD STREAMS ra 0", "XREAD STREAMS ra 1-1", "XREAD STREAMS ra 3-1", "XREAD STREAMS ra $",
          "XREAD COUNT 1 STREAMS ra 0", "XREAD COUNT 0 STREAMS ra 0", "XREAD COUNT -5 STREAMS ra 0",
          "XREAD STREAMS ra rb 0 0", "XREAD STREAMS ra rb 3-1 0", "XREAD STREAMS ra rb $ $", "XREAD STREAMS ra nokey 0 0",
          "XREAD STREAMS nokey $", "XREAD BLOCK 10 STREAMS ra 0", "XREAD BLOCK 0 COUNT 2 STREAMS ra rb 1 1-4",
          "XREAD STREAMS ra", "XREAD STREAMS ra rb 0", "XREAD STREAMS", "XREAD COUNT 1", "XREAD ra 0",
          "XREAD STREAMS ra >", "XREAD STREAMS ra +", "XREAD STREAMS ra -", "XREAD STREAMS ra x",
          "XREAD BLOCK -1 STREAMS ra 0", "XREAD BLOCK x STREAMS ra 0", "XREAD BLOCK 1.5 STREAMS ra 0",
          "XREAD COUNT x STREAMS ra 0", "XREAD GROUP g c STREAMS ra 0", "XREAD NOACK STREAMS ra 0",
          "XREAD FOO STREAMS ra 0", "XREAD STREAMS str 0", "XREAD STREAMS ra str 0 0",
          "XREAD COUNT 1 COUNT 2 STREAMS ra 0", "XREAD STREAMS ra 18446744073709551615-18446744073709551615",
          "XDEL ra 3-1", "XREAD STREAMS ra 2-1", "XREAD STREAMS ra 2", "XREAD streams ra 0-0",
          "MULTI", "XREAD BLOCK 0 STREAMS ra $", "XREAD BLOCK 0 STREAMS ra 0", "EXEC"]:
    line(l)

comment("stream-node-max-entries / -bytes")
for l in ["CONFIG GET stream-node-max-entries", "CONFIG GET stream-node-max-bytes", "CONFIG SET stream-node-max-entries 10", "CONFIG SET stream-node-max-bytes 0"]:
    line(l)
for i in range(1, 36):
    line(f"XADD c {i}-0 k {i}")
for l in ["XTRIM c MAXLEN ~ 12", "XLEN c", "CONFIG SET stream-node-max-entries 0", "CONFIG SET stream-node-max-bytes 100"]:
    line(l)
for i in range(1, 36):
    line(f"XADD d {i}-0 key value{i}")
for l in ["XTRIM d MAXLEN ~ 12", "XLEN d", "CONFIG SET stream-node-max-entries -1", "CONFIG SET stream-node-max-entries x",
          "CONFIG SET stream-node-max-bytes 1kb", "CONFIG GET stream-node-max-entries", "CONFIG GET stream-node-max-bytes", "CONFIG SET stream-node-max-bytes 4096",
          "CONFIG SET stream-node-max-entries 100"]:
    line(l)

sys.stdout.write("\n".join(out) + "\n")
