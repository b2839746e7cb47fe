#!/usr/bin/env bash
# Process start -> tunnel up for a client: ./culvert client without and with the JDK 25 AOT cache, and stock
# openvpn, against one stock openvpn server, alternating A B C for --rounds rounds, in two throwaway namespaces over
# a veth (UDP, AES-256-GCM, tls-crypt, EC PKI made with openssl). Time is from spawning the process to its
# "Initialization Sequence Completed" line. First trains the cache (--train, the default unless --no-train):
# ./culvert client records (-XX:AOTMode=record) while it brings a tunnel up, pings through it and exits, then
# -XX:AOTMode=create writes engine/target/culvert-client.aot; ./culvert uses that file from then on while it is newer than the engine jar (CULVERT_AOT=off: not).
# Needs root, openvpn, openssl, ping.
# Usage: engine/bench/startup-bench.sh [--rounds N] [--no-train]
# Env: KEEP=1 keeps the work directory (logs); DUMP=1 prints one culvert start's packets (tcpdump) and exits.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
rounds=5; train=true
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --no-train) train=false ;;
    *) echo "usage: $0 [--rounds N] [--no-train]" >&2; exit 2 ;;
  esac
  shift
done
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
"$ROOT/culvert" --version >/dev/null     # builds the jar when stale, outside the measured runs
CACHE="$ROOT/engine/target/culvert-client.aot"

nss="cvt-st-s-$$"; nsc="cvt-st-c-$$"; dir="$(mktemp -d /tmp/cvt-startup-XXXXXX)"; spid=""
cleanup() {
  [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
  ip netns del "$nss" 2>/dev/null || true; ip netns del "$nsc" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$nss"; ip netns add "$nsc"
ip link add "st$$a" netns "$nss" type veth peer name "st$$b" netns "$nsc"
ip -n "$nss" addr add 10.231.0.1/24 dev "st$$a"; ip -n "$nsc" addr add 10.231.0.2/24 dev "st$$b"
for n in "$nss" "$nsc"; do ip -n "$n" link set lo up; done
ip -n "$nss" link set "st$$a" up; ip -n "$nsc" link set "st$$b" up

cd "$dir"
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
ec ca; openssl req -x509 -new -key ca.key -subj /CN=bench-ca -days 2 -out ca.crt 2>/dev/null
for role in server client; do
  ec "$role"
  openssl req -new -key "$role.key" -subj "/CN=bench-$role" -out "$role.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=%s\n' \
    "$([ "$role" = server ] && echo serverAuth || echo clientAuth)" > "$role.ext"
  openssl x509 -req -in "$role.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile "$role.ext" \
    -out "$role.crt" 2>/dev/null
done
openvpn --genkey secret tc.key >/dev/null
cat > server.conf <<CONF
port 1194
proto udp
dev tun
topology subnet
server 10.8.0.0 255.255.255.0
keepalive 10 60
ca $dir/ca.crt
cert $dir/server.crt
key $dir/server.key
dh none
tls-crypt $dir/tc.key
data-ciphers AES-256-GCM
verb 3
CONF
cat > client.ovpn <<CONF
client
dev tun
proto udp
remote 10.231.0.1 1194
nobind
remote-cert-tls server
ca $dir/ca.crt
cert $dir/client.crt
key $dir/client.key
tls-crypt $dir/tc.key
data-ciphers AES-256-GCM
verb 3
CONF
ip netns exec "$nss" openvpn --config server.conf > server.log 2>&1 &
spid=$!
for _ in $(seq 100); do grep -q "Initialization Sequence Completed" server.log && break; sleep 0.1; done
grep -q "Initialization Sequence Completed" server.log || { cat server.log; exit 1; }

up() { # up LOG CMD... : spawns CMD in the client namespace, prints ms until the tunnel is up, then stops it
  local log="$1"; shift
  : > "$log"
  local t0 t1 pid
  t0=$(date +%s%N)
  ip netns exec "$nsc" "$@" > "$log" 2>&1 &
  pid=$!
  until grep -q "Initialization Sequence Completed" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "client exited:" >&2; tail -20 "$log" >&2; return 1; }
    sleep 0.001
  done
  t1=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

if $train; then
  rm -f "$CACHE"
  : > train.log
  ip netns exec "$nsc" env JDK_JAVA_OPTIONS="-XX:AOTMode=record -XX:AOTConfiguration=$dir/client.aotconf" \
    "$ROOT/culvert" client --config client.ovpn > train.log 2>&1 &
  pid=$!
  until grep -q "Initialization Sequence Completed" train.log; do
    kill -0 "$pid" 2>/dev/null || { tail -20 train.log >&2; exit 1; }
    sleep 0.05
  done
  ip netns exec "$nsc" ping -q -c 50 -i 0.01 10.8.0.1 >/dev/null
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  [ -f client.aotconf ] || { echo "training recorded nothing:" >&2; tail -20 train.log >&2; exit 1; }
  # The create step must see the same JVM options and class path as the runs that use the cache.
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:AOTMode=create \
    -XX:AOTConfiguration=client.aotconf -XX:AOTCache="$CACHE" -cp "$ROOT/engine/target/culvert-engine.jar" > create.log 2>&1 \
    || { tail -20 create.log >&2; exit 1; }
  echo "trained: $CACHE ($(du -h "$CACHE" | cut -f1))"
fi

if [ -n "${DUMP:-}" ]; then
  ip netns exec "$nsc" tcpdump -i "st$$b" -nn -ttttt -l udp > dump.txt 2>/dev/null &
  dpid=$!; sleep 1
  up d.log "$ROOT/culvert" client --config client.ovpn; sleep 0.2; kill "$dpid"; cat dump.txt; exit 0
fi
declare -a A B C
for r in $(seq "$rounds"); do
  A+=("$(CULVERT_AOT=off up a.log "$ROOT/culvert" client --config client.ovpn)")
  B+=("$(up b.log "$ROOT/culvert" client --config client.ovpn)")
  C+=("$(up c.log openvpn --config client.ovpn)")
  echo "round $r: culvert ${A[-1]} ms, culvert+AOT ${B[-1]} ms, openvpn ${C[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${A[@]}"); mb=$(median "${B[@]}"); mc=$(median "${C[@]}")
echo "process start -> tunnel up, median of $rounds: culvert $ma ms, culvert+AOT cache $mb ms, openvpn $mc ms"
awk -v a="$ma" -v b="$mb" -v c="$mc" 'BEGIN {printf "ratio to openvpn: culvert %.1fx, culvert+AOT %.1fx; AOT saves %.0f%%\n", a/c, b/c, 100*(a-b)/a}'
