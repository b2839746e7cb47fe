#!/usr/bin/env bash
# Server scale benchmark: N in-process Culvert clients against a Culvert server alone in a child JVM, over
# loopback UDP (default: 1,000 clients joining at 100/s); prints how many connected, server CPU per handshake, echo
# RTT through a random sample of clients and the server's retained heap per idle client (budget 64 KiB); then churn
# (random clients leave and fresh ones join, 20/s for 10 s) and checks all are back with no heap left behind; exits 1
# when a client did not connect, the heap is over budget or churn left something behind. No root needed.
# Usage: engine/bench/server-scale-bench.sh [--clients N] [--warm-up N] [--rate PER_SECOND] [--sample N]
#        [--churn-seconds N] [--churn-rate PER_SECOND] [--histogram]
exec "$(dirname "$0")/run-main.sh" ServerScaleBenchmark "$@"
