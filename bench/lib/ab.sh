# Shared by bench/ab-*.sh: two Sluice builds up at once, each on its own temp data dir, and the helpers that run the
# load generator against them and read a server's CPU time. Source after setting ROOT; then `ab_start OLD.jar NEW.jar
# PORT_A PORT_B` sets PA/PB (the servers' pids) and W (the temp dir, removed with both servers on exit).
# shellcheck source=common.sh
. "$ROOT/bench/lib/common.sh"
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/bench/results/classpath.txt")"

ab_start() { # <old.jar> <new.jar> <port a> <port b>
  W=$(mktemp -d "${TMPDIR:-/tmp}/sluice-ab.XXXXXX")
  PA=$(ab_server "$1" "$3")
  PB=$(ab_server "$2" "$4")
  trap 'kill "$PA" "$PB" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
  for port in "$3" "$4"; do
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/actuator/health" | grep -q UP && break; sleep 1; done
  done
}

ab_server() { # <jar> <port>: starts it in the background, prints its pid
  java $BROKER_JAVA_OPTS -jar "$1" --server.address=127.0.0.1 --server.port="$2" \
    --sluice.data-dir="$W/$2" >"$W/$2.log" 2>&1 &
  echo $!
}

# The load generator with the given arguments; prints its records/s (stderr goes to $AB_LOG, by default a file in the temp dir).
lg() { java -Xms512m -Xmx1g -cp "$CP" io.sluice.bench.LoadGenerator "$@" 2>>"${AB_LOG:-$W/loadgen.err}" | grep '^RESULT' | cut -f4; }

# User + system CPU ticks of a process so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Server CPU µs per record from two tick readings: <ticks before> <ticks after> <records>.
us_per_record() { awk -v t=$(($2 - $1)) -v n="$3" 'BEGIN { printf "%.2f", t * 10000 / n }'; }
