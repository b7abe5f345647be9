#!/usr/bin/env python3
"""Writes tests/corpus/stream_groups.redis: consumer groups (XGROUP, XREADGROUP, XACK,
XPENDING, XCLAIM, XAUTOCLAIM, XINFO) with their options and errors, lag and entries-read
through deletions and trims, and radix-tree node counts. Only replies that don't depend on
the time: idle times and delivery times differ between two servers, so extended XPENDING,
XINFO CONSUMERS and XINFO STREAM FULL are left to the native tests. Deterministic."""
import random

rng = random.Random(7016)
out = []
def line(s): out.append(s)
def comment(s): out.append(""); out.append("# --- " + s)

out.append("# Stream consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO.")
comment("XGROUP and its errors")
for l in ["XGROUP CREATE nokey g 0", "XGROUP CREATE nokey g $ MKSTREAM", "TYPE nokey", "XLEN nokey", "XINFO GROUPS nokey",
          "XGROUP CREATE nokey g 0 MKSTREAM", "XADD s 1-1 a 1", "XADD s 1-2 b 2", "XADD s 2-0 c 3", "XGROUP CREATE s g 0",
          "XGROUP CREATE s g2 $", "XGROUP CREATE s g3 1-2", "XGROUP CREATE s g4 +", "XGROUP CREATE s g4 -", "XGROUP CREATE s g4 x",
          "XGROUP CREATE s g4 0 ENTRIESREAD", "XGROUP CREATE s g4 0 ENTRIESREAD -2", "XGROUP CREATE s g4 0 ENTRIESREAD x",
          "XGROUP CREATE s g4 0 ENTRIESREAD 1", "XGROUP CREATE s g5 0 ENTRIESREAD -1", "XGROUP CREATE s g6 0 MKSTREAM ENTRIESREAD 2 MKSTREAM",
          "XGROUP CREATE s g7 0 BAD", "XGROUP CREATE s g7 0 MKSTREAM ENTRIESREAD 1 MKSTREAM", "XGROUP CREATE s", "XGROUP CREATE s g7",
          "XGROUP SETID s g7 0", "XGROUP SETID s g3 $", "XGROUP SETID s g3 -", "XGROUP SETID s g3 + ", "XGROUP SETID s g3 +",
          "XGROUP SETID s g3 x", "XGROUP SETID s g3 0 MKSTREAM", "XGROUP SETID s g3 1-1 ENTRIESREAD 1", "XGROUP SETID s g3 0 ENTRIESREAD",
          "XGROUP SETID s g3 0 ENTRIESREAD 1 ENTRIESREAD 2", "XGROUP DESTROY s g7", "XGROUP DESTROY s g5", "XGROUP DESTROY s g5",
          "XGROUP DESTROY nokey2 g", "XGROUP DESTROY s", "XGROUP DESTROY s g x", "XGROUP CREATECONSUMER s g alice",
          "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s nog alice", "XGROUP CREATECONSUMER s g", "XGROUP DELCONSUMER s g bob",
          "XGROUP DELCONSUMER s g alice", "XGROUP DELCONSUMER s nog alice", "XGROUP FOO", "XGROUP", "XGROUP foo bar baz qux",
          "SET str v", "XGROUP CREATE str g 0", "XGROUP CREATE str g 0 MKSTREAM", "XGROUP DESTROY str g", "XINFO GROUPS s",
          "XINFO STREAM s", "XINFO GROUPS str", "XINFO GROUPS missing", "XINFO STREAM missing", "XINFO CONSUMERS s nog",
          "XINFO CONSUMERS missing g", "XINFO", "XINFO FOO s", "XINFO STREAM s FULL COUNT", "XINFO STREAM s FULL COUNT x",
          "XINFO STREAM s PARTIAL", "XINFO STREAM s FULL FOO 1", "XINFO STREAM", "XINFO GROUPS", "XINFO CONSUMERS s"]:
    line(l)

comment("XREADGROUP: new entries, history, NOACK, errors")
for l in ["XREADGROUP GROUP g alice COUNT 1 STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >",
          "XREADGROUP GROUP g alice STREAMS s 0", "XREADGROUP GROUP g bob STREAMS s 0", "XREADGROUP GROUP g bob STREAMS s 1-2",
          "XREADGROUP GROUP g carol STREAMS s 0", "XREADGROUP GROUP g alice COUNT 0 STREAMS s 0", "XREADGROUP GROUP g alice COUNT -5 STREAMS s 0",
          "XPENDING s g", "XINFO GROUPS s", "XREADGROUP GROUP g2 dave NOACK STREAMS s >", "XADD s 3-0 d 4",
          "XREADGROUP GROUP g2 dave NOACK STREAMS s >", "XPENDING s g2", "XINFO GROUPS s",
          "XREADGROUP GROUP nog alice STREAMS s >", "XREADGROUP GROUP g alice STREAMS missing >", "XREADGROUP GROUP g alice STREAMS str >",
          "XREADGROUP GROUP g alice STREAMS s $", "XREADGROUP GROUP g alice STREAMS s", "XREADGROUP GROUP g alice STREAMS s > 0",
          "XREADGROUP GROUP g STREAMS s >", "XREADGROUP COUNT 1 STREAMS s >", "XREADGROUP GROUP g alice COUNT x STREAMS s >",
          "XREADGROUP GROUP g alice BLOCK x STREAMS s >", "XREADGROUP GROUP g alice BLOCK -1 STREAMS s >", "XREADGROUP GROUP g alice FOO STREAMS s >",
          "XREADGROUP GROUP g alice STREAMS s x", "XREADGROUP GROUP g alice STREAMS s -", "XREAD GROUP g alice STREAMS s >",
          "XREAD NOACK STREAMS s 0", "XREAD STREAMS s >", "XREADGROUP GROUP g alice STREAMS s s > >",
          "XREADGROUP GROUP g alice STREAMS s nokey > >", "XGROUP CREATE s2 g $ MKSTREAM", "XADD s2 5-0 x 1",
          "XREADGROUP GROUP g alice STREAMS s s2 > >", "XREADGROUP GROUP g alice STREAMS s s2 0 0", "XREADGROUP GROUP g alice STREAMS s2 s 0-0 >",
          "XPENDING s2 g", "XREADGROUP GROUP g alice BLOCK 0 STREAMS s 0",
          "XREADGROUP group g alice count 1 noack streams s >", "XINFO GROUPS s2", "XREADGROUP GROUP g zed STREAMS s 0",
          "XINFO GROUPS s"]:
    line(l)

comment("XACK")
for l in ["XPENDING s g", "XACK s g 1-1", "XACK s g 1-1", "XACK s g 1-2 2-0 9-9", "XACK s g x", "XACK s g 3-0 x", "XACK s nog 1-1",
          "XACK missing g 1-1", "XACK str g 1-1", "XACK s g", "XACK s g -", "XACK s g 3", "XPENDING s g", "XREADGROUP GROUP g alice STREAMS s 0"]:
    line(l)

comment("XPENDING arguments")
for l in ["XPENDING s", "XPENDING s g - +", "XPENDING s g - + 10 alice bob cat", "XPENDING s g IDLE 5 - + 10 alice extra",
          "XPENDING s g IDLE x - + 10", "XPENDING s g IDLE 5 - +", "XPENDING s g - + x", "XPENDING s g x + 10", "XPENDING s g - x 10",
          "XPENDING s g (- + 10", "XPENDING s g (18446744073709551615-18446744073709551615 + 10", "XPENDING s g - (0-0 10",
          "XPENDING s nog", "XPENDING missing g", "XPENDING str g", "XPENDING s nog - + 10", "XPENDING s g - + 10 nobody",
          "XPENDING s g IDLE 999999999 - + 10", "XPENDING s g IDLE 999999999 - + 10 alice", "XPENDING s g - + 0", "XPENDING s g - + -1",
          "XPENDING s g 9 1 10"]:
    line(l)

comment("XCLAIM")
for l in ["XREADGROUP GROUP g alice STREAMS s >", "XPENDING s g", "XCLAIM s g bob 0 1-1 JUSTID", "XCLAIM s g bob 0 3-0 JUSTID",
          "XPENDING s g", "XCLAIM s g bob 0 3-0", "XCLAIM s g bob 999999999 3-0", "XCLAIM s g carol 0 1-2 FORCE JUSTID",
          "XCLAIM s g carol 0 1-1 2-0 FORCE", "XCLAIM s g carol 0 9-9 FORCE", "XPENDING s g", "XCLAIM s g erin 0 1-1 RETRYCOUNT 7 JUSTID",
          "XCLAIM s g erin 0 1-1 RETRYCOUNT x", "XCLAIM s g erin 0 1-1 IDLE x", "XCLAIM s g erin 0 1-1 TIME x", "XCLAIM s g erin 0 1-1 LASTID x",
          "XCLAIM s g erin 0 1-1 FOO", "XCLAIM s g erin 0 FORCE", "XCLAIM s g erin x 1-1", "XCLAIM s g erin -5 1-1 JUSTID", "XCLAIM s nog erin 0 1-1",
          "XCLAIM missing g erin 0 1-1", "XCLAIM str g erin 0 1-1", "XCLAIM s g erin 0", "XCLAIM s g erin 0 1-1 IDLE", "XCLAIM s g erin 0 1-1 - JUSTID",
          "XCLAIM s g erin 0 1-1 LASTID 50-0 JUSTID", "XINFO GROUPS s", "XCLAIM s g erin 0 1-1 LASTID 10-0 JUSTID", "XINFO GROUPS s",
          "XCLAIM s g frank 0 1-1 1-1 JUSTID", "XCLAIM s g frank 0 1-2 IDLE 999999999999 JUSTID", "XCLAIM s g frank 0 1-2 TIME 1 JUSTID",
          "XCLAIM s g frank 0 1-2 TIME 99999999999999999 JUSTID", "XPENDING s g"]:
    line(l)

comment("XAUTOCLAIM")
for l in ["XAUTOCLAIM s g gina 0 0 COUNT 1", "XAUTOCLAIM s g gina 0 0 COUNT 1 JUSTID", "XAUTOCLAIM s g gina 0 (1-1 COUNT 2 JUSTID",
          "XAUTOCLAIM s g gina 0 - JUSTID", "XAUTOCLAIM s g gina 999999999 0", "XAUTOCLAIM s g gina 0 0 COUNT 0", "XAUTOCLAIM s g gina 0 0 COUNT x",
          "XAUTOCLAIM s g gina 0 0 COUNT -1", "XAUTOCLAIM s g gina 0 0 COUNT 1152921504606846976", "XAUTOCLAIM s g gina 0 0 COUNT 1152921504606846975 JUSTID",
          "XAUTOCLAIM s g gina 0 0 FOO", "XAUTOCLAIM s g gina x 0", "XAUTOCLAIM s g gina 0 x", "XAUTOCLAIM s g gina 0 (18446744073709551615-18446744073709551615",
          "XAUTOCLAIM s nog gina 0 0", "XAUTOCLAIM missing g gina 0 0", "XAUTOCLAIM str g gina 0 0", "XAUTOCLAIM s g gina 0",
          "XAUTOCLAIM s g gina 0 0 COUNT", "XDEL s 1-2", "XAUTOCLAIM s g hal 0 0 COUNT 1 JUSTID", "XPENDING s g",
          "XAUTOCLAIM s g hal 0 0 JUSTID", "XPENDING s g", "XREADGROUP GROUP g gina STREAMS s 0"]:
    line(l)

comment("DELCONSUMER takes its pending entries; DESTROY drops the group")
for l in ["XPENDING s g", "XGROUP DELCONSUMER s g hal", "XPENDING s g", "XGROUP DELCONSUMER s g gina", "XPENDING s g",
          "XINFO GROUPS s", "XGROUP DESTROY s g", "XINFO GROUPS s", "XINFO STREAM s", "DEL s s2 nokey str"]:
    line(l)

comment("lag and entries-read through XDEL, XTRIM, XSETID and SETID")
for l in ["XADD l 1-0 a 1", "XADD l 2-0 a 1", "XADD l 3-0 a 1", "XADD l 4-0 a 1", "XADD l 5-0 a 1",
          "XGROUP CREATE l g 0", "XGROUP CREATE l late $", "XGROUP CREATE l mid 3-0", "XINFO GROUPS l",
          "XREADGROUP GROUP g c COUNT 2 STREAMS l >", "XINFO GROUPS l", "XDEL l 4-0", "XINFO GROUPS l",
          "XREADGROUP GROUP g c COUNT 1 STREAMS l >", "XINFO GROUPS l", "XREADGROUP GROUP g c STREAMS l >", "XINFO GROUPS l",
          "XREADGROUP GROUP mid c STREAMS l >", "XINFO GROUPS l", "XADD l 6-0 a 1", "XINFO GROUPS l", "XTRIM l MAXLEN 2", "XINFO GROUPS l",
          "XINFO STREAM l", "XGROUP SETID l late 0", "XINFO GROUPS l", "XGROUP SETID l late 0 ENTRIESREAD 0", "XINFO GROUPS l",
          "XGROUP SETID l late 5-0 ENTRIESREAD 3", "XINFO GROUPS l", "XGROUP SETID l late $", "XINFO GROUPS l",
          "XSETID l 10-0 ENTRIESADDED 10 MAXDELETEDID 9-0", "XINFO GROUPS l", "XINFO STREAM l", "XREADGROUP GROUP g c STREAMS l >",
          "XADD l 11-0 a 1", "XINFO GROUPS l", "XREADGROUP GROUP late c STREAMS l >", "XINFO GROUPS l", "XDEL l 6-0 11-0",
          "XINFO GROUPS l", "XINFO STREAM l", "XLEN l", "XGROUP CREATE l fresh 0", "XINFO GROUPS l",
          "XREADGROUP GROUP fresh c STREAMS l >", "XGROUP CREATE empty g $ MKSTREAM", "XINFO GROUPS empty", "XINFO STREAM empty",
          "XGROUP CREATE empty2 g 0 MKSTREAM ENTRIESREAD 5", "XINFO GROUPS empty2", "XADD empty2 1-0 a 1", "XINFO GROUPS empty2"]:
    line(l)

comment("a random workload: several consumers, acks, claims, deletions")
ids = []
ms = 100
line("DEL w")
for i in range(60):
    ms += rng.randint(0, 3)
    seq = rng.randint(0, 2)
    nf = rng.randint(1, 3)
    fields = " ".join(f"f{j} {rng.randint(0, 99)}" for j in range(nf))
    line(f"XADD w {ms}-{seq} {fields}")
line("XGROUP CREATE w g1 0")
line("XGROUP CREATE w g2 0 ENTRIESREAD 0")
consumers = ["c1", "c2", "c3"]
for step in range(150):
    r = rng.random()
    g = rng.choice(["g1", "g2"])
    c = rng.choice(consumers)
    if r < 0.3:
        line(f"XREADGROUP GROUP {g} {c} COUNT {rng.randint(1, 6)} STREAMS w >")
    elif r < 0.4:
        line(f"XREADGROUP GROUP {g} {c} COUNT {rng.randint(1, 4)} STREAMS w 0")
    elif r < 0.55:
        picks = " ".join(f"{ms - rng.randint(0, 60)}-{rng.randint(0, 2)}" for _ in range(rng.randint(1, 4)))
        line(f"XACK w {g} {picks}")
    elif r < 0.65:
        picks = " ".join(f"{ms - rng.randint(0, 60)}-{rng.randint(0, 2)}" for _ in range(rng.randint(1, 3)))
        line(f"XCLAIM w {g} {c} 0 {picks} JUSTID")
    elif r < 0.72:
        line(f"XAUTOCLAIM w {g} {c} 0 {ms - rng.randint(0, 60)} COUNT {rng.randint(1, 5)} JUSTID")
    elif r < 0.78:
        line(f"XDEL w {ms - rng.randint(0, 60)}-{rng.randint(0, 2)}")
    elif r < 0.82:
        ms += 1
        line(f"XADD w {ms}-0 new {step}")
    elif r < 0.9:
        line(f"XPENDING w {g}")
    else:
        line("XINFO GROUPS w")
line("XINFO STREAM w")
line("XTRIM w MAXLEN 20")
line("XINFO GROUPS w")
line("XINFO STREAM w")

comment("radix tree nodes as nodes come and go")
line("CONFIG SET stream-node-max-entries 3")
for i in range(1, 80):
    line(f"XADD rx {i * rng.choice([1, 7, 250, 65536, 16777216])}-{rng.randint(0, 300)} a {i}")
    if i % 9 == 0:
        line("XINFO STREAM rx")
line("XINFO STREAM rx")
for n in [70, 50, 33, 20, 7, 1]:
    line(f"XTRIM rx MAXLEN ~ {n}")
    line("XINFO STREAM rx")
line("XTRIM rx MAXLEN 0")
line("XINFO STREAM rx")
line("CONFIG SET stream-node-max-entries 100")

print("\n".join(out))
