#!/usr/bin/env python3
"""Writes tests/corpus/hyperloglog.redis: HyperLogLog lines whose replies depend on every
register, so a difference in hashing, sparse coding or the estimator shows up.
Deterministic: rerun it and the file does not change."""
import random, sys

rng = random.Random(7015)
out = []
def line(s): out.append(s)
def comment(s): out.append(""); out.append("# --- " + s)

def words(n, prefix):
    return " ".join(f"{prefix}{i}" for i in range(n))

out.append("# HyperLogLog: PFADD, PFCOUNT, PFMERGE, PFDEBUG — sparse and dense bytes, estimates, errors.")
comment("an empty HLL and its bytes")
for l in ["PFADD h", "GET h", "STRLEN h", "OBJECT ENCODING h", "TYPE h", "PFCOUNT h",
          "PFADD h a", "PFADD h a", "GET h", "PFCOUNT h", "GET h", "PFCOUNT h",
          "PFADD h b c d e f g", "PFCOUNT h", "GET h", "PFDEBUG DECODE h", "PFDEBUG ENCODING h",
          "PFADD h", "PFADD missing", "EXISTS missing", "PFCOUNT nothing", "PFCOUNT nothing h",
          "PFADD \"\" \"\"", "PFCOUNT \"\"", "GET \"\""]:
    line(l)

comment("element lengths 0..24 (every MurmurHash tail)")
for n in range(25):
    line(f"PFADD t{n} {'x' * n if n else chr(34) * 2}")
    line(f"PFDEBUG DECODE t{n}")

comment("binary and unicode elements")
line(r'PFADD bin "\x00\x01\xff" "\xe2\x82\xac" "caf\xc3\xa9" " "')
line("PFDEBUG DECODE bin")
line("PFCOUNT bin")

comment("growing sparse: runs split and merge")
for k in range(12):
    line(f"PFADD grow {words(rng.randint(5, 40), f'g{k}-')}")
    line("PFCOUNT grow")
    line("STRLEN grow")
line("PFDEBUG DECODE grow")
line("GET grow")

comment("sparse to dense at hll-sparse-max-bytes (3000)")
for k in range(12):
    line(f"PFADD big {words(150, f'b{k}-')}")
    line("STRLEN big")
    line("PFDEBUG ENCODING big")
    line("PFCOUNT big")
line("GETRANGE big 0 63")
line("GET big")
line("PFDEBUG DECODE big")
line("PFDEBUG TODENSE big")

comment("several thousand elements, dense")
for k in range(8):
    line(f"PFADD d {words(700, f'user:{k}:')}")
    line("PFCOUNT d")
line("STRLEN d")
line("PFDEBUG ENCODING d")
line("GETRANGE d 0 15")
line("GETRANGE d 6000 6100")
line("GET d")

comment("random element sets: counts across sizes")
for size in [1, 3, 10, 33, 100, 250, 500, 1000, 2000]:
    els = " ".join(f"r{rng.getrandbits(40):x}" for _ in range(size))
    line(f"PFADD rs{size} {els}")
    line(f"PFCOUNT rs{size}")
    line(f"PFDEBUG ENCODING rs{size}")

comment("PFCOUNT of several keys, PFMERGE")
line("PFCOUNT rs10 rs100 rs1000")
line("PFCOUNT rs10 rs10")
line("PFCOUNT grow big d")
line("PFMERGE m1 rs10 rs33")
line("GET m1")
line("PFCOUNT m1")
line("PFDEBUG ENCODING m1")
line("PFMERGE m2 rs10 d")
line("PFDEBUG ENCODING m2")
line("PFCOUNT m2")
line("PFMERGE m3")
line("GET m3")
line("PFMERGE m3 nothing")
line("PFCOUNT m3")
line("PFMERGE rs3 rs1")
line("PFCOUNT rs3")
line("GET rs3")
line("PFMERGE m4 grow rs250 rs500")
line("STRLEN m4")
line("PFDEBUG ENCODING m4")
line("PFCOUNT m4")
line("PFMERGE d rs1")
line("PFCOUNT d")

comment("PFDEBUG")
line("PFDEBUG ENCODING rs3")
line("PFDEBUG DECODE rs3")
line("PFDEBUG TODENSE rs3")
line("PFDEBUG TODENSE rs3")
line("PFDEBUG ENCODING rs3")
line("PFDEBUG DECODE rs3")
line("PFCOUNT rs3")
line("PFDEBUG todense nothing")
line("PFDEBUG nosuch nothing")
line("PFDEBUG nosuch rs3")
line("PFDEBUG GETREG rs1")
line("PFDEBUG ENCODING rs1")
line("PFDEBUG")
line("PFDEBUG GETREG")
line("PFDEBUG GETREG rs1 extra")

comment("wrong types and strings that are not HLLs")
line("SET s hello")
line("PFADD s a")
line("PFCOUNT s")
line("PFCOUNT s rs1")
line("PFMERGE s rs1")
line("PFMERGE rs1 s")
line("PFDEBUG ENCODING s")
line("SET n 12345678901234567")
line("PFADD n a")
line("LPUSH l a")
line("PFADD l a")
line("PFCOUNT l")
line("PFCOUNT rs1 l")
line("PFMERGE l rs1")
line("SET fake HYLL")
line("PFADD fake a")
line(r'SET fake2 "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"')
line("PFCOUNT fake2")
line(r'SET fake3 "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"')
line("PFCOUNT fake3")
line("PFADD fake3 a")

comment("a string with an HLL's bytes is one, whatever wrote it")
line("SET copy h")
line(r'SET copy "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x7f\xff"')
line("OBJECT ENCODING copy")
line("PFCOUNT copy")
line("OBJECT ENCODING copy")
line("GET copy")
line("PFADD copy a b c")
line("PFCOUNT copy")
line(r'SET cached "HYLL\x01\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00\x7f\xff"')
line("PFCOUNT cached")
line(r'SET stale "HYLL\x01\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x80\x7f\xff"')
line("PFCOUNT stale")
line("GET stale")

comment("corrupted sparse HLLs")
line(r'SET bad1 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"')
line("PFCOUNT bad1")
line("PFADD bad1 a")
line("PFCOUNT bad1 h")
line("PFMERGE bad1 h")
line("PFMERGE h bad1")
line("PFDEBUG TODENSE bad1")
line("PFDEBUG GETREG bad1")
line("PFDEBUG DECODE bad1")
line(r'SET bad2 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x80"')
line("PFCOUNT bad2")
line("PFADD bad2 a b c")
line("PFDEBUG TODENSE bad2")
line(r'SET bad3 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f"')
line("PFCOUNT bad3")
line("PFADD bad3 a")
line(r'SET bad4 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"')
line("PFCOUNT bad4")
line("PFADD bad4 a")
line(r'SET bad5 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\xfc\x7f\xfe"')
line("PFADD bad5 a b c d e f g h i j")
line("PFCOUNT bad5")
line("SETRANGE rs33 20 \"\\xff\\xff\"")
line("PFCOUNT rs33")
line("PFADD rs33 zz")
line("SETRANGE d 100 x")
line("PFCOUNT d")
line("PFADD d x")
line("APPEND d x")
line("PFCOUNT d")

comment("runs that end past the last register, cut-short opcodes")
HDR = r"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
for l in [
    r'SET h "HDR\x7f\xff\x80"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xff\x80"',
    r'PFMERGE dst h',
    r'SET h "HDR\x7f\xff\x80"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xff\x00"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xff\x00"',
    r'PFMERGE dst2 h',
    r'SET h "HDR\x7f\xfe\x80\x80"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfe\x80\x80"',
    r'PFMERGE dst3 h',
    r'SET h "HDR\x7f\xfe\x80\x80"',
    r'PFCOUNT h',
    r'SET h "HDR\x7f\xfe\x80\x80"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xfe\x84"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfe\x84"',
    r'PFMERGE dst4 h',
    r'SET h "HDR\x7f\xfe\x84"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xfd\x84"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfd\x84"',
    r'PFMERGE dst5 h',
    r'SET h "HDR\x7f\xfd\x84"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xfe\x80\x7f"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfe\x80\x7f"',
    r'PFMERGE dst6 h',
    r'SET h "HDR\x7f\xfe\x80\x7f"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xfe\x80\x00"',
    r'PFCOUNT h',
    r'PFCOUNT h x',
    r'PFMERGE dst7 h',
    r'SET h "HDR\x7f\xfe\x80\x00"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfe\x80\x00"',
    r'PFADD h a b c d e f g h i j k l m n o p',
    r'SET h "HDR\x7f\xff\x80"',
    r'PFADD h a b c d e f g h i j k l m n o p',
    r'SET h "HDR\x7f\xff\x80"',
    r'PFDEBUG GETREG h',
    r'SET h "HDR\x7f\xfe\x40"',
    r'PFDEBUG TODENSE h',
    r'SET h "HDR\x7f\xfe\x40"',
    r'PFCOUNT h x',
    r'SET h "HDR\x7f\xfe\x40"',
    r'PFDEBUG DECODE h',
    r'PFADD h a b c',
    r'PFDEBUG DECODE h',
    r'SET h "HDR\x40"',
    r'PFADD h a',
    r'PFDEBUG DECODE h',
    r'SET h "HDR\x7f\xfe"',
    r'PFADD h a',
]:
    line(l.replace("HDR", HDR))

comment("hll-sparse-max-bytes")
line("CONFIG GET hll-sparse-max-bytes")
line("CONFIG SET hll-sparse-max-bytes 100")
line(f"PFADD small {words(40, 's')}")
line("PFDEBUG ENCODING small")
line("STRLEN small")
line("PFDEBUG ENCODING rs10")
line("PFADD rs10 more1 more2 more3 more4 more5 more6 more7 more8")
line("PFDEBUG ENCODING rs10")
line("CONFIG SET hll-sparse-max-bytes 0")
line("PFADD zero a")
line("PFDEBUG ENCODING zero")
line("PFADD zero b")
line("PFDEBUG ENCODING zero")
line("CONFIG SET hll-sparse-max-bytes 1kb")
line("CONFIG GET hll-sparse-max-bytes")
line("CONFIG SET hll-sparse-max-bytes 1K")
line("CONFIG GET hll-sparse-max-bytes")
line("CONFIG SET hll-sparse-max-bytes 2mb")
line("CONFIG GET hll-sparse-max-bytes")
line("CONFIG SET hll-sparse-max-bytes 1gB")
line("CONFIG GET hll-sparse-max-bytes")
line(f"PFADD huge {words(2000, 'h')}")
line("PFDEBUG ENCODING huge")
line("STRLEN huge")
line("PFCOUNT huge")
line("CONFIG SET hll-sparse-max-bytes \"\"")
line("CONFIG GET hll-sparse-max-bytes")
for bad in ["-1", "abc", "1.5", "+5", "5kbb", "99999999999999999999", "9223372036854775808",
            "9223372036854775807", "18446744073709551615", "kb"]:
    line(f"CONFIG SET hll-sparse-max-bytes {bad}")
    line("CONFIG GET hll-sparse-max-bytes")
line("CONFIG SET hll-sparse-max-bytes 3000")
line("CONFIG GET hll*")

comment("arity")
line("PFADD")
line("PFCOUNT")
line("PFMERGE")
line("PFSELFTEST x")

comment("expiry and PFCOUNT")
line("PFADD e a b c")
line("EXPIRE e 100")
line("PFADD e d")
line("TTL e")
line("PFCOUNT e")
line("TTL e")

sys.stdout.write("\n".join(out) + "\n")
