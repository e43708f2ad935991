#!/usr/bin/env bash
# Member creation and GET one member on SQLite, on one PostgreSQL node, and on two nodes sharing one
# PostgreSQL, in one run of the built tree ROOT (default: this checkout). PostgreSQL is Debian's
# (apt-get install postgresql), started here in a temporary directory on a free loopback port
# (initdb; as the postgres user when run as root) with its defaults and synchronous_commit on; wrk
# drives the load (apt-get install wrk). Each setup gets a fresh environment; member creation is
# BENCH_WARMUP (60) s untimed and BENCH_SECONDS (15) s timed at 128 connections (split over the
# nodes), GET one member 10 s untimed and BENCH_SECONDS s timed at 64 connections (split over the
# nodes). Prints one line per measurement.
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
SECONDS_EACH="${BENCH_SECONDS:-15}"
# A node's JIT compiler still took a third of the timed window's CPU after 20 s of member creation
WARMUP="${BENCH_WARMUP:-60}"
DIST="$ROOT/runtime/target/enigm-server"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL is needed: apt-get install postgresql" >&2; exit 1; }

WORK="$(mktemp -d)"; chmod 755 "$WORK"
RATE_CONF="$DIST/conf/io.enigm.server.http.rate.cfg"
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$RATE_CONF"
PIDS=()
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  rm -f "$RATE_CONF"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- PostgreSQL -------------------------------------------------------------------------------
PG_PORT="$(free_port)"; PASSWORD="bench-$RANDOM$RANDOM"
mkdir -m 700 "$WORK/pg"; printf '%s' "$PASSWORD" > "$WORK/pg/password"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pg"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg/data" -U enigm --pwfile="$WORK/pg/password" --auth=scram-sha-256 \
  --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-c listen_addresses=127.0.0.1 \
  -c port=$PG_PORT -c unix_socket_directories=$WORK/pg -c max_connections=200" start >/dev/null
database() { PGPASSWORD="$PASSWORD" psql -q -h 127.0.0.1 -p "$PG_PORT" -U enigm postgres -c "CREATE DATABASE $1"; \
  echo "jdbc:postgresql://127.0.0.1:$PG_PORT/$1"; }

# --- nodes ------------------------------------------------------------------------------------
# node NAME PORT [DATABASE-URL [SECRETS-FROM]]: starts a node, waits for its health
node() {
  local home="$WORK/$1"; mkdir -m 700 "$home"
  local options=(--home "$home" --port "$2")
  if [ -n "${3:-}" ]; then
    if [ -n "${4:-}" ]; then cp -a "$4/secrets" "$home/"; else mkdir -m 700 "$home/secrets"; fi
    printf '%s' "$PASSWORD" > "$home/secrets/database-password"; chmod 600 "$home/secrets/database-password"
    options+=(--database-url "$3")
  fi
  ENIGM_DIST="$DIST" "$ROOT/enigm-server" "${options[@]}" > "$home/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/api/v1/health")" = 200 ] && return
    sleep 0.1
  done
  echo "node $1 did not start" >&2; cat "$home/server.log" >&2; exit 1
}
stop_nodes() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# measure LABEL HOME PORT...: member creation, then GET one member, load split over the ports
measure() {
  local label="$1" home="$WORK/$2"; shift 2
  local ports=("$@") n=$#
  local url="http://127.0.0.1:${ports[0]}"
  local token; token="$(cat "$home/secrets/owner-token")"
  local load=(java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad "$url" "$home/secrets/owner-token")
  read -r env sid < <("${load[@]}" environment "Bench $label" 2>/dev/null)
  create() { # seconds: one wrk per node, its own keys; prints the members per second of all together
    local outputs=() clients=() i=0
    for port in "${ports[@]}"; do
      java -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad - - keys $(( $1 * 6000 / n )) \
        "$WORK/keys-$i.txt" 2>/dev/null
      KEYS_FILE="$WORK/keys-$i.txt" SERVER_ID="$sid" ENVIRONMENT="$env" TOKEN="$token" WRK_THREADS=2 \
        wrk -t2 -c$(( 128 / n )) -d"$1"s -s "$ROOT/benchmarks/member-creation.lua" "http://127.0.0.1:$port" \
        > "$WORK/create-$i.out" &
      clients+=($!); outputs+=("$WORK/create-$i.out"); i=$((i + 1))
    done
    wait "${clients[@]}"
    cat "${outputs[@]}" | awk '/^members:/ {sum += $7} END {print sum}' | sed 's|/s||'
  }
  create "$WARMUP" > /dev/null
  echo "$label: member creation $(create "$SECONDS_EACH") members/s"
  local member; member="$("${load[@]}" first-id "/api/v1/environments/$env/members?limit=1" 2>/dev/null)"
  get() { # seconds
    local clients=() i=0
    for port in "${ports[@]}"; do
      wrk -t2 -c$(( 64 / n )) -d"$1"s -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/api/v1/environments/$env/members/$member" > "$WORK/get-$i.out" &
      clients+=($!); i=$((i + 1))
    done
    wait "${clients[@]}"
    cat "$WORK"/get-*.out | awk '/Requests\/sec/ {sum += $2} END {printf "%d", sum}'
    rm -f "$WORK"/get-*.out
  }
  get 10 > /dev/null
  echo "$label: GET one member $(get "$SECONDS_EACH") requests/s"
}

echo "$(nproc) cores, $(uptime | sed 's/.*load/load/'), $("$PG_BIN/postgres" --version)"
PORT_A="$(free_port)"; node sqlite "$PORT_A"
measure "SQLite, one node" sqlite "$PORT_A"; stop_nodes

ONE="$(database one)"; PORT_A="$(free_port)"; node pg-one "$PORT_A" "$ONE"
measure "PostgreSQL, one node" pg-one "$PORT_A"; stop_nodes

TWO="$(database two)"; PORT_A="$(free_port)"; PORT_B="$(free_port)"
node pg-a "$PORT_A" "$TWO"; node pg-b "$PORT_B" "$TWO" "$WORK/pg-a"
measure "PostgreSQL, two nodes" pg-a "$PORT_A" "$PORT_B"; stop_nodes
