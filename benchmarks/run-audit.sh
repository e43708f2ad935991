#!/usr/bin/env bash
# Issue 15's audit benchmarks, in one run: (1) records verified per second by the standalone verifier
# on one core, on a real audit log's export of RECORDS records (built once, kept in WORK); (2) audit
# appends per second with the chain and durable commits beside plain SQLite inserts of the same rows
# (JMH, benchmarks/audit-jmh). Prints the machine's load and cores beside the numbers.
# Needs a built tree: mvn -B -o verify -pl tools/audit-verifier,benchmarks/audit-jmh -am -DskipTests
# Sizes: RECORDS (1000000), RUNS (3 verifier runs), WORK (a directory with room for the export, ~460 MB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RECORDS="${RECORDS:-1000000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-$ROOT/benchmarks/audit-jmh/target/export-$RECORDS}"
VERIFIER="$ROOT/tools/audit-verifier/target/enigm-audit-verifier.jar"
BENCHMARKS="$ROOT/benchmarks/audit-jmh/target/benchmarks.jar"

echo "nproc $(nproc); $(uptime)"
if [ ! -f "$WORK/export.jsonl" ]; then
    mkdir -p -m 700 "$WORK"
    java -cp "$BENCHMARKS" io.enigm.server.benchmarks.audit.GenerateExport "$WORK" "$RECORDS" 2>/dev/null
fi
ls -l "$WORK/export.jsonl"

for run in $(seq 1 "$RUNS"); do
    start=$(date +%s.%N)
    taskset -c 0 java -jar "$VERIFIER" "$WORK/export.jsonl"
    end=$(date +%s.%N)
    echo "verifier run $run: $(echo "$RECORDS / ($end - $start)" | bc) records/s on core 0, JVM start included ($(echo "$end - $start" | bc) s)"
done
echo "load after the verifier: $(uptime)"

java -jar "$BENCHMARKS" -f 1 -wi 2 -w 5s -i 5 -r 5s -t 1 AuditAppendBenchmark
echo "load after the appends: $(uptime)"
