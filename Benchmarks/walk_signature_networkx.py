#!/usr/bin/env python3
"""Straightforward walk-signature distance with networkx: the reference the Swift implementation is timed against.

Same definition as ChainAnalysis.WalkSignature (undirected): walks of exactly DEPTH steps with neighbours in
ascending order, per-walk degree sequences, per-position |ln a_k - ln b_k|^(depth-k+1), greedy matching, mean of
squared matched distances, minimum over both directions; isolated pairs 0, one isolated +inf.

usage: walk_signature_networkx.py EDGES [--depth N] [--out FILE]
"""
import argparse
import math
import sys
import time

import networkx as nx


def walks(graph, node, depth):
    result = []

    def extend(path):
        if len(path) == depth + 1:
            result.append([graph.degree(v) for v in path])
            return
        for neighbour in sorted(graph.neighbors(path[-1])):
            extend(path + [neighbour])

    extend([node])
    return result


def walk_distance(a, b, depth):
    return sum(abs(math.log(x) - math.log(y)) ** (depth - k + 1) for k, (x, y) in enumerate(zip(a, b)))


def directional(walks_a, walks_b, depth):
    used = [False] * len(walks_b)
    squares = []
    for a in walks_a:
        best, best_index = None, -1
        for index, b in enumerate(walks_b):
            if used[index]:
                continue
            d = walk_distance(a, b, depth)
            if best is None or d < best * (1 - 1e-9):  # near-equal differences are ties: the earlier wins
                best, best_index = d, index
        if best_index < 0:
            break
        used[best_index] = True
        squares.append(best * best)
    return sum(squares) / len(squares) if squares else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("edges")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--out")
    args = parser.parse_args()
    graph = nx.Graph()
    largest = -1
    with open(args.edges) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                a, b = map(int, line.split())
                graph.add_edge(a, b)
                largest = max(largest, a, b)
    graph.add_nodes_from(range(largest + 1))
    start = time.perf_counter()
    signature = {v: walks(graph, v, args.depth) if graph.degree(v) > 0 else None for v in graph.nodes}
    pairs = []
    nodes = sorted(graph.nodes)
    for i, u in enumerate(nodes):
        for v in nodes[i + 1:]:
            if signature[u] is None and signature[v] is None:
                d = 0.0
            elif signature[u] is None or signature[v] is None:
                d = math.inf
            else:
                d = min(directional(signature[u], signature[v], args.depth),
                        directional(signature[v], signature[u], args.depth))
            pairs.append((d, u, v))
    pairs.sort()
    elapsed = time.perf_counter() - start
    if args.out:
        with open(args.out, "w") as f:
            for d, u, v in pairs:
                f.write(f"{u} {v} {'inf' if math.isinf(d) else format(d, '.12g')}\n")
    print(f"{elapsed:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
