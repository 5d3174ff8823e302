# Sluice side of the benchmark: build, start on a temp data dir and a free port, drive it with the Java load
# generator (src/test/java/io/sluice/bench), stop. Sourced by bench/run.sh, not executed.
#
# Durability: Sluice's default flush policy (no sluice.log.flush-* settings), so an acknowledged write has
# reached the OS page cache, not the disk: the same promise Kafka makes by default.

SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:-$BROKER_JAVA_OPTS}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-Xms512m -Xmx1g -XX:+UseG1GC"}

sluice_build() {
  if [ "$SKIP_BUILD" = 1 ] && [ -f "$OUT/../classpath.txt" ] && ls "$ROOT"/target/sluice-*.jar >/dev/null 2>&1; then
    log "skipping the build (--skip-build)"
  else
    log "building Sluice (mvn -q -DskipTests package)"
    (cd "$ROOT" && mvn -q -DskipTests package) || die "build failed"
    (cd "$ROOT" && mvn -q dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$OUT/../classpath.txt") >/dev/null || die "could not compute the test classpath"
  fi
  SLUICE_JAR=$(ls "$ROOT"/target/sluice-*.jar | grep -v -- '-plain' | head -1)
  CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/../classpath.txt")"
}

# Starts Sluice on SLUICE_DIR (created if needed); sets SLUICE_PID, SLUICE_URL, SLUICE_READY_MS.
sluice_launch() {
  local extra=${1:-}
  SLUICE_PORT=${SLUICE_PORT:-$(free_port)}
  SLUICE_URL="http://127.0.0.1:$SLUICE_PORT"
  mkdir -p "$SLUICE_DIR"
  local t0
  t0=$(now_ms)
  # shellcheck disable=SC2086
  java $SLUICE_JAVA_OPTS $extra "$(gc_log sluice)" -jar "$SLUICE_JAR" --server.address=127.0.0.1 --server.port="$SLUICE_PORT" \
    --sluice.data-dir="$SLUICE_DIR" >>"$OUT/sluice.log" 2>&1 &
  SLUICE_PID=$!
  wait_for 600 sluice_healthy || die "Sluice did not become healthy, see $OUT/sluice.log"
  SLUICE_READY_MS=$(($(now_ms) - t0))
  log "Sluice pid $SLUICE_PID healthy on $SLUICE_URL after ${SLUICE_READY_MS} ms"
}

sluice_healthy() {
  kill -0 "$SLUICE_PID" 2>/dev/null || die "Sluice exited, see $OUT/sluice.log"
  curl -sf "$SLUICE_URL/actuator/health" | grep -q '"UP"'
}

sluice_start_fresh() {
  SLUICE_DIR=$(mktemp -d "$WORK/sluice.XXXXXX")
  SLUICE_PORT=
  sluice_launch "${1:-}"
}

sluice_stop() {
  local t0
  t0=$(now_ms)
  stop_pid "$SLUICE_PID" TERM
  log "Sluice stopped in $(($(now_ms) - t0)) ms"
  SLUICE_PID=
}

# loadgen <workload> [--id ID] [--system S] options...: runs the load generator, appends its RESULT lines to
# RESULTS; if it fails, records the failure (never a number) for that id.
loadgen() {
  local id=$1 system=sluice prev=
  for arg in "$@"; do
    [ "$prev" = --id ] && id=$arg
    [ "$prev" = --system ] && system=$arg
    prev=$arg
  done
  log "load generator: $*"
  # shellcheck disable=SC2086
  if java $LOADGEN_JAVA_OPTS -cp "$CP" io.sluice.bench.LoadGenerator "$@" >"$OUT/loadgen.out" 2>>"$OUT/loadgen.log"; then
    grep '^RESULT' "$OUT/loadgen.out" | cut -f2- | while IFS=$'\t' read -r rid rsys primary text; do
      result "$rid" "$rsys" "$primary" "$text"
    done
  else
    local why
    why=$(grep -E 'Exception|Error|failed' "$OUT/loadgen.log" | tail -1 | cut -c1-160 | tr '\t|' '  ')
    result "$id" "$system" - "FAILED: ${why:-see loadgen.log}"
  fi
}

sluice_warmup() {
  log "Sluice warm-up: $WARMUP records in 1 and in 6 partitions, each read back $WARMUP_READS times each way, then a minute of WebSocket subscription"
  local parts accept pass
  for parts in 1 6; do
    loadgen produce --id warmup --url "$SLUICE_URL" --topic "warmup-${parts}p" --partitions "$parts" --value-size 100 \
      --format json --records "$WARMUP"
  done
  # The read rows are a few hundred requests each: without reads in the warm-up they would mostly measure the JIT
  # compiling the read paths. One pass left the group reads half compiled, and a 1-partition warm-up left the 6-instance
  # group reads compiling through their first runs (bench/README.md). Kafka's warm-up reads the same topics as many
  # times, see kafka_warmup.
  for pass in $(seq 1 "$WARMUP_READS"); do
    for parts in 1 6; do
      for accept in application/json application/vnd.sluice.batches; do
        loadgen read --id warmup --url "$SLUICE_URL" --topic "warmup-${parts}p" --partitions "$parts" --value-size 100 \
          --expect "$WARMUP" --accept "$accept"
        loadgen group-read --id warmup --url "$SLUICE_URL" --topic "warmup-${parts}p" --partitions "$parts" \
          --value-size 100 --expect "$WARMUP" --accept "$accept"
      done
    done
  done
  # The WebSocket subscription's path is used by no other workload: a 1,000 records/s subscription ran with a p99 of
  # 3 s cold, 180 ms after 30 s and 5 ms after 90 s on one server, so it gets its minute here (Kafka's e2e path is the
  # producer and consumer its warm-up already ran).
  loadgen e2e-ws --id warmup --url "$SLUICE_URL" --topic warmup-ws --rate 1000 --seconds 60 --value-size 100
  sed -i '/^warmup\t/d' "$RESULTS"
}

# sluice_produce_step <size> <partitions>: one produce run per body format, each into its own topic.
sluice_produce_step() {
  local size=$1 parts=$2 format
  for format in json binary ndjson; do
    with_cpu "produce-$format-${size}b-${parts}p" sluice "$SLUICE_PID" "$(records_for "$size")" \
      loadgen produce --id "produce-$format-${size}b-${parts}p" --url "$SLUICE_URL" \
      --topic "bench-$format-${size}b-${parts}p" --partitions "$parts" --value-size "$size" --format "$format" \
      --records "$(records_for "$size")"
  done
}

# sluice_read_step <size> <partitions>: reads the JSON-produced topic back to the end four ways: partition reads
# as JSON and as Kafka record batches (decoded by the client), and a consumer group with one instance per partition,
# JSON and batches. Every reader keeps its next read in flight while it decodes (the load generator's --prefetch 2).
sluice_read_step() {
  local size=$1 parts=$2 topic="bench-json-${1}b-${2}p" n
  n=$(records_for "$size")
  with_cpu "read-${size}b-${parts}p" sluice "$SLUICE_PID" "$n" \
    loadgen read --id "read-${size}b-${parts}p" --url "$SLUICE_URL" --topic "$topic" \
    --partitions "$parts" --value-size "$size" --expect "$n"
  with_cpu "read-batches-${size}b-${parts}p" sluice "$SLUICE_PID" "$n" \
    loadgen read --id "read-batches-${size}b-${parts}p" --url "$SLUICE_URL" --topic "$topic" \
    --partitions "$parts" --value-size "$size" --expect "$n" --accept application/vnd.sluice.batches
  with_cpu "group-read-${size}b-${parts}p" sluice "$SLUICE_PID" "$n" \
    loadgen group-read --id "group-read-${size}b-${parts}p" --url "$SLUICE_URL" --topic "$topic" \
    --partitions "$parts" --value-size "$size" --expect "$n"
  with_cpu "group-read-batches-${size}b-${parts}p" sluice "$SLUICE_PID" "$n" \
    loadgen group-read --id "group-read-batches-${size}b-${parts}p" --url "$SLUICE_URL" --topic "$topic" \
    --partitions "$parts" --value-size "$size" --expect "$n" --accept application/vnd.sluice.batches
}

sluice_e2e_step() {
  flush_dirty_pages
  loadgen e2e --id e2e-longpoll --url "$SLUICE_URL" --topic e2e --rate 1000 --warmup-seconds "$E2E_WARMUP" \
    --seconds "$E2E_SECONDS" --value-size 100
  loadgen e2e-ws --id e2e-websocket --url "$SLUICE_URL" --topic e2e-ws --rate 1000 --warmup-seconds "$E2E_WARMUP" \
    --seconds "$E2E_SECONDS" --value-size 100
}

sluice_partitions_step() {
  loadgen partitions --id partitions-create --url "$SLUICE_URL" --topic many --partitions 1000 \
    --records "$PARTITIONS_RECORDS"
}

# 10,000 idle long-polls twice: with 120 s timeouts (what a client holding many idle polls should ask for; the
# goal row) and with 30 s timeouts (four times the re-polling), each measured in steady state over IDLE_SECONDS and
# IDLE_30S_SECONDS. In a full run those are one timeout each, so that every poll is renewed once in its window: the
# cost of holding polls comes in bursts (renewals, collections), and 30 s windows of the same build ranged from 1.3 %
# to 2.5 % of a core (BENCHMARKS.md, session 12).
sluice_idle_step() {
  loadgen idle-polls --id idle-polls --url "$SLUICE_URL" --pid "$SLUICE_PID" --connections "$IDLE_POLLS" \
    --seconds "$IDLE_SECONDS" --poll-timeout-ms 120000 --topic idle-120s
  loadgen idle-polls --id idle-polls-30s --url "$SLUICE_URL" --pid "$SLUICE_PID" --connections "$IDLE_POLLS" \
    --seconds "$IDLE_30S_SECONDS" --poll-timeout-ms 30000 --topic idle-30s
}

# Start-up with an empty data dir, then recovery after kill -9 with DATA_GB of 1 KB records on 6 partitions.
sluice_startup_recovery() {
  sluice_start_fresh
  result startup sluice "$SLUICE_READY_MS" "$SLUICE_READY_MS ms"
  log "Sluice: filling $DATA_GB GB (1,000 B records, binary batches, 6 partitions)"
  loadgen produce --id fill --url "$SLUICE_URL" --topic fill --partitions 6 --value-size 1000 --format binary \
    --records "$((DATA_GB * 1000000))"
  sed -i '/^fill\t/d' "$RESULTS"
  local size
  size=$(du -sh "$SLUICE_DIR" | cut -f1)
  stop_pid "$SLUICE_PID" KILL
  sluice_launch
  result recovery sluice "$SLUICE_READY_MS" "$SLUICE_READY_MS ms ($size on disk)"
  sluice_stop
  rm -rf "$SLUICE_DIR"
}
