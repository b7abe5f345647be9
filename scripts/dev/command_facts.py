#!/usr/bin/env python3
"""Print COMMAND INFO facts from a real redis-server in the compact form our command
table uses (flags, ACL categories, first/last/step, key specs, tips). Used while writing a
family's table entries; the summaries and syntax lines are written by hand.

usage: command_facts.py PORT cmd [cmd ...]
"""
import socket, sys

def read_reply(f):
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t == b'+': return rest.decode()
    if t == b'-': raise RuntimeError(rest.decode())
    if t == b':': return int(rest)
    if t == b'$':
        n = int(rest)
        if n < 0: return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if t == b'*':
        n = int(rest)
        return None if n < 0 else [read_reply(f) for _ in range(n)]
    raise RuntimeError(line)

def call(sock, f, *args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    sock.sendall(out)
    return read_reply(f)

def spec_str(spec):
    d = dict(zip(spec[::2], spec[1::2]))
    flags = ",".join(d["flags"])
    bs = dict(zip(d["begin_search"][::2], d["begin_search"][1::2]))
    bspec = dict(zip(bs["spec"][::2], bs["spec"][1::2])) if bs["spec"] else {}
    if bs["type"] == "index": b = "index:%d" % bspec["index"]
    elif bs["type"] == "keyword": b = "keyword:%s,%d" % (bspec["keyword"], bspec["startfrom"])
    else: b = bs["type"]
    fk = dict(zip(d["find_keys"][::2], d["find_keys"][1::2]))
    fspec = dict(zip(fk["spec"][::2], fk["spec"][1::2])) if fk["spec"] else {}
    if fk["type"] == "range": k = "range:%d,%d,%d" % (fspec["lastkey"], fspec["keystep"], fspec["limit"])
    elif fk["type"] == "keynum": k = "keynum:%d,%d,%d" % (fspec["keynumidx"], fspec["firstkey"], fspec["keystep"])
    else: k = fk["type"]
    return "%s|%s|%s" % (flags, b, k)

def facts(info):
    name, arity, flags, first, last, step, acl, tips, specs, subs = info
    return {
        "name": name, "arity": arity, "flags": " ".join(flags), "keys": (first, last, step),
        "acl": " ".join(acl), "tips": " ".join(tips), "specs": ";".join(spec_str(s) for s in specs),
        "subs": [facts(s) for s in (subs or [])],
    }

def show(fx, indent=""):
    print('%s%s arity=%d flags="%s" acl="%s" keys=%s tips="%s" specs="%s"' % (
        indent, fx["name"], fx["arity"], fx["flags"], fx["acl"], fx["keys"], fx["tips"], fx["specs"]))
    for s in fx["subs"]:
        show(s, indent + "  ")

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = sock.makefile("rb")
for name in sys.argv[2:]:
    for info in call(sock, f, "COMMAND", "INFO", name):
        if info is None:
            print("%s: unknown" % name)
        else:
            show(facts(info))
