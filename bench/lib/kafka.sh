# Apache Kafka side of the benchmark: resolve with Maven, run a single-node KRaft broker on 127.0.0.1,
# drive it with Kafka's own tools (kafka-tools). Sourced by bench/run.sh, not executed.
#
# Durability: Kafka's defaults (log.flush.interval.messages / log.flush.interval.ms unset), so an
# acknowledged write has reached the OS page cache, not the disk: the same promise Sluice makes by default.

KAFKA_VERSION=${KAFKA_VERSION:-4.4.0}
KAFKA_HOME="$BENCH_DIR/.cache/kafka-$KAFKA_VERSION"
KAFKA_QUIET="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"

kafka_resolve() {
  if [ -f "$KAFKA_HOME/libs/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    log "Kafka $KAFKA_VERSION already in $KAFKA_HOME"
    return
  fi
  log "resolving Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  mvn -q -f "$BENCH_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs.tmp" \
    || die "could not resolve Kafka with Maven"
  mv "$KAFKA_HOME/libs.tmp" "$KAFKA_HOME/libs"
}

kafka_java() { java $KAFKA_QUIET -cp "$KAFKA_HOME/libs/*" "$@"; }

kafka_write_config() {
  cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
}

# Formats KRaft storage in a fresh temp dir and starts the broker (heap 1 GiB, G1). Sets KAFKA_PID.
kafka_start_fresh() {
  KAFKA_DIR=$(mktemp -d "$WORK/kafka.XXXXXX")
  KAFKA_PORT=$(free_port)
  KAFKA_CONTROLLER_PORT=$(free_port)
  KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
  kafka_write_config
  local cluster_id
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid)
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" \
    >"$KAFKA_DIR/format.log" 2>&1 || die "kafka storage format failed, see $KAFKA_DIR/format.log"
  kafka_launch
}

# Starts the broker on the existing KAFKA_DIR; sets KAFKA_PID and KAFKA_READY_MS (launch -> serving).
kafka_launch() {
  local t0
  t0=$(now_ms)
  java $BROKER_JAVA_OPTS "$(gc_log kafka)" -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
    >>"$KAFKA_DIR/broker.log" 2>&1 &
  KAFKA_PID=$!
  wait_for 600 kafka_started || die "Kafka did not start, see $KAFKA_DIR/broker.log"
  KAFKA_READY_MS=$(($(now_ms) - t0))
  log "Kafka pid $KAFKA_PID serving on $KAFKA_BOOTSTRAP after ${KAFKA_READY_MS} ms"
}

kafka_started() {
  kill -0 "$KAFKA_PID" 2>/dev/null || die "Kafka exited, see $KAFKA_DIR/broker.log"
  port_open "$KAFKA_PORT" && [ "$(grep -c 'Kafka Server started' "$KAFKA_DIR/broker.log")" -gt "${KAFKA_STARTS:-0}" ]
}

kafka_stop() {
  stop_pid "$KAFKA_PID" TERM
  KAFKA_PID=
}

kafka_topic() { # name partitions
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --create \
    --topic "$1" --partitions "$2" --replication-factor 1 >/dev/null
}

# kafka_produce <topic> <records> <size> [throughput]: prints the tool's final summary line.
kafka_produce() {
  kafka_java org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --topic "$1" --num-records "$2" --record-size "$3" --throughput "${4:--1}" \
    --command-property acks=all linger.ms=5 batch.size=262144 2>&1 | tail -1
}

# An awk function printing a number with thousands separators (awk's %'d depends on the locale).
AWK_COMMAS='function commas(x,  s, r) { s = sprintf("%.0f", x); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
'

# kafka_record <id> <tool output>: appends the parsed result from stdin, or a FAILED entry if there is none.
kafka_record() {
  local parsed
  parsed=$(cat)
  if [ -n "$parsed" ]; then
    echo "$parsed" >>"$RESULTS"
    log "result: $parsed"
  else
    result "$1" kafka - "FAILED: $(echo "$2" | tail -c 160 | tr '\t|' '  ')"
  fi
}

# kafka_cpu <id> <ticks before> <records>: the broker's CPU per record since <ticks before> (see with_cpu).
kafka_cpu() {
  local ticks=$(($(cpu_ticks "$KAFKA_PID") - $2)) us
  us=$(awk -v t="$ticks" -v n="$3" 'BEGIN { printf "%.2f", t * 10000 / n }')
  result "cpu:$1" kafka "$us" "$us µs/record ($(awk -v t="$ticks" 'BEGIN { printf "%.1f", t / 100 }') s CPU)"
}

kafka_warmup() {
  log "Kafka warm-up: $WARMUP records in 1 and in 6 partitions, each read back $WARMUP_READS times"
  local parts pass
  for parts in 1 6; do
    kafka_topic "warmup-${parts}p" "$parts"
    kafka_produce "warmup-${parts}p" "$WARMUP" 100 >/dev/null
  done
  # read back as many times as Sluice's warm-up does, so the read rows measure warm brokers on both sides
  for pass in $(seq 1 "$WARMUP_READS"); do
    for parts in 1 6; do
      kafka_java org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP" \
        --topic "warmup-${parts}p" --num-records "$WARMUP" --timeout 60000 --hide-header >/dev/null 2>&1 ||
        die "Kafka warm-up read failed"
    done
  done
}

# kafka_produce_step <size> <partitions>: ProducerPerformance into bench-<size>b-<parts>p.
kafka_produce_step() {
  local size=$1 parts=$2 topic="bench-$1b-$2p" line
  kafka_topic "$topic" "$parts"
  # "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50, p95, p99, p99.9"
  local before
  before=$(cpu_ticks "$KAFKA_PID")
  line=$(kafka_produce "$topic" "$(records_for "$size")" "$size")
  kafka_cpu "produce-${size}b-${parts}p" "$before" "$(records_for "$size")"
  log "ProducerPerformance $topic: $line"
  echo "$line" | awk -v id="produce-${size}b-${parts}p" -F'[ ,()]+' "$AWK_COMMAS"'
    $2 == "records" { printf "%s\tkafka\t%.0f\t%s rec/s (%s MB/s); record p50 %s / p99 %s / p99.9 %s ms\n", id, $4, commas($4), $6, $16, $22, $25 }' \
    | kafka_record "produce-${size}b-${parts}p" "$line"
}

# kafka_read_step <size> <partitions>: ConsumerPerformance reads bench-<size>b-<parts>p to the end.
kafka_read_step() {
  local size=$1 parts=$2 topic="bench-$1b-$2p" line
  # Columns: start, end, MB, MB.sec, nMsg, nMsg.sec, rebalance.ms, fetch.ms, fetch.MB.sec, fetch.nMsg.sec.
  local before
  before=$(cpu_ticks "$KAFKA_PID")
  line=$(kafka_java org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --topic "$topic" --num-records "$(records_for "$size")" --timeout 60000 --hide-header 2>&1 | tail -1)
  kafka_cpu "read-${size}b-${parts}p" "$before" "$(records_for "$size")"
  log "ConsumerPerformance $topic: $line"
  echo "$line" | awk -v id="read-${size}b-${parts}p" -F', *' "$AWK_COMMAS"'
    NF >= 10 { printf "%s\tkafka\t%.0f\t%s rec/s (%.1f MB/s)\n", id, $10, commas($10), $9 }' \
    | kafka_record "read-${size}b-${parts}p" "$line"
}

kafka_e2e_step() {
  local line
  flush_dirty_pages
  kafka_topic e2e-rate 1
  loadgen kafka-e2e --id e2e-longpoll --system kafka --bootstrap "$KAFKA_BOOTSTRAP" --topic e2e-rate \
    --rate 1000 --warmup-seconds "$E2E_WARMUP" --seconds "$E2E_SECONDS" --value-size 100
  kafka_topic e2e 1
  # Kafka's EndToEndLatency sends one record, waits for its consumer to see it, repeats (one in flight);
  # it prints percentiles as whole milliseconds.
  line=$(kafka_java org.apache.kafka.tools.EndToEndLatency "$KAFKA_BOOTSTRAP" e2e "$E2E_TOOL_RECORDS" all 100 2>&1 | tail -2 | tr '\n' ' ')
  log "EndToEndLatency: $line"
  echo "$line" | awk '/Percentiles/ { gsub(/,/, ""); printf "e2e-tool\tkafka\t-\tavg %s ms; p50 %s / p99 %s / p99.9 %s ms (whole ms)\n", $3, $8, $11, $14 }' \
    | kafka_record e2e-tool "$line"
}

kafka_partitions_step() {
  local t0 line
  t0=$(now_ms)
  kafka_topic many 1000
  result partitions-create kafka "$(($(now_ms) - t0))" "$(($(now_ms) - t0)) ms (TopicCommand, includes its JVM start)"
  line=$(kafka_produce many "$PARTITIONS_RECORDS" 100)
  log "ProducerPerformance many: $line"
  echo "$line" | awk -F'[ ,()]+' "$AWK_COMMAS"'$2 == "records" { printf "partitions-produce\tkafka\t%.0f\t%s rec/s (%s MB/s)\n", $4, commas($4), $6 }' \
    | kafka_record partitions-produce "$line"
}

# Start-up with an empty log, then recovery after kill -9 with DATA_GB of 1 KB records.
kafka_startup_recovery() {
  kafka_start_fresh
  result startup kafka "$KAFKA_READY_MS" "$KAFKA_READY_MS ms"
  kafka_topic fill 6
  local n=$((DATA_GB * 1000000))
  log "Kafka: filling $DATA_GB GB ($n records of 1,000 B)"
  kafka_produce fill "$n" 1000 >/dev/null
  local size
  size=$(du -sh "$KAFKA_DIR/data" | cut -f1)
  stop_pid "$KAFKA_PID" KILL
  KAFKA_STARTS=$(grep -c 'Kafka Server started' "$KAFKA_DIR/broker.log")
  kafka_launch
  KAFKA_STARTS=0
  result recovery kafka "$KAFKA_READY_MS" "$KAFKA_READY_MS ms ($size on disk)"
  kafka_stop
  rm -rf "$KAFKA_DIR"
}
