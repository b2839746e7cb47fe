#!/usr/bin/env bash
# Fault-injection suite, long variant: random loss 5/10/20 %, 5 % failed client sends (EPERM), server SIGKILLed and
# restarted, client interface down/up, clients joining and leaving -- each for Culvert↔Culvert, Culvert client↔stock
# server, stock client↔Culvert server and stock↔stock in the same throwaway namespaces; prints the table
# condition | pairings (iperf3 TCP Mbit/s, handshakes completed/attempted, recovery s). Exits 1 when Culvert is not
# on par with stock↔stock in some cell. Needs root, openvpn, iperf3, nft. Takes about 15 minutes.
# Usage: engine/bench/fault-suite.sh [--seconds N] [--trials N] [--faults LOSS_10,SEND_FAILURES,...] [--pairings CULVERT_CULVERT,...]
exec "$(dirname "$0")/run-main.sh" --launcher FaultSuiteBenchmark "$@"
