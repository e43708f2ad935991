#!/usr/bin/env bash
# Issue 14's large object, in one command: the built tree TREE (default: this checkout) serves; one
# member's device (a session made by this checkout's load JVM) uploads a SIZE-byte (256 MiB) random
# object on surface MEDIA and downloads it again with curl, both streamed, ROUNDS (3) times; beside
# each, dd writes (conv=fsync) and reads the same size to and from the server's data home's disk.
# Prints MB/s (10^6 bytes) of each and the ratio to dd, the server's heap used after a full GC
# before and after each transfer and its peak during it (jstat every 50 ms), the server's and
# curl's CPU time, and whether the downloaded bytes equal the uploaded (sha256).
# Both reads start cold: the file's pages are dropped from the page cache first (posix_fadvise,
# dd iflag=nocache; no root needed) and fincore's count of cached bytes is printed.
# DATA_DIR (TMPDIR or /tmp) holds the data home and dd's file: it is the disk measured. The source
# and the downloaded copy are kept in SCRATCH (/dev/shm, memory) so that nothing else touches that
# disk. The server runs from a private copy of TREE's distribution (TREE is left untouched) whose
# conf/ sets the largest object to SIZE. PORT (18704).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TREE="$(cd "${1:-$ROOT}" && pwd)"
PORT="${PORT:-18704}"
SIZE="${SIZE:-268435456}"
ROUNDS="${ROUNDS:-3}"
DATA_DIR="${DATA_DIR:-${TMPDIR:-/tmp}}"
SCRATCH="${SCRATCH:-/dev/shm}"
URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"
[ -f "$TREE/runtime/target/enigm-server/conf/config.properties" ] || { echo "no built distribution in $TREE" >&2; exit 1; }
for tool in curl dd fincore jcmd jstat sha256sum; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
free_bytes() { df --output=avail -B1 "$1" | tail -1; }
[ "$(free_bytes "$DATA_DIR")" -gt $((3 * SIZE)) ] || { echo "DATA_DIR $DATA_DIR has less than 3 x SIZE free" >&2; exit 1; }
[ "$(free_bytes "$SCRATCH")" -gt $((3 * SIZE)) ] || { echo "SCRATCH $SCRATCH has less than 3 x SIZE free" >&2; exit 1; }

WORK="$(mktemp -d -p "$SCRATCH")"
HOME_DIR="$(mktemp -d -p "$DATA_DIR")"
SERVER=""
SAMPLER=""
cleanup() {
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; fi
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK" "$HOME_DIR"
}
trap cleanup EXIT
DIST="$WORK/dist"
cp -r "$TREE/runtime/target/enigm-server" "$DIST"
rm -f "$DIST"/bin/enigm*.jsa*
printf 'maxObjectBytes=%d\n' "$SIZE" > "$DIST/conf/io.enigm.server.content.cfg"
ENIGM_CDS=off ENIGM_DIST="$DIST" "$TREE/enigm-server" --home "$HOME_DIR" --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  grep -q "objects up to $SIZE bytes" "$WORK/server.log" 2>/dev/null \
    && [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break
  sleep 0.1
done
grep -q "objects up to $SIZE bytes" "$WORK/server.log" \
  || { echo "the server did not take maxObjectBytes=$SIZE; its log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }

java -cp "$CLASSPATH" io.enigm.server.bench.load.ContentMember "$URL" "$HOME_DIR/secrets/owner-token" \
  > "$WORK/member" 2> "$WORK/member.log" || { cat "$WORK/member.log" >&2; exit 1; }
read -r ENV TOKEN < "$WORK/member"
# the session token goes to curl in a file, never on a command line other users can read
printf 'Authorization: Bearer %s\n' "$TOKEN" > "$WORK/authorization"
CONTENT="$URL/api/v1/environments/$ENV/content"
SOURCE="$WORK/source.bin"
head -c "$SIZE" /dev/urandom > "$SOURCE"
SOURCE_SHA="$(sha256sum "$SOURCE" | cut -d' ' -f1)"

now() { echo "$EPOCHREALTIME"; }
mbps() { awk -v b="$SIZE" -v s="$1" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
cpu_seconds() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }'; }
cached() { fincore -b -n -o RES "$1" | awk '{ print $1 }'; }
drop_cache() { dd if="$1" iflag=nocache count=0 status=none; }
# heap used in MiB, from one jstat -gc line: survivors, eden and old generation
heap_columns='NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }'
heap_used_after_gc() {
  jcmd "$SERVER" GC.run > /dev/null
  jstat -gc "$SERVER" | awk "$heap_columns"' { printf "%.1f", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024 }'
}
start_sampler() {
  jstat -gc "$SERVER" 50 > "$WORK/jstat" &
  SAMPLER=$!
  for _ in $(seq 1 100); do [ "$(wc -l < "$WORK/jstat")" -ge 2 ] && break; sleep 0.05; done
}
# "peak P MiB (old generation O MiB), G collections" over what the sampler saw
stop_sampler() {
  kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
  awk "$heap_columns"' { u = ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024; if (u > peak) peak = u
      if ($c["OU"] / 1024 > old) old = $c["OU"] / 1024; gcs = $c["YGC"] + $c["FGC"]; if (NR == 2) first = gcs }
    END { printf "peak %.1f MiB (old generation %.1f MiB), %d collections, %d samples", peak, old, gcs - first, NR - 1 }' \
    "$WORK/jstat"
}
# curl's own CPU, user + system, from bash's time
TIMEFORMAT='%U %S'
curl_cpu() { awk '{ printf "%.2f", $1 + $2 }' "$WORK/time"; }

COMMIT="$(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo '?')"
[ -z "$(git -C "$TREE" --no-optional-locks status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT with uncommitted changes"
echo "== content, large object: $SIZE bytes ($((SIZE / 1048576)) MiB) up and down through the API beside dd, $ROUNDS rounds"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), server tree $TREE at $COMMIT"
echo "disk measured: data home $HOME_DIR on $(df --output=source,fstype "$HOME_DIR" | tail -1 | tr -s ' ');" \
  "source and download copies in $SCRATCH ($(df --output=fstype "$SCRATCH" | tail -1 | tr -d ' '))"
# untimed, so that round 1 does not measure the JIT compiling the upload and download paths
WARMUP_SIZE=$((SIZE < 33554432 ? SIZE : 33554432))
echo "server heap at most $(jstat -gccapacity "$SERVER" | awk "$heap_columns"' { printf "%.0f", ($c["NGCMX"] + $c["OGCMX"]) / 1024 }')" \
  "MiB; one untimed upload and download of $WARMUP_SIZE bytes first"
head -c "$WARMUP_SIZE" "$SOURCE" | curl -sS -f -X POST -T - -H @"$WORK/authorization" \
  -H 'Content-Type: application/octet-stream' -H 'X-Enigm-Surface: MEDIA' -H 'Expect:' -o "$WORK/receipt" "$CONTENT"
ID="$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$WORK/receipt")"
curl -sS -f -H @"$WORK/authorization" -o /dev/null "$CONTENT/$ID"
curl -sS -f -X DELETE -H @"$WORK/authorization" -o /dev/null "$CONTENT/$ID"
for round in $(seq 1 "$ROUNDS"); do
  DD_FILE="$HOME_DIR/dd-$round.bin"
  t0=$(now); dd if="$SOURCE" of="$DD_FILE" bs=1M conv=fsync status=none; t1=$(now)
  DD_WRITE=$(seconds "$t0" "$t1")

  HEAP_BEFORE=$(heap_used_after_gc)
  start_sampler
  c0=$(server_cpu); t0=$(now)
  { time curl -sS -X POST -T "$SOURCE" -H @"$WORK/authorization" -H 'Content-Type: application/octet-stream' \
      -H 'X-Enigm-Surface: MEDIA' -H 'Expect:' -o "$WORK/receipt" -w '%{http_code}' "$CONTENT" > "$WORK/status"; } \
    2> "$WORK/time"
  t1=$(now); c1=$(server_cpu)
  UPLOAD_HEAP=$(stop_sampler)
  UPLOAD_CPU="server CPU $(cpu_seconds "$c0" "$c1") s, curl $(curl_cpu) s"
  [ "$(cat "$WORK/status")" = 201 ] || { echo "upload answered $(cat "$WORK/status"): $(cat "$WORK/receipt")" >&2; exit 1; }
  UPLOAD=$(seconds "$t0" "$t1")
  HEAP_UPLOADED=$(heap_used_after_gc)
  ID="$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$WORK/receipt")"
  BLOB="$(find "$HOME_DIR/content/objects" -name "$ID")"

  drop_cache "$DD_FILE"
  DD_READ_CACHED=$(cached "$DD_FILE")
  t0=$(now); dd if="$DD_FILE" of=/dev/null bs=1M status=none; t1=$(now)
  DD_READ=$(seconds "$t0" "$t1")

  drop_cache "$BLOB"
  DOWNLOAD_CACHED=$(cached "$BLOB")
  start_sampler
  c0=$(server_cpu); t0=$(now)
  { time curl -sS -H @"$WORK/authorization" -o "$WORK/download.bin" -w '%{http_code}' "$CONTENT/$ID" \
      > "$WORK/status"; } 2> "$WORK/time"
  t1=$(now); c1=$(server_cpu)
  DOWNLOAD_HEAP=$(stop_sampler)
  DOWNLOAD_CPU="server CPU $(cpu_seconds "$c0" "$c1") s, curl $(curl_cpu) s"
  [ "$(cat "$WORK/status")" = 200 ] || { echo "download answered $(cat "$WORK/status")" >&2; exit 1; }
  DOWNLOAD=$(seconds "$t0" "$t1")
  HEAP_DOWNLOADED=$(heap_used_after_gc)
  SAME=no; [ "$(sha256sum "$WORK/download.bin" | cut -d' ' -f1)" = "$SOURCE_SHA" ] && SAME=yes

  echo "round $round write: API upload $(mbps "$UPLOAD") MB/s ($UPLOAD s; $UPLOAD_CPU)," \
    "dd conv=fsync $(mbps "$DD_WRITE") MB/s ($DD_WRITE s): upload/dd $(percent "$DD_WRITE" "$UPLOAD") %"
  echo "round $round read, cold ($DOWNLOAD_CACHED and $DD_READ_CACHED bytes cached before): API download" \
    "$(mbps "$DOWNLOAD") MB/s ($DOWNLOAD s; $DOWNLOAD_CPU), dd $(mbps "$DD_READ") MB/s ($DD_READ s):" \
    "download/dd $(percent "$DD_READ" "$DOWNLOAD") %"
  echo "round $round server heap used after full GC: $HEAP_BEFORE MiB before the upload, $HEAP_UPLOADED after it," \
    "$HEAP_DOWNLOADED after the download; during the upload $UPLOAD_HEAP; during the download $DOWNLOAD_HEAP"
  echo "round $round sha256 of the download equals the upload's: $SAME"

  curl -sS -X DELETE -H @"$WORK/authorization" -o /dev/null "$CONTENT/$ID"
  rm -f "$DD_FILE" "$WORK/download.bin"
  [ "$SAME" = yes ] || exit 1
done
