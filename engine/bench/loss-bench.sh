#!/usr/bin/env bash
# Loss benchmark: iperf3 TCP through the tunnel with random frame loss on the link (nftables numgen on the veth
# ingress of both namespaces) for Culvert↔Culvert, openvpn↔openvpn, Culvert client↔stock server and stock
# client↔Culvert server, alternating pairings round by round; prints Mbit/s and the ratio to openvpn↔openvpn
# measured in the same run, and Culvert's drop counters per run. Needs root, openvpn, iperf3, nft.
# Usage: engine/bench/loss-bench.sh [--loss 0,5,10,15] [--seconds N] [--rounds N] [--proto udp|tcp] [--culvert LAUNCHER]
#        [--pairings culvert_culvert,stock_stock] (default all four; stock_stock is the reference for the ratios)
#        [--wire per-datagram|per-train] (default per-datagram: each veth segments UDP GSO trains before they meet the
#        loss rule, as a real wire carries datagrams; per-train lets one drop take a whole train, the veth's default)
exec "$(dirname "$0")/run-main.sh" --launcher LossBenchmark "$@"
