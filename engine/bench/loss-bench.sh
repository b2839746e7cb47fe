#!/usr/bin/env bash
# Loss benchmark: iperf3 TCP through the tunnel with random frame loss on the link (nftables numgen on the veth
# ingress of both namespaces) for Culvert↔Culvert, openvpn↔openvpn, Culvert client↔stock server and stock
# client↔Culvert server, alternating pairings round by round; prints Mbit/s and the ratio to openvpn↔openvpn
# measured in the same run, and Culvert's drop counters per run. Needs root, openvpn, iperf3, nft.
# Usage: engine/bench/loss-bench.sh [--loss 0,5,10,15] [--seconds N] [--rounds N] [--proto udp|tcp] [--culvert LAUNCHER]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl engine test-compile
./culvert --version >/dev/null
root="$PWD"
cp="$(cat engine/target/test-classpath.txt):$root/engine/target/test-classes:$root/engine/target/classes"
exec "$JAVA_HOME/bin/java" -cp "$cp" io.culvert.engine.bench.LossBenchmark "$@"
