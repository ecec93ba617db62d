"""M/M/c/c in SimPy 2 (the idiomatic Resource model), to compare with the
simulator reduced to the same queue (scripts/simpy-compare.sh).

Calls arrive as a Poisson process of rate A per mean service time; a call
that finds every server busy is lost, the others hold a server for an
exponential time. Events are counted as the Go benchmark counts them:
arrivals plus departures (finished services), per second of CPU time
(time.process_time) spent in simulate().

Usage: /usr/bin/python3 scripts/simpy_mmcc.py [c] [A] [hours] [seed]
(Debian's python3-simpy is importable by the system Python only.)
Prints one line of JSON.
"""

import json
import random
import sys
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize,
                              release, request, simulate)


def main(argv):
    c = int(argv[1]) if len(argv) > 1 else 100
    a = float(argv[2]) if len(argv) > 2 else 90.0
    hours = float(argv[3]) if len(argv) > 3 else 720.0
    seed = int(argv[4]) if len(argv) > 4 else 1
    mean = 3600.0  # seconds of service on average
    lam = a / mean
    rng = random.Random(seed)
    stats = {"arrivals": 0, "lost": 0, "departures": 0}

    class Call(Process):
        def run(self, res):
            if len(res.activeQ) >= res.capacity:
                stats["lost"] += 1
                return
            yield request, self, res
            yield hold, self, rng.expovariate(1.0 / mean)
            yield release, self, res
            stats["departures"] += 1

    class Source(Process):
        def run(self, res):
            while True:
                yield hold, self, rng.expovariate(lam)
                stats["arrivals"] += 1
                k = Call()
                activate(k, k.run(res))

    initialize()
    res = Resource(capacity=c)
    src = Source()
    activate(src, src.run(res))
    t0 = time.process_time()
    simulate(until=hours * 3600)
    cpu = time.process_time() - t0
    events = stats["arrivals"] + stats["departures"]
    print(json.dumps({
        "servers": c, "erlangs": a, "hours": hours,
        "arrivals": stats["arrivals"], "departures": stats["departures"], "lost": stats["lost"],
        "loss": stats["lost"] / max(stats["arrivals"], 1),
        "events": events, "cpuSeconds": round(cpu, 4),
        "eventsPerCPUSecond": round(events / cpu),
    }))


if __name__ == "__main__":
    main(sys.argv)
