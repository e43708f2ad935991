#!/usr/bin/env bash
# Measures the assembled distribution: cold start, resident memory, hot-deploy latency.
#
#   runtime/src/bench/measure-start.sh [RUNS]        (default 5 runs)
#
# Environment: ENIGM_DIST (default runtime/target/enigm-server, must be built), PORT (default
# 18181), DEPLOY_JAR (a bundle jar not in the features; default: Gogo runtime, fetched with Maven).
#
# - start: from launching ./enigm-server (already built) to the first HTTP 200 from
#   GET /api/v1/health; when the distribution has no io.enigm.server.http bundle, to the first
#   401 from /system/console (the console answers only once its security provider is up).
#   Run 1 uses a fresh data home (secrets generated); later runs reuse it.
# - rss: VmRSS of the JVM 3 s after it answered, after 200 requests.
# - deploy: from copying DEPLOY_JAR into deploy/ to the bundle being Active in the console's
#   bundles.json; undeploy: from deleting it to the bundle being gone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
DIST="${ENIGM_DIST:-$ROOT/runtime/target/enigm-server}"
RUNS="${1:-5}"
PORT="${PORT:-18181}"
BASE="http://127.0.0.1:$PORT"
[ -f "$DIST/conf/config.properties" ] || { echo "build first: ./enigm-server --help or mvn -DskipTests package" >&2; exit 1; }

WORK="$(mktemp -d)"
PID=
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -f "$DIST/deploy/bench-"*.jar
  rm -rf "$WORK"
}
trap cleanup EXIT

if grep -q '"symbolicName" : "io.enigm.server.http"' "$DIST/bundles.json"; then
  PROBE="$BASE/api/v1/health"; WANT=200
else
  PROBE="$BASE/system/console"; WANT=401
fi

now_ms() { date +%s%3N; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }

start_server() {
  ENIGM_DIST="$DIST" "$ROOT/enigm-server" --home "$WORK/home" --port "$PORT" >"$WORK/log" 2>&1 &
  PID=$!
}
stop_server() {
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

echo "probe: $PROBE (expect $WANT); distribution: $DIST"
for run in $(seq 1 "$RUNS"); do
  t0=$(now_ms)
  start_server
  until [ "$(code "$PROBE")" = "$WANT" ]; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(now_ms)
  for _ in $(seq 1 200); do code "$PROBE" >/dev/null; done
  sleep 3
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$PID/status")
  echo "run $run: start $((t1 - t0)) ms, rss ${rss} MB$([ "$run" = 1 ] && echo ' (fresh home)')"
  [ "$run" = "$RUNS" ] || stop_server
done

# --- hot deploy, on the last running server ---------------------------------------------------
JAR="${DEPLOY_JAR:-}"
if [ -z "$JAR" ]; then
  (cd "$WORK" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact=org.apache.felix:org.apache.felix.gogo.runtime:1.1.6 \
     -DoutputDirectory="$WORK" -Dmdep.useBaseVersion=true) >"$WORK/mvn.log" 2>&1 \
     || { cat "$WORK/mvn.log" >&2; exit 1; }
  JAR="$WORK/org.apache.felix.gogo.runtime-1.1.6.jar"
fi
BSN=$(unzip -p "$JAR" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Bundle-SymbolicName: *\([^;]*\).*/\1/p')
PW="$(cat "$WORK/home/secrets/console-password")"
state() {
  curl -s --max-time 2 -u "admin:$PW" "$BASE/system/console/bundles.json" \
    | tr '{' '\n' | grep "\"symbolicName\":\"$BSN\"" | sed -n 's/.*"state":"\([A-Za-z]*\)".*/\1/p'
}
state >/dev/null || true # the first authenticated request pays the password check (~0.3 s); not deploy time
for i in 1 2 3; do
  cp "$JAR" "$WORK/bench.jar"
  t0=$(now_ms)
  mv "$WORK/bench.jar" "$DIST/deploy/bench-$BSN.jar"
  until [ "$(state)" = Active ]; do sleep 0.01; done
  t1=$(now_ms)
  rm "$DIST/deploy/bench-$BSN.jar"
  until [ -z "$(state)" ]; do sleep 0.01; done
  t2=$(now_ms)
  echo "deploy $i ($BSN): active after $((t1 - t0)) ms, uninstalled $((t2 - t1)) ms after removal"
done
