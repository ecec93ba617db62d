"""M/M/c/c and M/M/c in SimPy 2 (the idiomatic Resource model), to compare
with the simulator reduced to the same queues (scripts/simpy-compare.sh).

Calls arrive as a Poisson process of rate A per mean service time and hold
a server for an exponential time. In M/M/c/c (the default) a call that
finds every server busy is lost; in M/M/c (--wait) it waits with infinite
patience in the Resource's FIFO queue. Events are counted as the Go
benchmarks count them: arrivals plus departures (finished services), per
second of CPU time (time.process_time) spent in simulate(). With --wait
the output has the share of served calls that waited and their mean wait
in hours (Erlang C: C(c, A) and C/(c − A)).

Usage: /usr/bin/python3 scripts/simpy_mmcc.py [--wait] [c] [A] [hours] [seed]
(Debian's python3-simpy is importable by the system Python only.)
Prints one line of JSON.
"""

import json
import random
import sys
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize,
                              now, release, request, simulate)


def main(argv):
    wait = "--wait" in argv[1:]
    args = [a for a in argv[1:] if a != "--wait"]
    c = int(args[0]) if len(args) > 0 else 100
    a = float(args[1]) if len(args) > 1 else 90.0
    hours = float(args[2]) if len(args) > 2 else 720.0
    seed = int(args[3]) if len(args) > 3 else 1
    mean = 3600.0  # seconds of service on average
    lam = a / mean
    rng = random.Random(seed)
    stats = {"arrivals": 0, "lost": 0, "departures": 0, "waited": 0, "waitSeconds": 0.0}

    class Call(Process):
        def run(self, res):
            if len(res.activeQ) >= res.capacity:
                stats["lost"] += 1
                return
            yield request, self, res
            yield hold, self, rng.expovariate(1.0 / mean)
            yield release, self, res
            stats["departures"] += 1

    class Waiter(Process):
        def run(self, res):
            t = now()
            yield request, self, res
            if now() > t:
                stats["waited"] += 1
                stats["waitSeconds"] += now() - t
            yield hold, self, rng.expovariate(1.0 / mean)
            yield release, self, res
            stats["departures"] += 1

    kind = Waiter if wait else Call

    class Source(Process):
        def run(self, res):
            while True:
                yield hold, self, rng.expovariate(lam)
                stats["arrivals"] += 1
                k = kind()
                activate(k, k.run(res))

    initialize()
    res = Resource(capacity=c)
    src = Source()
    activate(src, src.run(res))
    t0 = time.process_time()
    simulate(until=hours * 3600)
    cpu = time.process_time() - t0
    events = stats["arrivals"] + stats["departures"]
    out = {
        "model": "M/M/c" if wait else "M/M/c/c",
        "servers": c, "erlangs": a, "hours": hours,
        "arrivals": stats["arrivals"], "departures": stats["departures"], "lost": stats["lost"],
        "loss": stats["lost"] / max(stats["arrivals"], 1),
    }
    if wait:
        out["waited"] = stats["waited"]
        out["waitedShare"] = stats["waited"] / max(stats["departures"], 1)
        out["meanWaitHours"] = stats["waitSeconds"] / 3600 / max(stats["departures"], 1)
    out.update({"events": events, "cpuSeconds": round(cpu, 4),
                "eventsPerCPUSecond": round(events / cpu)})
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
