"""Writes a random simple undirected graph as an edge list (`a b` per line, a < b, sorted) for the similarity
benchmarks: EDGES distinct pairs of NODES nodes, from a fixed seed so every run measures the same graph.

usage: python3 Benchmarks/random_graph.py NODES EDGES > edges.txt
"""
import random
import sys

n, m = int(sys.argv[1]), int(sys.argv[2])
random.seed(6)
seen = set()
while len(seen) < m:
    a, b = random.randrange(n), random.randrange(n)
    if a != b:
        seen.add((min(a, b), max(a, b)))
sys.stdout.write("".join(f"{a} {b}\n" for a, b in sorted(seen)))
