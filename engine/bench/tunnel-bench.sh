#!/usr/bin/env bash
# Tunnel benchmark: stock openvpn client vs. a client command (default: ./culvert client --config %s),
# both against a stock openvpn server, in throwaway network namespaces. Needs root, openvpn, iperf3.
# Usage: engine/bench/tunnel-bench.sh [--proto udp|tcp] [--cipher NAME] [--seconds N] [--client-cmd 'CMD %s']
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl engine test-compile
root="$PWD"
cp="$(cat engine/target/test-classpath.txt):$root/engine/target/test-classes:$root/engine/target/classes"
exec "$JAVA_HOME/bin/java" -cp "$cp" io.culvert.engine.bench.TunnelBenchmark "$@"
