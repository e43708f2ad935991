#!/usr/bin/env bash
# Issue 5's session benchmark against the assembled server, load from a separate process on
# loopback: enrol DEVICES trusted devices, then CONCURRENCY workers each loop challenge → Ed25519
# signature → POST /sessions until SESSIONS sessions are open; prints sessions established per second and the
# CPU time the server and the load generator took per session.
# Ed25519 verification rates (JDK against Bouncy Castle) are a JMH benchmark: benchmarks/ed25519-jmh.
# Needs a built tree (mvn -DskipTests install).
# Sizes: DEVICES (1000), SESSIONS (50000), CONCURRENCY (32), WARMUP (40000 untimed sessions first: the JIT
# needs tens of seconds under load on two cores).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/runtime/target/enigm-server"
PORT="${PORT:-18701}"
DEVICES="${DEVICES:-1000}"
SESSIONS="${SESSIONS:-50000}"
CONCURRENCY="${CONCURRENCY:-32}"
WARMUP="${WARMUP:-40000}"
URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"

HOME_DIR="$(mktemp -d)"
# one client sending as fast as it can is what is measured: lift the per-address request rate (the
# limiter still runs, so its cost is in the numbers)
RATE_CONF="$DIST/conf/io.enigm.server.http.rate.cfg"
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$RATE_CONF"
ENIGM_DIST="$DIST" "$ROOT/enigm-server" --home "$HOME_DIR" --port "$PORT" > "$HOME_DIR/server.log" 2>&1 &
SERVER=$!
cleanup() { rm -f "$RATE_CONF"; kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break
  sleep 0.1
done

echo "== sessions: $DEVICES devices, $SESSIONS sessions after $WARMUP untimed, concurrency $CONCURRENCY"
java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.SessionLoad "$URL" "$HOME_DIR/secrets/owner-token" \
  sessions "$DEVICES" "$SESSIONS" "$CONCURRENCY" "$WARMUP" "$SERVER"
