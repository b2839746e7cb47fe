#!/usr/bin/env bash
# Pair benchmark: Culvert↔Culvert, openvpn↔openvpn (stock 2.6; 2.7↔2.7 too when CULVERT_OPENVPN_27 names a binary), Culvert
# client↔openvpn server and openvpn client↔Culvert server, for UDP AES-256-GCM, UDP CHACHA20-POLY1305 and TCP
# AES-256-GCM with tls-crypt and default MTU settings, alternating the pairings round by round. Per cell: iperf3 TCP
# both directions, CPU per MB for each end, outer IP fragments, ping RTT p50/p99 idle (10 ms, 200 ms) and under load,
# server CPU per handshake, client start → tunnel up; then medians and ratios to openvpn↔openvpn in the same run.
# --offload off sets CULVERT_OFFLOAD=off and -Dculvert.offload=off for every Culvert process; --jfr records Culvert's
# allocations (JFR) and prints the top sites per MB moved. Needs root, openvpn, iperf3, ping.
# Usage: engine/bench/pair-bench.sh [--quick] [--rounds N] [--seconds S] [--handshakes N] [--offload on|off] [--jfr]
#                                   [--variants udp-gcm,udp-chacha,tcp-gcm] [--culvert LAUNCHER]
exec "$(dirname "$0")/run-main.sh" --launcher PairBench "$@"
