#!/usr/bin/env bash
# Sluice benchmark suite: one command, see bench/README.md.
#
#   bench/run.sh [--quick] [--with-kafka] [--data-gb N] [--skip-build] [--no-write] [--only sluice|kafka]
#                [--produce-only]
#
# Builds Sluice, starts it on a temp data dir and a free port on 127.0.0.1, runs the workloads with the load
# generator, stops it; with --with-kafka also resolves Apache Kafka with Maven, runs the same workloads with
# Kafka's own tools on a single-node KRaft broker on 127.0.0.1, and prints both side by side with ratios.
# Results: bench/results/<run>/ (raw results.tsv, logs) and BENCHMARKS.md (unless --no-write).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/sluice.sh
source "$BENCH_DIR/lib/sluice.sh"
# shellcheck source=lib/kafka.sh
source "$BENCH_DIR/lib/kafka.sh"

QUICK=0 WITH_KAFKA=0 SKIP_BUILD=0 WRITE=1 ONLY= DATA_GB= PRODUCE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --with-kafka) WITH_KAFKA=1 ;;
    --data-gb) DATA_GB=$2; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --no-write) WRITE=0 ;;
    --only) ONLY=$2; shift ;;
    --produce-only) PRODUCE_ONLY=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  MODE=quick RECORDS_100=300000 RECORDS_1000=60000 WARMUP=200000 WARMUP_READS=1 READ_RUNS=1
  E2E_WARMUP=3 E2E_SECONDS=10 E2E_TOOL_RECORDS=2000 PARTITIONS_RECORDS=100000 IDLE_POLLS=10000 IDLE_SECONDS=10 IDLE_30S_SECONDS=10
  DATA_GB=${DATA_GB:-1}
else
  MODE=full RECORDS_100=6000000 RECORDS_1000=1000000 WARMUP=1000000 WARMUP_READS=3 READ_RUNS=3
  E2E_WARMUP=5 E2E_SECONDS=30 E2E_TOOL_RECORDS=10000 PARTITIONS_RECORDS=1000000 IDLE_POLLS=10000 IDLE_SECONDS=120 IDLE_30S_SECONDS=30
  DATA_GB=${DATA_GB:-10}
fi
records_for() { if [ "$1" = 100 ]; then echo "$RECORDS_100"; else echo "$RECORDS_1000"; fi; }

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH_DIR/results/$RUN_ID"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
SLUICE_PID= KAFKA_PID=
cleanup() {
  stop_pid "$SLUICE_PID" KILL
  stop_pid "$KAFKA_PID" KILL
  rm -rf "$WORK"
}
trap cleanup EXIT
START_SECONDS=$SECONDS
log "run $RUN_ID ($MODE mode, data $DATA_GB GB, Kafka: $WITH_KAFKA); output in $OUT"

sluice_build
machine_facts >"$OUT/facts.md"
LOADS="start $(cut -d' ' -f1-3 /proc/loadavg)"

RUN_SLUICE=$([ "$ONLY" != kafka ] && echo 1 || echo 0)
RUN_KAFKA=$([ "$WITH_KAFKA" = 1 ] && [ "$ONLY" != sluice ] && echo 1 || echo 0)

# Both brokers run at once and each workload runs on Sluice and then at once on Kafka, so that the other work on
# this machine (whose load drifts) weighs on both sides of every ratio alike. The idle broker costs ~1 % of a core.
if [ "$RUN_SLUICE" = 1 ]; then
  sluice_start_fresh
  sluice_warmup
fi
if [ "$RUN_KAFKA" = 1 ]; then
  kafka_resolve
  kafka_start_fresh
  kafka_warmup
fi
both() { # <step> [args]: the step on Sluice, then on Kafka
  [ "$RUN_SLUICE" = 1 ] && "sluice_$1_step" "${@:2}"
  [ "$RUN_KAFKA" = 1 ] && "kafka_$1_step" "${@:2}"
  return 0
}
for size in 100 1000; do
  for parts in 1 6; do
    both produce "$size" "$parts"
    # Read rows move by 15-30 % from run to run: each is read READ_RUNS times, Sluice then Kafka in turn, and the
    # report shows the median run of each system with every run's figure (BenchReport.read).
    if [ "$PRODUCE_ONLY" = 0 ]; then
      for _ in $(seq 1 "$READ_RUNS"); do both read "$size" "$parts"; done
    fi
  done
done
[ "$PRODUCE_ONLY" = 1 ] || both e2e
[ "$PRODUCE_ONLY" = 1 ] || both partitions
if [ "$RUN_SLUICE" = 1 ]; then
  [ "$PRODUCE_ONLY" = 1 ] || sluice_idle_step
  sluice_stop
  rm -rf "$SLUICE_DIR"
fi
if [ "$RUN_KAFKA" = 1 ]; then
  kafka_stop
  rm -rf "$KAFKA_DIR"
fi
LOADS="$LOADS; after the workloads $(cut -d' ' -f1-3 /proc/loadavg)"

# Start-up and recovery, one broker at a time.
[ "$RUN_SLUICE" = 1 ] && [ "$PRODUCE_ONLY" = 0 ] && sluice_startup_recovery
[ "$RUN_KAFKA" = 1 ] && [ "$PRODUCE_ONLY" = 0 ] && kafka_startup_recovery
LOADS="$LOADS; at the end $(cut -d' ' -f1-3 /proc/loadavg)"

ELAPSED=$((SECONDS - START_SECONDS))
TITLE="\`bench/run.sh$([ "$QUICK" = 1 ] && echo ' --quick')$([ "$WITH_KAFKA" = 1 ] && echo ' --with-kafka')\` ($MODE mode) on $(date -u '+%Y-%m-%d %H:%M UTC'), Sluice $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), Kafka $KAFKA_VERSION; took $((ELAPSED / 60)) min $((ELAPSED % 60)) s. Records: $RECORDS_100 × 100 B and $RECORDS_1000 × 1,000 B per produce run; recovery data $DATA_GB GB."
{
  echo "- Load average (1/5/15 min; other work on the machine competes for the same cores): $LOADS"
  echo "- Durability (both): acknowledged = written to the OS page cache, no fsync per append (Sluice's and Kafka's defaults)"
} >>"$OUT/facts.md"
REPORT_ARGS=(--results "$RESULTS" --facts "$OUT/facts.md" --title "$TITLE")
[ "$WRITE" = 1 ] && REPORT_ARGS+=(--benchmarks "$ROOT/BENCHMARKS.md")
java -cp "$CP" io.sluice.bench.BenchReport "${REPORT_ARGS[@]}" | tee "$OUT/report.md"
log "done in $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
