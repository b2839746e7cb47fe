#!/usr/bin/env bash
# UDP batching micro benchmark: datagrams/s and CPU µs per datagram on loopback for the JDK's DatagramChannel one by
# one, the native socket one by one, sendmmsg, GSO trains, and GSO trains to a GRO receiver. As root it runs inside a
# fresh network namespace (only its loopback, removed on exit); otherwise on the host's loopback.
# Usage: engine/bench/udp-batch-bench.sh [--seconds N] [--rounds N] [--size BYTES] [--train N]
set -euo pipefail
here="$(dirname "$0")"
if [ "$(id -u)" = 0 ] && [ -z "${CULVERT_BENCH_NS:-}" ]; then
  ns="culvert-udpbench-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns"' EXIT
  ip -n "$ns" link set lo up
  (cd "$here/../.." && JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" ./mvnw -q -B -o -pl engine test-compile)
  CULVERT_BENCH_NS="$ns" ip netns exec "$ns" "$here/run-main.sh" UdpBatchBenchmark "$@"
else
  exec "$here/run-main.sh" UdpBatchBenchmark "$@"
fi
