#!/usr/bin/env bash
# Packet codec benchmark: single-thread cost of user-space TSO (cutting 64 KiB TCP super-segments into MSS packets)
# and GRO (merging them back), every checksum computed; prints ns per super-segment and per packet, and Gbit/s.
# Usage: engine/bench/packet-bench.sh [seconds per measurement, default 2]
exec "$(dirname "$0")/run-main.sh" PacketCodecBenchmark "$@"
