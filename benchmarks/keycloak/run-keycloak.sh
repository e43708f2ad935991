#!/usr/bin/env bash
# Keycloak 26 user creation rate on this machine, as the reference for member creation.
# Usage: benchmarks/keycloak/run-keycloak.sh [MODE:CONCURRENCY ...]   (default: dev:32 dev:32 dev:64 prod:32 prod:32 prod:64)
#   MODE dev  = kc.sh start-dev (embedded H2 dev-file database)
#   MODE prod = kc.sh start --db=dev-file --http-enabled=true --hostname-strict=false (same H2 file database)
# The distribution comes through Maven (keycloak.sh). Each run: a fresh Keycloak (its data directory removed)
# on 127.0.0.1:$PORT with default heap, an admin token
# from the master realm (admin-cli, password grant) with the master realm's access token lifespan raised to
# 3600 s, realm "bench", then from a separate JVM (KeycloakLoad.java users) WARMUP users untimed and MEASURED
# users timed, POST /admin/realms/bench/users {"username":"u<N>","enabled":true} (N from 100000, as usernames need 3+ chars), no password. Only 201 counts.
# Every run (Keycloak start + load) holds flock /tmp/bench.lock, shared with the other benchmarks.
# Env: KC_VERSION (26.5.6), PORT (18080), WARMUP (2000), MEASURED (10000), KC_CACHE (~/.cache/keycloak),
#      KC_JAVA_HOME (JDK for Keycloak; default the java on PATH), LOCK (/tmp/bench.lock).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=keycloak.sh
. "$HERE/keycloak.sh"
WARMUP="${WARMUP:-2000}"
MEASURED="${MEASURED:-10000}"
LOCK="${LOCK:-/tmp/bench.lock}"

one_run() { # MODE CONCURRENCY; runs under the lock
  local mode="$1" concurrency="$2" log
  log="$(mktemp /tmp/keycloak-bench-XXXXXX.log)"
  trap keycloak_stop EXIT
  keycloak_start "$mode" "$log" || exit 1
  timeout 660 java -Xmx1g "$HERE/KeycloakLoad.java" users "$KC_URL" "$KC_ADMIN" "$KC_ADMIN_PASSWORD" "$concurrency" \
    "$WARMUP" "$MEASURED" "$KC_JVM" "$(getconf CLK_TCK)"
  keycloak_log_errors "$log"
}

if [ "${1:-}" = --one ]; then one_run "$2" "$3"; exit; fi

echo "nproc: $(nproc)"
echo "load JVM: $(java -version 2>&1 | head -1)"
echo "Keycloak JVM: $("${KC_JAVA_HOME:-${JAVA_HOME:-/usr}}"/bin/java -version 2>&1 | head -1)"
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(dev:32 dev:32 dev:64 prod:32 prod:32 prod:64)
for run in "${RUNS[@]}"; do
  keycloak_home "${run%%:*}" > /dev/null # fetched and extracted outside the lock
  flock "$LOCK" "$0" --one "${run%%:*}" "${run#*:}"
done
