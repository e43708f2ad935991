#!/usr/bin/env bash
# Issue 14's idle event streams, in one command: the built tree TREE (default: this checkout) serves,
# a load JVM from this checkout holds STREAMS (10000) idle server-sent event streams of new content
# (GET …/content/events) at once over DEVICES (100) members' sessions, without a thread per stream.
# Prints the server's RSS growth from before the streams to after IDLE_SECONDS (60) of them idle,
# then the latency from an upload's acknowledgement to its id's arrival on every stream, for
# NOTIFICATIONS (30) uploads INTERVAL_MS (500) apart, and how many deliveries were missing.
# Needs `mvn -DskipTests install` (or package) in TREE and `mvn -DskipTests package -pl benchmarks/load -am`
# here. The server runs from a private copy of TREE's distribution (TREE is left untouched), whose
# conf/ allows STREAMS connections (the connector's default is 1024) and lifts the per-address
# request rate; PORT (18703).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TREE="$(cd "${1:-$ROOT}" && pwd)"
PORT="${PORT:-18703}"
STREAMS="${STREAMS:-10000}"
DEVICES="${DEVICES:-100}"
NOTIFICATIONS="${NOTIFICATIONS:-30}"
INTERVAL_MS="${INTERVAL_MS:-500}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"
[ -f "$TREE/runtime/target/enigm-server/conf/config.properties" ] || { echo "no built distribution in $TREE" >&2; exit 1; }

# every stream is a socket in the server and one in the load JVM: each needs STREAMS descriptors and some
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((STREAMS + 1000)) ]; then
  echo "open files limit $(ulimit -n) is below STREAMS + 1000; raise it (ulimit -n) or lower STREAMS" >&2
  exit 1
fi

WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
DIST="$WORK/dist"
cp -r "$TREE/runtime/target/enigm-server" "$DIST"
rm -f "$DIST"/bin/enigm*.jsa*
MAX_CONNECTIONS=$((STREAMS + 256))
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$DIST/conf/io.enigm.server.http.rate.cfg"
printf "maxConnections=%d\n" "$MAX_CONNECTIONS" \
  > "$DIST/conf/io.enigm.server.http.connector.cfg"
ENIGM_CDS=off ENIGM_DIST="$DIST" "$TREE/enigm-server" --home "$WORK/home" --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
# the connector restarts when its configuration arrives: wait for that, then for an answer
for _ in $(seq 1 300); do
  grep -q "at most $MAX_CONNECTIONS open connections" "$WORK/server.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "at most $MAX_CONNECTIONS open connections" "$WORK/server.log" \
  || { echo "the server did not take maxConnections=$MAX_CONNECTIONS; its log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break
  sleep 0.1
done

COMMIT="$(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo '?')"
[ -z "$(git -C "$TREE" --no-optional-locks status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT with uncommitted changes"
echo "== content event streams: $STREAMS idle streams over $DEVICES sessions, $IDLE_SECONDS s idle, then" \
  "$NOTIFICATIONS uploads $INTERVAL_MS ms apart"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), open files limit $(ulimit -n), server tree $TREE" \
  "at $COMMIT"
# the HTTP client's logging has no provider here: SLF4J would say so on every run
java -Xmx"${LOAD_HEAP:-2g}" -Dslf4j.internal.verbosity=ERROR -cp "$CLASSPATH" io.enigm.server.bench.load.ContentStreams "$URL" \
  "$WORK/home/secrets/owner-token" "$STREAMS" "$DEVICES" "$NOTIFICATIONS" "$INTERVAL_MS" "$IDLE_SECONDS" "$SERVER"
