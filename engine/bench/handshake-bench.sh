#!/usr/bin/env bash
# Handshake benchmark: server CPU per new client handshake (cold and steady state after a warm-up) of a Culvert server
# and of stock openvpn, same config and PKI, on loopback, in-process Culvert clients connecting one at a time; the
# ratio; with --profile the Culvert server's hottest frames (JFR execution samples) during the steady loop.
# Runs in a throwaway network namespace (stock openvpn's server needs a tun device). Needs root and openvpn.
# Usage: engine/bench/handshake-bench.sh [--warm-up N] [--handshakes N] [--key rsa|ec] [--profile]
#        [--server culvert|stock|both] [--server-jvm-args "ARGS"] [--warmed] [--settle]
set -euo pipefail
ns="cvt-hs-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
ip netns exec "$ns" "$(dirname "$0")/run-main.sh" HandshakeBenchmark "$@"
