# Keycloak for the benchmarks, sourced by run-keycloak.sh and run-sessions-vs-keycloak.sh.
# The distribution is a Maven artifact (org.keycloak:keycloak-quarkus-dist:<version>:tar.gz from Maven
# Central), fetched through Maven like every other artifact of the build and kept in the local repository;
# one extracted copy per mode under KC_CACHE, so dev and prod builds do not re-augment each other.
# Env: KC_VERSION (26.5.6), KC_PORT (PORT, else 18080), KC_CACHE (~/.cache/keycloak), KC_JAVA_HOME (JDK for Keycloak;
#      default the java on PATH), KC_START_SECONDS (900: a first start rebuilds the server image, minutes on a
#      busy machine).
KC_VERSION="${KC_VERSION:-26.5.6}"
KC_PORT="${KC_PORT:-${PORT:-18080}}"
KC_CACHE="${KC_CACHE:-$HOME/.cache/keycloak}"
KC_START_SECONDS="${KC_START_SECONDS:-900}"
KC_ADMIN=admin
KC_ADMIN_PASSWORD=admin-bench-password
KC_URL="http://127.0.0.1:$KC_PORT"

# keycloak_home MODE: prints the extracted distribution for MODE (dev or prod), fetching it first if needed
keycloak_home() {
  local home="$KC_CACHE/keycloak-$KC_VERSION-$1"
  if [ ! -d "$home" ]; then
    local tarball="$KC_CACHE/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
    if [ ! -f "$tarball" ]; then
      mkdir -p "$KC_CACHE"
      mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" -DoutputDirectory="$KC_CACHE" \
        > "$KC_CACHE/maven.log" 2>&1 \
        || { cat "$KC_CACHE/maven.log" >&2; echo "Maven could not resolve org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" >&2; return 1; }
    fi
    local tmp
    tmp="$(mktemp -d "$KC_CACHE/extract.XXXXXX")"
    tar xzf "$tarball" -C "$tmp"
    mv "$tmp/keycloak-$KC_VERSION" "$home"
    rmdir "$tmp"
  fi
  echo "$home"
}

# keycloak_start MODE LOG: a fresh Keycloak (its data directory removed) on 127.0.0.1:$KC_PORT, in the
# background; sets KC_PID (kc.sh) and KC_JVM (the JVM serving, for CPU accounting) once it answers.
#   dev  = kc.sh start-dev (embedded H2 dev-file database)
#   prod = kc.sh start --db=dev-file --http-enabled=true --hostname-strict=false (same H2 file database)
keycloak_start() {
  local mode="$1" log="$2" home
  home="$(keycloak_home "$mode")" || return 1
  rm -rf "$home/data"
  local args=(--http-host=127.0.0.1 --http-port="$KC_PORT")
  if [ "$mode" = dev ]; then
    args=(start-dev "${args[@]}")
  else
    args=(start --db=dev-file --http-enabled=true --hostname-strict=false "${args[@]}")
  fi
  echo "== $(date -u +%FT%TZ) Keycloak $(cat "$home/version.txt") mode=$mode: kc.sh ${args[*]} (log $log)"
  (
    [ -n "${KC_JAVA_HOME:-}" ] && export JAVA_HOME="$KC_JAVA_HOME"
    KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN" KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
      exec setsid "$home/bin/kc.sh" "${args[@]}" > "$log" 2>&1 < /dev/null
  ) &
  KC_PID=$!
  local deadline=$((SECONDS + KC_START_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -m 5 -s -o /dev/null -w '%{http_code}' "$KC_URL/realms/master/.well-known/openid-configuration")" = 200 ]; then
      grep -m1 -E "Keycloak [0-9.]+ on JVM" "$log" || true
      KC_JVM="$(pgrep -P "$KC_PID" -f QuarkusEntryPoint | head -1 || true)"
      KC_JVM="${KC_JVM:-$KC_PID}"
      return 0
    fi
    kill -0 "$KC_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "Keycloak did not start:"; tail -40 "$log"
  return 1
}

# keycloak_stop: stops the Keycloak started last (its whole process group)
keycloak_stop() {
  [ -n "${KC_PID:-}" ] || return 0
  kill -TERM -- "-$KC_PID" 2>/dev/null || true
  wait "$KC_PID" 2>/dev/null || true
  KC_PID=
}

# keycloak_log_errors LOG: the log's errors, if any
keycloak_log_errors() {
  if grep -qE "ERROR|WARN.*(pool|timeout|Timeout)" "$1"; then
    echo "Keycloak log has $(grep -c ERROR "$1") ERROR line(s); first:"; grep -m3 -E "ERROR" "$1" | cut -c1-300
  fi
}
