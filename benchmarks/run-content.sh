#!/usr/bin/env bash
# Issue 14's content benchmark against the assembled server, load from a separate process on
# loopback: DEVICES devices with sessions, then CONCURRENCY connections upload MESSAGES encrypted
# messages of SIZE bytes (each durable, audited and decided by policy before it is acknowledged);
# prints messages stored per second and the CPU time the server and the load generator took each.
# Needs a built tree (mvn -DskipTests install). Sizes: DEVICES (200), MESSAGES (100000), SIZE (1024),
# CONCURRENCY (64), WARMUP (50000 untimed messages first, for the JIT).
# Sessions last 15 minutes by default: a longer run needs sessionLifetimeMinutes raised.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/runtime/target/enigm-server"
PORT="${PORT:-18702}"
DEVICES="${DEVICES:-200}"
MESSAGES="${MESSAGES:-100000}"
SIZE="${SIZE:-1024}"
CONCURRENCY="${CONCURRENCY:-64}"
WARMUP="${WARMUP:-50000}"
URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"

HOME_DIR="$(mktemp -d)"
# many connections from one address are what is measured: lift the per-address request rate (the
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

echo "== content: $DEVICES devices, $MESSAGES messages of $SIZE bytes after $WARMUP untimed, concurrency $CONCURRENCY"
java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.ContentLoad "$URL" "$HOME_DIR/secrets/owner-token" \
  "$DEVICES" "$MESSAGES" "$SIZE" "$CONCURRENCY" "$WARMUP" "$SERVER"
