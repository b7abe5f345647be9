#!/usr/bin/env python3
"""Ask a real Redis 7.0.15 for each case's answer and write it after `-- expect:`.

    python3 crates/lua51/tests/record.py PORT crates/lua51/tests/cases/*.lua

A case's answer is `ok <bulk text>` or `err <message>` (Redis's ERR prefix and its
` script: <sha>, on @user_script:N.` suffix removed), one line, escaped with \\n."""
import re, socket, sys

def resp(sock, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)
    f = sock.makefile("rb")
    return read(f)

def read(f):
    line = f.readline().rstrip(b"\r\n")
    t, rest = line[:1], line[1:]
    if t == b"$":
        n = int(rest)
        if n < 0:
            return ("nil", None)
        data = f.read(n + 2)[:-2]
        return ("ok", data)
    if t == b"-":
        return ("err", rest)
    if t == b":":
        return ("int", rest)
    if t == b"+":
        return ("status", rest)
    if t == b"*":
        n = int(rest)
        return ("array", [read(f) for _ in range(max(n, 0))])
    return ("?", line)

def esc(b):
    return b.decode("utf-8", "backslashreplace").replace("\\", "\\\\").replace("\n", "\\n")

def answer(port, chunk):
    s = socket.create_connection(("127.0.0.1", port))
    kind, val = resp(s, "EVAL", chunk, "0")
    s.close()
    if kind == "ok":
        return "ok " + esc(val)
    if kind == "err":
        m = val
        m = re.sub(rb" script: [0-9a-f]{40}, on @user_script:\d+\.$", b"", m)
        if m.startswith(b"ERR "):
            m = m[4:]
        return "err " + esc(m)
    return kind + " " + esc(repr(val).encode())

def main():
    port = int(sys.argv[1])
    for path in sys.argv[2:]:
        text = open(path, encoding="utf-8").read()
        parts = re.split(r"(?m)^-- case: (.*)\n", text)
        head, rest = parts[0], parts[1:]
        out = [head]
        for i in range(0, len(rest), 2):
            name, body = rest[i], rest[i + 1]
            body = re.sub(r"(?m)^-- expect: .*\n?", "", body)
            chunk = body.rstrip("\n")
            out.append("-- case: %s\n%s\n-- expect: %s\n" % (name, chunk, answer(port, chunk.encode())))
        open(path, "w", encoding="utf-8").write("".join(out))

main()
