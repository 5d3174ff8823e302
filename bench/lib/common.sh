# Shared helpers for bench/run.sh. Sourced, not executed.

# Both brokers run with the same JVM options: the same heap, and the JVM's performance counters sampled once a
# second instead of every 50 ms (as Sluice's Docker image does; `jstat` still works).
BROKER_JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseG1GC -XX:PerfDataSamplingInterval=1000"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# A TCP port on loopback that nothing listens on right now, below the kernel's ephemeral range (32768+ here),
# so that the thousands of client connections of a run cannot be holding it.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# wait_for <seconds> <command...>: polls the command every 100 ms until it succeeds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

port_open() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# CPU time a process has used so far, in clock ticks of 1/100 s (user + system; fields 14 and 15 of
# /proc/<pid>/stat, the command name "java" has no spaces).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# with_cpu <id> <system> <pid> <records> <command...>: runs the command and records the server's CPU time per
# record as result "cpu:<id>". Wall-clock rates move with whatever else loads the machine; CPU per record is
# what the server itself spent, so it compares the two brokers more steadily.
with_cpu() {
  local id=$1 system=$2 pid=$3 records=$4 before after
  shift 4
  before=$(cpu_ticks "$pid")
  "$@"
  after=$(cpu_ticks "$pid")
  local us
  us=$(awk -v t=$((after - before)) -v n="$records" 'BEGIN { printf "%.2f", t * 10000 / n }')
  result "cpu:$id" "$system" "$us" "$us µs/record ($(awk -v t=$((after - before)) 'BEGIN { printf "%.1f", t / 100 }') s CPU)"
}

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# gc_log <broker>: the JVM option that logs the broker's garbage collections (one line per pause, with wall-clock
# time) to the run's output, one file per process (%p is its pid): to tell whether a latency outlier was a GC pause.
gc_log() { echo "-Xlog:gc:file=$OUT/$1-gc-%p.log:time,uptime"; }

# result <id> <system> <primary-number-or-> <cell text>: one line of the results file read by BenchReport.
result() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"
  log "result: $1 [$2] $4"
}

# stop_pid <pid> [signal]: signals one process we started and waits until it has gone.
stop_pid() {
  local pid=$1 sig=${2:-TERM}
  [ -n "$pid" ] || return 0
  kill -"$sig" "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Facts about the machine, as markdown list items, for BENCHMARKS.md.
machine_facts() {
  local disk
  disk=$(df -h "$WORK" | awk 'NR==2 {print $1 " (" $2 " total, " $4 " free)"}')
  echo "- CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "- Memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- Disk (data dirs): $disk"
  echo "- OS: $(uname -sr)"
  echo "- JDK: $(java -version 2>&1 | head -2 | tail -1)"
}

# Writes the page cache's dirty pages to disk and waits for it, before a latency workload. The throughput workloads
# leave gigabytes dirty, which the kernel writes back ~30 s later (vm.dirty_expire_centisecs): without this, that
# writeback lands on whichever broker runs its latency workload first and throttles its appends, so the p99 compared
# would be the earlier workloads' writeback, not the broker's.
flush_dirty_pages() {
  sync
}
