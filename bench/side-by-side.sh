#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# itcare-proxy and the bare vertx-http-proxy side by side: both on the proxy's CPUs at once, each loaded by its own wrk
# at the same fixed rate during the same seconds, round after round; each one's CPU per request and their ratio per
# round. Whatever slows this machine during a round slows both, so the median ratio holds still where single runs of
# bench/run.sh move by 15-25 % from one to the next. It answers one question of issue 7 more steadily: what
# itcare-proxy's features cost per request against the bare proxy. docs/performance.md has the method and results.
#
#   bench/side-by-side.sh            ROUNDS rounds of SLICE seconds, after WARM seconds of small GETs for each proxy
#   bench/side-by-side.sh --smoke    one round of 1 s, no warm-up: checks that both answer correctly (CI)
#
# Environment (defaults in brackets): ROUNDS [12]; SLICE [8] seconds per round; WARM [45] seconds of small GETs at 64
# connections for each proxy before the first round (one core's JIT needs 35-40 s); RATE [2000] requests/s and
# CONNECTIONS [32] for each proxy; SKIP [2] first rounds left out of the medians; ITCARE_ENV: extra environment
# for itcare-proxy, as NAME=value words (ITCARE_PROXY_ACCESS_LOG_ENABLED=false measures the access log's share);
# PROXY_CPUS [0], LOAD_CPUS [1], JAVA_FLAGS, CONTAINER_MEMORY [512m] and REBUILD as for bench/run.sh. Results go to
# bench/.work/side-by-side/results.md (also printed); logs and wrk outputs beside it.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK="$HERE/.work/side-by-side"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
parse_args "$0" "$@"

if ((SMOKE)); then
    ROUNDS=1 SLICE=1 WARM=0 SKIP=0
else
    ROUNDS=${ROUNDS:-12} SLICE=${SLICE:-8} WARM=${WARM:-45} SKIP=${SKIP:-2}
fi
RATE=${RATE:-2000}
CONNECTIONS=${CONNECTIONS:-32}
PROXY_CPUS=${PROXY_CPUS:-0}
LOAD_CPUS=${LOAD_CPUS:-1}
CONTAINER_MEMORY=${CONTAINER_MEMORY-512m}
UPLOAD_BYTES=1048576
((ROUNDS > SKIP)) || { echo "ROUNDS ($ROUNDS) must be more than SKIP ($SKIP)" >&2; exit 2; }

# shellcheck source=bench/targets.sh
source "$HERE/targets.sh"
# shellcheck source=bench/report.sh
source "$HERE/report.sh"

read -r -a ITCARE_EXTRA_ENV <<<"${ITCARE_ENV:-}"

declare -A PORTS=()

# Both proxies, each on a free port of its own: sets PORTS[itcare], PORTS[vertx], PIDS[itcare] and PIDS[vertx].
start_both() {
    free_port TARGET_PORT
    PORTS[vertx]=$TARGET_PORT
    start_vertx_proxy
    PIDS[vertx]=${PIDS[target]}
    unset 'PIDS[target]'
    free_port TARGET_PORT
    PORTS[itcare]=$TARGET_PORT
    start_itcare itcare
    local name
    for name in vertx itcare; do
        if ! wait_http "http://127.0.0.1:${PORTS[$name]}/compute/instances" 60 "${PIDS[$name]}"; then
            fail "$name: did not answer on port ${PORTS[$name]} within 60 s (logs/$name.log)"
            exit 1
        fi
    done
}

# wrk at RATE on one proxy for SLICE seconds; its RESULT line's values (see lua/report.lua) into $3.
load() {
    local port=$1 out=$2
    local cmd=(wrk -t1 "-c$CONNECTIONS" "-d${SLICE}s" --timeout 5s --latency -s "$HERE/lua/rate.lua"
        "http://127.0.0.1:$port/compute/instances")
    [[ -z $LOAD_CPUS ]] || cmd=(taskset -c "$LOAD_CPUS" "${cmd[@]}")
    env BENCH_LUA_DIR="$HERE/lua" BENCH_RATE="$RATE" BENCH_CONNECTIONS="$CONNECTIONS" \
        timeout $((SLICE + 30)) "${cmd[@]}" >"$out" 2>&1 || true
}

# "requests errors non2xx" of a wrk output with a RESULT line, or nothing.
counts() {
    sed -n 's/^RESULT //p' "$1" | tr ' ' '\n' | cut -d= -f2 | paste -sd ' ' - |
        awk '{print $1, $4 + $5 + $6 + $8, $7}'
}

main() {
    set_up_run
    start_both
    local name
    if ((WARM > 0)); then
        for name in vertx itcare; do
            log "$name: ${WARM}s of small GETs at 64 connections"
            local warm=(wrk -t1 -c64 "-d${WARM}s" "http://127.0.0.1:${PORTS[$name]}/compute/instances")
            [[ -z $LOAD_CPUS ]] || warm=(taskset -c "$LOAD_CPUS" "${warm[@]}")
            timeout $((WARM + 30)) "${warm[@]}" >"$WORK/raw/warm-$name.txt" 2>&1 || true
        done
    fi
    local hz round mark a0 a1 v0 v1 pid_a pid_v loader a_line v_line a_req a_err a_bad v_req v_err v_bad a_ns v_ns r
    local rows=() ratios=() a_all=() v_all=()
    hz=$(getconf CLK_TCK)
    pid_a=${PIDS[itcare]} pid_v=${PIDS[vertx]}
    for ((round = 1; round <= ROUNDS; round++)); do
        a0=$(tree_cpu_ticks "$pid_a")
        v0=$(tree_cpu_ticks "$pid_v")
        load "${PORTS[itcare]}" "$WORK/raw/itcare.$round.txt" &
        loader=$!
        load "${PORTS[vertx]}" "$WORK/raw/vertx.$round.txt"
        wait "$loader"
        a1=$(tree_cpu_ticks "$pid_a")
        v1=$(tree_cpu_ticks "$pid_v")
        a_line=$(counts "$WORK/raw/itcare.$round.txt")
        v_line=$(counts "$WORK/raw/vertx.$round.txt")
        read -r a_req a_err a_bad <<<"${a_line:-0 0 0}"
        read -r v_req v_err v_bad <<<"${v_line:-0 0 0}"
        if ((a_req == 0 || v_req == 0 || a_err + v_err + a_bad + v_bad > 0)); then
            fail "round $round: itcare-proxy $a_req requests ($a_err socket errors, $a_bad non-2xx)," \
                "vertx-http-proxy $v_req ($v_err, $v_bad) (raw/*.$round.txt)"
            continue
        fi
        # Nanoseconds of CPU per request served: ticks / hz * 1e9 / requests.
        a_ns=$(((a1 - a0) * 1000000000 / hz / a_req))
        v_ns=$(((v1 - v0) * 1000000000 / hz / v_req))
        r=$(ratio "$a_ns" "$v_ns")
        mark=""
        ((round > SKIP)) || mark=" (not counted)"
        rows+=("| $round$mark | $a_req | $((a_ns / 1000)) | $v_req | $((v_ns / 1000)) | $r |")
        log "round $round: itcare-proxy $((a_ns / 1000)) µs/request ($a_req), vertx-http-proxy $((v_ns / 1000)) ($v_req)"
        if ((round > SKIP && v_ns > 0)); then
            ratios+=("$r")
            a_all+=("$a_ns")
            v_all+=("$v_ns")
        fi
    done
    write_side_by_side "${#ratios[@]}" "$(median_list "${ratios[@]}")" "$(median_list "${a_all[@]}")" \
        "$(median_list "${v_all[@]}")" \
        "${rows[@]}"
    if ((FAILURES > 0)); then
        printf 'failed check: %s\n' "${FAILURE_LIST[@]}" >&2
        exit 1
    fi
}

write_side_by_side() {
    local counted=$1 ratio=$2 a=$3 v=$4
    shift 4
    {
        echo "# itcare-proxy and vertx-http-proxy side by side"
        echo
        echo "- date: $M_DATE; itcare-proxy commit $M_COMMIT"
        echo "- machine: $M_NPROC × $M_CPU, $M_MEM, $M_KERNEL; java: $M_JAVA"
        echo "- both proxies on CPU(s) [${PROXY_CPUS:-any}] at once, each with its own wrk (1 thread, $CONNECTIONS" \
            "connections, $RATE req/s asked) on CPU(s) [${LOAD_CPUS:-any}], during the same $SLICE s, $ROUNDS rounds;" \
            "the upstream nginx on CPU(s) [${LOAD_CPUS:-any}]"
        echo "- JVM flags: \`$JAVA_FLAGS\` ($JAVA_FLAGS_FROM)"
        echo "- itcare-proxy's extra environment: ${ITCARE_ENV:-none}; warm-up ${WARM} s each"
        echo
        echo "| round | itcare-proxy requests | itcare-proxy µs CPU/request | vertx-http-proxy requests |" \
            "vertx-http-proxy µs CPU/request | ratio |"
        echo "|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "$@"
        echo
        if [[ -z $ratio ]]; then
            echo "No round counted."
        else
            printf 'Median over %d rounds: itcare-proxy %.0f µs of CPU per request, vertx-http-proxy %.0f µs: %.2f ×.\n' \
                "$counted" "$(awk -v n="$a" 'BEGIN {print n / 1000}')" "$(awk -v n="$v" 'BEGIN {print n / 1000}')" \
                "$ratio"
        fi
    } >"$WORK/results.md"
    cat "$WORK/results.md"
}

main
