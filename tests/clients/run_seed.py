# Runs seed_retry.py (the seed document's script) against the RESP bridge with redis-py:
#   python3 run_seed.py PORT [--decode]
# - redis.Redis connects to PORT: the seed hard-codes localhost:6379;
# - --decode makes replies str (decode_responses=True), which the seed's
#   `status == "pending"` assumes: without it redis-py gives bytes, the comparison is
#   False, and the script ends at once (one of the seed code's problems, shown as it is);
# - each time.sleep(s) prints "@sleep s" and waits for a line on stdin: the test moves the
#   world clock meanwhile, so TTLs of minutes pass in no time and every run is the same.
import os
import runpy
import sys
import time

import redis

port = int(sys.argv[1])
decode = "--decode" in sys.argv[2:]
connect = redis.Redis.__init__


def to_the_bridge(self, *args, **kwargs):
    kwargs["port"] = port
    if decode:
        kwargs["decode_responses"] = True
    connect(self, *args, **kwargs)


def sleep_on_the_world_clock(seconds):
    print(f"@sleep {seconds}", flush=True)
    if not sys.stdin.readline():
        sys.exit("the test went away")


redis.Redis.__init__ = to_the_bridge
time.sleep = sleep_on_the_world_clock
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_retry.py"), run_name="__main__")
