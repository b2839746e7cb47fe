#!/usr/bin/env bash
# Server benchmark: a stock openvpn 2.6 client against a stock openvpn server and against ./culvert server, same
# configs, same throwaway network namespaces; iperf3 TCP both directions and ping RTT, then the ratio.
# Needs root, openvpn, iperf3.
# Usage: engine/bench/server-bench.sh [--proto udp|tcp] [--cipher NAME] [--seconds N]
exec "$(dirname "$0")/run-main.sh" --launcher ServerBenchmark "$@"
