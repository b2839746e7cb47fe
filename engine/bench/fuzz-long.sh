#!/usr/bin/env bash
# Long fuzz run of one target (or all, one after another) under the Jazzer driver, at the lowest CPU priority.
# Usage: engine/bench/fuzz-long.sh TARGET|all [MINUTES]      (default 10 minutes each)
#        FUZZ_ARGS=--keep_going=50 engine/bench/fuzz-long.sh Config 10   (go on past findings, report them all)
# Targets: Config ControlChannel PushOptions ControlWrap DataChannel ServiceProtocol Management Pki Decompress
# The run starts from the committed seeds plus engine/target/fuzz/TARGET/corpus (kept between runs), runs on a
# snapshot of the compiled classes (so rebuilding meanwhile is safe), and ends with one line per target:
# executions, edges covered (cov), libFuzzer features (ft), corpus size and findings. Exit 1 on any finding;
# the crashing input and a Java reproducer are in engine/target/fuzz/TARGET/findings/. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
target="${1:?usage: fuzz-long.sh TARGET|all [MINUTES]}"
minutes="${2:-10}"
./mvnw -q -B -o -pl engine test-compile 2>/dev/null || ./mvnw -q -B -pl engine test-compile
root="$PWD"
snap="$(mktemp -d "${TMPDIR:-/tmp}/culvert-fuzz.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
cp -r engine/target/classes engine/target/test-classes engine/target/test-classpath.txt "$snap/"
if [ "$target" = all ]; then
  targets="Config ControlChannel PushOptions ControlWrap DataChannel ServiceProtocol Management Pki Decompress"
else
  targets="$target"
fi
status=0
summaries=()
for t in $targets; do
  out="$(nice -n 19 "$JAVA_HOME/bin/java" -Dculvert.fuzz.args="${FUZZ_ARGS:-}" -cp "$snap/test-classes:$snap/classes:$(cat "$snap/test-classpath.txt")" \
    io.culvert.engine.fuzz.FuzzRun "$t" "$((minutes * 60))" "$root/engine" "$snap" "$root/engine/target/fuzz/$t")" || status=1
  echo "$out"
  summaries+=("$(echo "$out" | tail -1)")
done
echo "--- $(date -u +%FT%TZ) ---"
printf '%s\n' "${summaries[@]}"
exit $status
