# Sourced by bin/enigm-server: the HTTP and HTTPS listeners (docs/operations.md, "TLS").
#
# In:  HOME_DIR HOST PORT TLS_KEYSTORE HTTPS_PORT ALLOW_PLAIN_HTTP
# Out: TLS_OPTS (JVM options for Felix HTTP), LISTEN_PORTS (the ports to be bound), BASE_SCHEME and
#      BASE_PORT (where the API is announced), TLS_SECRET_ARGFILE (a JVM argument file holding the
#      keystore password, or empty).
#
# The password never reaches a command line (where ps shows it) nor the output: the JVM reads it from
# an argument file that is a pipe (file descriptor 9), filled from <home>/secrets/tls-keystore-password.

is_loopback() {
  case "$1" in
    localhost|127.*|::1|'[::1]') return 0 ;;
    *) return 1 ;;
  esac
}

tls_settings() {
  case "$ALLOW_PLAIN_HTTP" in
    yes|no) ;;
    *) die "invalid ENIGM_ALLOW_PLAIN_HTTP: $ALLOW_PLAIN_HTTP (yes or no)" ;;
  esac
  TLS_SECRET_ARGFILE=
  if [ -z "$TLS_KEYSTORE" ]; then
    if ! is_loopback "$HOST" && [ "$ALLOW_PLAIN_HTTP" != yes ]; then
      die "refusing to serve plain HTTP on $HOST, which is not a loopback address: tokens and passwords would cross the network unencrypted. Serve HTTPS with --tls-keystore FILE (docs/operations.md, \"TLS\"), or, behind a TLS-terminating proxy, say so with --allow-plain-http"
    fi
    TLS_OPTS=(-Dorg.apache.felix.http.enable=true -Dorg.apache.felix.https.enable=false)
    LISTEN_PORTS=("$PORT")
    BASE_SCHEME=http BASE_PORT="$PORT"
    return
  fi

  [[ "$HTTPS_PORT" =~ ^[0-9]+$ ]] && [ "$HTTPS_PORT" -ge 1 ] && [ "$HTTPS_PORT" -le 65535 ] \
    || die "invalid HTTPS port: $HTTPS_PORT"
  [ -f "$TLS_KEYSTORE" ] && [ -r "$TLS_KEYSTORE" ] || die "no readable keystore at $TLS_KEYSTORE"
  TLS_KEYSTORE="$(cd "$(dirname "$TLS_KEYSTORE")" && pwd)/$(basename "$TLS_KEYSTORE")"
  local password_file="$HOME_DIR/secrets/tls-keystore-password" password=
  [ -f "$password_file" ] || die "TLS needs the keystore's password in $password_file (one line, owner-only: chmod 600)"
  IFS= read -r password <"$password_file" || [ -n "$password" ] || die "$password_file is empty"
  [ -n "$password" ] || die "$password_file is empty"

  local plain=false
  LISTEN_PORTS=("$HTTPS_PORT")
  if [ "$ALLOW_PLAIN_HTTP" = yes ]; then
    [ "$PORT" != "$HTTPS_PORT" ] || die "--port and --https-port are both $PORT"
    plain=true
    LISTEN_PORTS+=("$PORT")
  fi
  TLS_OPTS=(
    "-Dorg.apache.felix.http.enable=$plain"
    -Dorg.apache.felix.https.enable=true
    "-Dorg.osgi.service.http.port.secure=$HTTPS_PORT"
    "-Dorg.apache.felix.https.keystore=$TLS_KEYSTORE"
    -Dorg.apache.felix.https.keystore.type=PKCS12
    # the console's session cookie only over HTTPS
    -Dorg.apache.felix.https.jetty.session.cookie.secure=true
  )
  BASE_SCHEME=https BASE_PORT="$HTTPS_PORT"

  # an argument file quotes its value in "…", where \ and " are escaped with a backslash
  password="${password//\\/\\\\}"
  password="${password//\"/\\\"}"
  exec 9< <(printf '"-Dorg.apache.felix.https.keystore.password=%s"\n' "$password")
  TLS_SECRET_ARGFILE=/dev/fd/9
}
