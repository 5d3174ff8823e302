#!/usr/bin/env bash
# Profiles Sluice's server during one produce run with Java Flight Recorder and summarises the CPU samples.
#
#   bench/profile.sh [--workload produce|read|group-read|e2e] [--format json|binary|ndjson] [--value-size 100]
#                    [--partitions 1] [--records 2000000] [--seconds 30] [--accept MEDIA_TYPE] [--skip-build]
#
# produce: batched produce throughput (as in run.sh); read / group-read: reads back what the warm-up produced
# (partition reads / one group instance; --accept application/vnd.sluice.batches for Kafka's format); e2e: 1,000 single-record produces per second with a
# long-poll consumer. Output: bench/results/profile-<run>/sluice-<workload>.jfr and hotspots.md (top methods by
# self and total CPU samples).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/sluice.sh"

FORMAT=json SIZE=100 PARTS=1 RECORDS=2000000 SECONDS_E2E=30 SKIP_BUILD=0 WORKLOAD=produce ACCEPT=application/json
while [ $# -gt 0 ]; do
  case "$1" in
    --format) FORMAT=$2; shift ;;
    --value-size) SIZE=$2; shift ;;
    --partitions) PARTS=$2; shift ;;
    --records) RECORDS=$2; shift ;;
    --workload) WORKLOAD=$2; shift ;;
    --seconds) SECONDS_E2E=$2; shift ;;
    --accept) ACCEPT=$2; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done

RUN_ID=profile-$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH_DIR/results/$RUN_ID"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
SLUICE_PID=
trap 'stop_pid "$SLUICE_PID" KILL; rm -rf "$WORK"' EXIT

sluice_build
sluice_start_fresh
loadgen produce --id warmup --url "$SLUICE_URL" --topic warmup --partitions 1 --value-size "$SIZE" \
  --format "$FORMAT" --records "$RECORDS"
JFR="$OUT/sluice-$WORKLOAD.jfr"
jcmd "$SLUICE_PID" JFR.start name=bench settings=profile filename="$JFR" >/dev/null
case "$WORKLOAD" in
  produce)
    loadgen produce --id "produce-$FORMAT-${SIZE}b-${PARTS}p" --url "$SLUICE_URL" --topic profiled \
      --partitions "$PARTS" --value-size "$SIZE" --format "$FORMAT" --records "$RECORDS" ;;
  read | group-read)
    loadgen "$WORKLOAD" --id "$WORKLOAD-${SIZE}b-1p" --url "$SLUICE_URL" --topic warmup --partitions 1 \
      --value-size "$SIZE" --expect "$RECORDS" --accept "$ACCEPT" ;;
  e2e)
    loadgen e2e --id e2e-longpoll --url "$SLUICE_URL" --topic profiled --rate 1000 --seconds "$SECONDS_E2E" \
      --value-size "$SIZE" ;;
  *) die "unknown workload $WORKLOAD" ;;
esac
jcmd "$SLUICE_PID" JFR.stop name=bench >/dev/null
sluice_stop
java -cp "$CP" io.sluice.bench.JfrHotspots "$JFR" 25 | tee "$OUT/hotspots.md"
log "recording: $JFR; summary: $OUT/hotspots.md"
