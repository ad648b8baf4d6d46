"""Throughput and latency of the empathy analyzer on synthetic support replies.

Run: ``python bench/bench_analyzer.py [--n 20000]``. Needs no shared data.
Prints replies/s on one core and median / p95 / p99 latency per reply.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from empathy.analyzer import analyze

OPENERS = [
    "Hi Maria,",
    "Hello,",
    "Hi there,",
    "Thanks for getting in touch.",
    "Dear customer,",
    "",
]
ACKS = [
    "I'm really sorry your order still hasn't arrived, that must be frustrating.",
    "I understand. However, that's our policy.",
    "We apologize for any inconvenience this may have caused.",
    "That sounds really stressful, especially with the deadline this week.",
    "Sorry you feel that way.",
    "",
]
BODIES = [
    "I've checked the tracking and the parcel is at the local depot, so it should arrive tomorrow.",
    "You should have read the instructions before installing the update, as I already said.",
    "Just clear the cache and restart the app, it's simple.",
    "So what I hear you saying is that the invoice shows two charges for the same month.",
    "Your refund was processed on Monday and will appear within 3-5 business days.",
    "Could you tell me what happened when you tried to log in from your phone?",
    "Did you restart the router?",
]
CLOSERS = [
    "I'll make sure this is sorted today and I'll update you by email.",
    "Your call is important to us.",
    "Let me know if there is anything else.",
    "PLEASE DO NOT REPLY TO THIS EMAIL.",
    "",
]
CUSTOMERS = [
    "This is the third time I'm asking!!! My order STILL hasn't arrived.",
    "Hi, what are your opening hours?",
    "I was charged twice for my subscription and I'm really frustrated.",
    None,
]


def make_replies(n: int, seed: int = 7) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        # 2-4 body sentences: replies of roughly 40-80 words, the typical support reply.
        bodies = rng.sample(BODIES, rng.randint(2, 4))
        parts = [rng.choice(OPENERS), rng.choice(ACKS), *bodies]
        parts.append(rng.choice(CLOSERS))
        out.append((" ".join(p for p in parts if p), rng.choice(CUSTOMERS)))
    return out


def _percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return f"median {pct(0.5):.3f}  p95 {pct(0.95):.3f}  p99 {pct(0.99):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    data = make_replies(args.n)
    words = statistics.mean(len(r.split()) for r, _ in data)
    for reply, customer in data[:200]:  # warm-up
        analyze(reply, customer)
    # Wall-clock time includes time the OS gives to other processes; CPU time
    # (process_time) is what the analyzer itself costs. Both are reported so a
    # busy machine does not hide or fake a regression.
    wall: list[float] = []
    cpu: list[float] = []
    wall_clock, cpu_clock = time.perf_counter, time.process_time
    wall_start, cpu_start = wall_clock(), cpu_clock()
    for reply, customer in data:
        w0, c0 = wall_clock(), cpu_clock()
        analyze(reply, customer)
        cpu.append(cpu_clock() - c0)
        wall.append(wall_clock() - w0)
    wall_total, cpu_total = wall_clock() - wall_start, cpu_clock() - cpu_start
    print(f"replies: {len(data)}  mean words/reply: {words:.1f}")
    print(f"throughput (wall): {len(data) / wall_total:,.0f} replies/s")
    print(f"throughput (CPU):  {len(data) / cpu_total:,.0f} replies/s on one core")
    print(f"latency ms (wall): {_percentiles(wall)}")
    print(f"latency ms (CPU):  {_percentiles(cpu)}")
    if hasattr(os, "getloadavg"):
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
