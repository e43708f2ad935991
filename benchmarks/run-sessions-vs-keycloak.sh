#!/usr/bin/env bash
# Issue 13's comparison, in one command on one machine, one after the other: Keycloak's client-credentials
# tokens per second, then Enigm Server's device-signed sessions per second, both from CONCURRENCY clients.
#   1. Keycloak (through Maven, see keycloak/keycloak.sh), fresh, in KC_MODE (prod: kc.sh start --db=dev-file
#      --http-enabled=true --hostname-strict=false; dev: kc.sh start-dev): realm "bench", a confidential client
#      (client secret, service account), then TOKENS_WARMUP untimed and TOKENS timed POSTs of
#      /realms/bench/protocol/openid-connect/token grant_type=client_credentials (keycloak/KeycloakLoad.java).
#      Keycloak is stopped before Enigm starts.
#   2. Enigm Server: run-sessions.sh (challenge, Ed25519 signature, POST /sessions), SESSIONS timed after
#      WARMUP untimed, DEVICES devices.
# Needs a built tree (mvn -DskipTests package) and Maven to fetch Keycloak. Both load generators run on this
# machine too: each prints the CPU it took beside the server's.
# Env: CONCURRENCY (32), TOKENS (20000), TOKENS_WARMUP (20000), KC_MODE (prod), KC_PORT (18080),
#      DEVICES, SESSIONS, WARMUP (run-sessions.sh's defaults), ENIGM_PORT (18701); keycloak/keycloak.sh's env.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KC_PORT="${KC_PORT:-18080}"
# shellcheck source=keycloak/keycloak.sh
. "$ROOT/benchmarks/keycloak/keycloak.sh"
CONCURRENCY="${CONCURRENCY:-32}"
TOKENS="${TOKENS:-20000}"
TOKENS_WARMUP="${TOKENS_WARMUP:-20000}"
KC_MODE="${KC_MODE:-prod}"

echo "nproc: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT="$(mktemp -d /tmp/sessions-vs-keycloak-XXXXXX)"
LOG="$OUT/keycloak.log"
trap keycloak_stop EXIT
keycloak_start "$KC_MODE" "$LOG"
echo "== Keycloak client-credentials tokens: $TOKENS after $TOKENS_WARMUP untimed, concurrency $CONCURRENCY"
java -Xmx1g "$ROOT/benchmarks/keycloak/KeycloakLoad.java" tokens "$KC_URL" "$KC_ADMIN" "$KC_ADMIN_PASSWORD" \
  "$CONCURRENCY" "$TOKENS_WARMUP" "$TOKENS" "$KC_JVM" "$(getconf CLK_TCK)" | tee "$OUT/keycloak.txt"
KC_RESULT="$(sed -n 's/^RESULT tokens_per_s=\([0-9.]*\).*/\1/p' "$OUT/keycloak.txt")"
keycloak_log_errors "$LOG"
keycloak_stop

PORT="${ENIGM_PORT:-18701}" CONCURRENCY="$CONCURRENCY" "$ROOT/benchmarks/run-sessions.sh" | tee "$OUT/enigm.txt"
ENIGM_RESULT="$(sed -n 's/^sessions established: .* = \([0-9]*\)\/s.*/\1/p' "$OUT/enigm.txt")"
echo "== Enigm sessions/s ${ENIGM_RESULT:-?} against Keycloak client-credentials tokens/s ${KC_RESULT:-?}:" \
  "$(awk -v e="${ENIGM_RESULT:-0}" -v k="${KC_RESULT:-0}" 'BEGIN { if (k > 0) printf "%.1f×", e / k; else print "no ratio" }')"
