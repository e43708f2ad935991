#!/usr/bin/env bash
# Keycloak 26 user creation rate on this machine, as the reference for member creation.
# Usage: benchmarks/keycloak/run-keycloak.sh [MODE:CONCURRENCY ...]   (default: dev:32 dev:32 dev:64 prod:32 prod:32 prod:64)
#   MODE dev  = kc.sh start-dev (embedded H2 dev-file database)
#   MODE prod = kc.sh start --db=dev-file --http-enabled=true --hostname-strict=false (same H2 file database)
# Each run: a fresh Keycloak (its data directory removed) on 127.0.0.1:$PORT with default heap, an admin token
# from the master realm (admin-cli, password grant) with the master realm's access token lifespan raised to
# 3600 s, realm "bench", then from a separate JVM (KeycloakUserLoad.java) WARMUP users untimed and MEASURED
# users timed, POST /admin/realms/bench/users {"username":"u<N>","enabled":true} (N from 100000, as usernames need 3+ chars), no password. Only 201 counts.
# Every run (Keycloak start + load) holds flock /tmp/bench.lock, shared with the other benchmarks.
# Env: KC_VERSION (26.5.6), PORT (18080), WARMUP (2000), MEASURED (10000), KC_CACHE (~/.cache/keycloak),
#      KC_JAVA_HOME (JDK for Keycloak; default the java on PATH), LOCK (/tmp/bench.lock).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KC_VERSION="${KC_VERSION:-26.5.6}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-2000}"
MEASURED="${MEASURED:-10000}"
KC_CACHE="${KC_CACHE:-$HOME/.cache/keycloak}"
LOCK="${LOCK:-/tmp/bench.lock}"
ADMIN=admin
ADMIN_PASSWORD=admin-bench-password
URL="http://127.0.0.1:$PORT"
TARBALL="$KC_CACHE/keycloak-quarkus-dist-$KC_VERSION.tar.gz"

one_run() { # MODE CONCURRENCY; runs under the lock
  local mode="$1" concurrency="$2" home="$KC_CACHE/keycloak-$KC_VERSION-$1"
  rm -rf "$home/data"
  local log
  log="$(mktemp /tmp/keycloak-bench-XXXXXX.log)"
  local args=(--http-host=127.0.0.1 --http-port="$PORT")
  if [ "$mode" = dev ]; then
    args=(start-dev "${args[@]}")
  else
    args=(start --db=dev-file --http-enabled=true --hostname-strict=false "${args[@]}")
  fi
  echo "== $(date -u +%FT%TZ) mode=$mode concurrency=$concurrency: kc.sh ${args[*]} (log $log)"
  [ -n "${KC_JAVA_HOME:-}" ] && export JAVA_HOME="$KC_JAVA_HOME"
  KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    setsid "$home/bin/kc.sh" "${args[@]}" > "$log" 2>&1 < /dev/null &
  local kc=$!
  trap "kill -TERM -- -$kc 2>/dev/null || true; wait $kc 2>/dev/null || true" EXIT
  local started=
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/realms/master/.well-known/openid-configuration")" = 200 ]; then
      started=1; break
    fi
    kill -0 "$kc" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$started" ] || { echo "Keycloak did not start:"; tail -40 "$log"; exit 1; }
  grep -m1 -E "Keycloak [0-9.]+ on JVM" "$log" || true
  grep -m1 -iE "profile|dev mode" "$log" | cut -c1-200 || true
  local kcjava # the JVM under kc.sh (kc.sh itself when it exec'd after a re-augmentation)
  kcjava="$(pgrep -P "$kc" -f QuarkusEntryPoint | head -1 || true)"
  timeout 660 java -Xmx1g "$HERE/KeycloakUserLoad.java" "$URL" "$ADMIN" "$ADMIN_PASSWORD" "$concurrency" "$WARMUP" "$MEASURED" \
    "${kcjava:-$kc}" "$(getconf CLK_TCK)"
  if grep -qE "ERROR|WARN.*(pool|timeout|Timeout)" "$log"; then
    echo "Keycloak log has $(grep -c ERROR "$log") ERROR line(s); first:"; grep -m3 -E "ERROR" "$log" | cut -c1-300
  fi
}

if [ "${1:-}" = --one ]; then one_run "$2" "$3"; exit; fi

if [ ! -f "$TARBALL" ]; then
  mkdir -p "$KC_CACHE"
  curl -fSL -o "$TARBALL.part" \
    "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
  mv "$TARBALL.part" "$TARBALL"
fi
echo "nproc: $(nproc)"
echo "load JVM: $(java -version 2>&1 | head -1)"
echo "Keycloak JVM: $("${KC_JAVA_HOME:-${JAVA_HOME:-/usr}}"/bin/java -version 2>&1 | head -1)"
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(dev:32 dev:32 dev:64 prod:32 prod:32 prod:64)
for run in "${RUNS[@]}"; do
  mode="${run%%:*}"
  home="$KC_CACHE/keycloak-$KC_VERSION-$mode"
  if [ ! -d "$home" ]; then # one extracted copy per mode, so dev and prod builds do not re-augment each other
    tmp="$(mktemp -d "$KC_CACHE/extract.XXXXXX")"
    tar xzf "$TARBALL" -C "$tmp"
    mv "$tmp/keycloak-$KC_VERSION" "$home"
    rmdir "$tmp"
  fi
  echo "Keycloak: $(cat "$home/version.txt")"
  flock "$LOCK" "$0" --one "$mode" "${run#*:}"
done
