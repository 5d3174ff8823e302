#!/usr/bin/env bash
# Runs the storage JMH benchmarks with one command.
#   bench/jmh.sh                      all benchmarks under io.sluice.storage.bench, default iterations
#   bench/jmh.sh AppendBenchmark -p batchRecords=100 -wi 1 -i 2 -r 2s     any JMH arguments pass through
#   DD=1 bench/jmh.sh ...             first writes 2 GiB with dd to the same disk, for comparison
# Benchmark data goes to $BENCH_DIR (default target/bench-data) and is deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-target/bench-data}
mkdir -p "$BENCH_DIR"

mvn -q test-compile
CP_FILE=target/bench-classpath.txt
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null

if [[ "${DD:-0}" == "1" ]]; then
  echo "== dd if=/dev/zero of=$BENCH_DIR/ddtest bs=1M count=2048 (no fsync)"
  dd if=/dev/zero of="$BENCH_DIR/ddtest" bs=1M count=2048 2>&1 | tail -1
  rm -f "$BENCH_DIR/ddtest"
fi

ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 ]]; then
  ARGS=(io.sluice.storage.bench)
fi
exec java -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  org.openjdk.jmh.Main \
  -jvmArgsAppend "-Dsluice.bench.dir=$(realpath "$BENCH_DIR") -Djava.util.logging.config.file=$(realpath bench/logging.properties)" \
  "${ARGS[@]}"
