#!/usr/bin/env bash
# Compares two Sluice builds on the produce workloads, side by side on this machine:
#
#   bench/ab-produce.sh OLD.jar NEW.jar [records at 100 B, default 400000] [records at 1,000 B, default 100000]
#
# Starts both jars at once (temp data dirs, ports 19081/19082), warms both up with every format, then runs each
# produce workload (json/binary/ndjson × 100/1,000 B × 1/6 partitions) on OLD and straight after on NEW, and prints
# records/s and the server's CPU time per record (user + system from /proc, client excluded). CPU per record is the
# figure to compare on a shared machine. Needs the test classpath from a bench/run.sh build
# (bench/results/classpath.txt) and the compiled test classes (target/test-classes). FORMATS, SIZES and PARTITIONS
# pick some of the workloads (e.g. FORMATS="json ndjson" SIZES=1000 PARTITIONS=1); ROUNDS=n runs each pair n times;
# PORT_A/PORT_B move the two servers off 19081/19082 (when another A/B runs on the machine).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A=$1 B=$2 N100=${3:-400000} N1000=${4:-100000}
FORMATS=${FORMATS:-"json binary ndjson"} SIZES=${SIZES:-"100 1000"} PARTITIONS=${PARTITIONS:-"1 6"} ROUNDS=${ROUNDS:-1}
PORT_A=${PORT_A:-19081} PORT_B=${PORT_B:-19082}
# shellcheck source=lib/ab.sh
. "$ROOT/bench/lib/ab.sh"
ab_start "$A" "$B" "$PORT_A" "$PORT_B"
for port in "$PORT_A" "$PORT_B"; do
  for format in $FORMATS; do
    lg produce --url "http://127.0.0.1:$port" --topic "warm-$format" --partitions 1 --value-size 100 \
      --format "$format" --records 200000 >/dev/null
    lg produce --url "http://127.0.0.1:$port" --topic "warmk-$format" --partitions 1 --value-size 1000 \
      --format "$format" --records 40000 >/dev/null
  done
done
printf 'side\tformat\tvalue\tpartitions\trecords/s\tserver CPU µs/record\n'
for round in $(seq 1 "$ROUNDS"); do
for size in $SIZES; do
  for parts in $PARTITIONS; do
    for format in $FORMATS; do
      n=$([ "$size" = 100 ] && echo "$N100" || echo "$N1000")
      for side in OLD NEW; do
        if [ "$side" = OLD ]; then pid=$PA port=$PORT_A; else pid=$PB port=$PORT_B; fi
        t0=$(ticks "$pid")
        rate=$(lg produce --url "http://127.0.0.1:$port" --topic "t-$format-$size-$parts-$round" --partitions "$parts" \
          --value-size "$size" --format "$format" --records "$n")
        t1=$(ticks "$pid")
        us=$(us_per_record "$t0" "$t1" "$n")
        printf '%s\t%s\t%s B\t%s\t%.0f\t%s\n' "$side" "$format" "$size" "$parts" "${rate:-0}" "$us"
      done
    done
  done
done
done
