#!/usr/bin/env bash
# Loss benchmark: iperf3 TCP through the tunnel with random frame loss on the link (nftables numgen on the veth
# ingress of both namespaces) for Culvert↔Culvert, openvpn↔openvpn, Culvert client↔stock server and stock
# client↔Culvert server, alternating pairings round by round; prints Mbit/s and the ratio to openvpn↔openvpn
# measured in the same run, and Culvert's drop counters per run. Needs root, openvpn, iperf3, nft.
# Usage: engine/bench/loss-bench.sh [--loss 0,5,10,15] [--seconds N] [--rounds N] [--proto udp|tcp] [--culvert LAUNCHER]
#        [--pairings culvert_culvert,stock_stock] (default all four; stock_stock is the reference for the ratios)
exec "$(dirname "$0")/run-main.sh" --launcher LossBenchmark "$@"
