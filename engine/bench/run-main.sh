#!/usr/bin/env bash
# Runs one benchmark main from the engine's test classes: compiles what is stale, builds the ./culvert launcher's
# jar first when the benchmark starts ./culvert processes (--launcher), then runs io.culvert.engine.bench.MAIN with
# the remaining arguments. Every *-bench.sh here is a thin wrapper around it.
# Usage: engine/bench/run-main.sh [--launcher] MAIN [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
launcher=false
if [ "${1:-}" = --launcher ]; then launcher=true; shift; fi
main="${1:?usage: run-main.sh [--launcher] MAIN [ARGS...]}"
shift
./mvnw -q -B -pl engine test-compile
if $launcher; then ./culvert --version >/dev/null; fi
root="$PWD"
cp="$(cat engine/target/test-classpath.txt):$root/engine/target/test-classes:$root/engine/target/classes"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "io.culvert.engine.bench.$main" "$@"
