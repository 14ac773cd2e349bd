#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# itcare-proxy side by side with nginx, HAProxy and a bare vertx-http-proxy, in front of the same upstream, on
# loopback. One command: installs or checks its tools, builds what it needs, runs, prints a markdown table and writes
# it to bench/.work/results.md. docs/performance.md describes the method and holds a full run's results.
#
#   bench/run.sh            the full benchmark (minutes: WARMUP + DURATION per target and scenario)
#   bench/run.sh --smoke    every scenario for ~1 s, no warm-up: checks that every target answers correctly (CI)
#
# Environment (defaults in brackets): DURATION [20] and WARMUP [10] seconds per scenario; TARGET_WARMUP [60] seconds of
# small GETs when a target has started, before its first scenario; REPEAT [1] measurements per
# scenario (medians are reported); CONNECTIONS [64]; RATE [5000] requests/s for the fixed-rate scenario;
# READY_RUNS [5] starts of itcare-proxy timed to /q/health/ready; TARGETS [direct nginx haproxy vertx itcare];
# SCENARIOS [get rate download upload e404 r503]; PROXY_CPUS [0] and LOAD_CPUS [1] (taskset lists: the proxy under
# test gets PROXY_CPUS, wrk and the upstream share LOAD_CPUS); JAVA_FLAGS [from src/main/docker/Dockerfile.jvm when it
# exists, else -XX:MaxRAMPercentage=75 -XX:+UseG1GC]; CONTAINER_MEMORY [512m, the Helm chart's memory limit] added
# as -XX:MaxRAM, as a container's cgroup limit would size the JVM (empty: none); REBUILD=1 to rebuild the jars even
# when they are up to date.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK="$HERE/.work"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
parse_args "$0" "$@"

if ((SMOKE)); then
    # READY_RUNS=0: the start of the itcare target itself is the one timed.
    DURATION=1 WARMUP=0 TARGET_WARMUP=0 REPEAT=1 READY_RUNS=${READY_RUNS:-0}
else
    DURATION=${DURATION:-20} WARMUP=${WARMUP:-10} TARGET_WARMUP=${TARGET_WARMUP:-60} REPEAT=${REPEAT:-1}
    READY_RUNS=${READY_RUNS:-5}
fi
CONNECTIONS=${CONNECTIONS:-64}
RATE=${RATE:-5000}
TARGETS=${TARGETS:-direct nginx haproxy vertx itcare}
SCENARIOS=${SCENARIOS:-get rate download upload e404 r503}
PROXY_CPUS=${PROXY_CPUS:-0}
CONTAINER_MEMORY=${CONTAINER_MEMORY-512m}
LOAD_CPUS=${LOAD_CPUS:-1}
UPLOAD_BYTES=1048576

# shellcheck source=bench/targets.sh
source "$HERE/targets.sh"
# shellcheck source=bench/scenarios.sh
source "$HERE/scenarios.sh"
# shellcheck source=bench/report.sh
source "$HERE/report.sh"

main() {
    local started_at
    started_at=$(date +%s)
    set_up_run
    measure_ready
    local target
    for target in $TARGETS; do
        run_target "$target"
    done
    write_results "$(($(date +%s) - started_at))"
    if ((FAILURES > 0)); then
        # The failed checks are repeated last, where a CI log's tail shows them.
        printf 'failed check: %s\n' "${FAILURE_LIST[@]}" >&2
        echo "FAILED: $FAILURES check(s) failed; see $WORK/results.md and $WORK/logs/" >&2
        exit 1
    fi
}

main
