#!/usr/bin/env bash
# Server benchmark: a stock openvpn 2.6 client against a stock openvpn server and against ./culvert server, same
# configs, same throwaway network namespaces; iperf3 TCP both directions and ping RTT, then the ratio.
# Needs root, openvpn, iperf3.
# Usage: engine/bench/server-bench.sh [--proto udp|tcp] [--cipher NAME] [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl engine test-compile
./culvert --version >/dev/null
root="$PWD"
cp="$(cat engine/target/test-classpath.txt):$root/engine/target/test-classes:$root/engine/target/classes"
exec "$JAVA_HOME/bin/java" -cp "$cp" io.culvert.engine.bench.ServerBenchmark "$@"
