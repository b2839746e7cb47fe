#!/usr/bin/env bash
# WebSocket benchmark (issue 14): Culvert↔Culvert over WebSocket through a real nginx (the admin guide's location
# block, TLS with a test CA) beside plain TCP transport to the same ./culvert server, in one run, rounds alternating
# which goes first. Per cell: iperf3 TCP both directions, ping RTT p50/p99 at 10 ms intervals; then medians and the
# WebSocket/TCP ratio. Needs root, nginx, iperf3, ping.
# Usage: engine/bench/ws-bench.sh [--rounds N] [--seconds S] [--pings N]
exec "$(dirname "$0")/run-main.sh" --launcher WsBench "$@"
