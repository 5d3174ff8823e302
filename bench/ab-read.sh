#!/usr/bin/env bash
# Compares two Sluice builds (or two client settings) on the read workloads, side by side on this machine:
#
#   bench/ab-read.sh OLD.jar NEW.jar [records at 100 B, default 1000000] [records at 1,000 B, default 200000]
#
# Starts both jars at once (temp data dirs, ports 19083/19084), fills the same topics on both (JSON produce,
# 100/1,000 B × 1/6 partitions), then runs every read workload (partition reads as JSON and as Kafka record batches,
# group reads as JSON and as batches) on OLD and straight after on NEW, and prints records/s and the server's CPU
# time per record (user + system from /proc, client excluded). OLD_ARGS / NEW_ARGS add load generator options to
# one side (e.g. OLD_ARGS="--prefetch 1" compares the client's prefetch on one build: pass the same jar twice);
# WORKLOADS picks some of read, read-batches, group-read, group-read-batches. Needs the test classpath from a
# bench/run.sh build (bench/results/classpath.txt) and the compiled test classes (target/test-classes). The load
# generator's stderr goes to $AB_LOG (default /tmp/sluice-ab-read.log).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A=$1 B=$2 N100=${3:-1000000} N1000=${4:-200000}
WORKLOADS=${WORKLOADS:-"read read-batches group-read group-read-batches"}
AB_LOG=${AB_LOG:-/tmp/sluice-ab-read.log}
# shellcheck source=lib/ab.sh
. "$ROOT/bench/lib/ab.sh"
ab_start "$A" "$B" 19083 19084
for port in 19083 19084; do
  for size in 100 1000; do
    for parts in 1 6; do
      n=$([ "$size" = 100 ] && echo "$N100" || echo "$N1000")
      lg produce --url "http://127.0.0.1:$port" --topic "t-$size-$parts" --partitions "$parts" --value-size "$size" \
        --format json --records "$n" >/dev/null
    done
  done
  # warm the read paths up
  lg read --url "http://127.0.0.1:$port" --topic t-100-1 --partitions 1 --value-size 100 >/dev/null
  lg read --url "http://127.0.0.1:$port" --topic t-100-1 --partitions 1 --value-size 100 \
    --accept application/vnd.sluice.batches >/dev/null
done
printf 'workload\tvalue\tpartitions\tside\trecords/s\tserver CPU µs/record\n'
for size in 100 1000; do
  for parts in 1 6; do
    n=$([ "$size" = 100 ] && echo "$N100" || echo "$N1000")
    for workload in $WORKLOADS; do
      for side in OLD NEW; do
        if [ "$side" = OLD ]; then pid=$PA port=19083 extra=${OLD_ARGS:-}; else pid=$PB port=19084 extra=${NEW_ARGS:-}; fi
        case $workload in
          read) args=(read) ;;
          read-batches) args=(read --accept application/vnd.sluice.batches) ;;
          group-read) args=(group-read) ;;
          group-read-batches) args=(group-read --accept application/vnd.sluice.batches) ;;
        esac
        t0=$(ticks "$pid")
        # shellcheck disable=SC2086
        rate=$(lg "${args[@]}" --url "http://127.0.0.1:$port" --topic "t-$size-$parts" --partitions "$parts" \
          --value-size "$size" --expect "$n" $extra)
        t1=$(ticks "$pid")
        us=$(us_per_record "$t0" "$t1" "$n")
        printf '%s\t%s B\t%s\t%s\t%.0f\t%s\n' "$workload" "$size" "$parts" "$side" "${rate:-0}" "$us"
      done
    done
  done
done
