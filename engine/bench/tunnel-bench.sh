#!/usr/bin/env bash
# Tunnel benchmark: stock openvpn client vs. a client command (default: ./culvert client --config %s),
# both against a stock openvpn server, in throwaway network namespaces. Needs root, openvpn, iperf3.
# Usage: engine/bench/tunnel-bench.sh [--proto udp|tcp] [--cipher NAME] [--seconds N] [--reverse true] [--client-cmd 'CMD %s']
exec "$(dirname "$0")/run-main.sh" TunnelBenchmark "$@"
