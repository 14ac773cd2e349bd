# Sourced by run.sh: the scenarios, each checked with curl first (status and body), then warmed up, then measured
# with wrk (1 thread, CONNECTIONS keep-alive connections, on the load core) while the proxy's RSS and CPU are sampled.
#
# Each measurement appends one line to raw/<target>.<scenario>.tsv:
#   requests duration_us bytes connect read write status timeout p50 p90 p99 p999 max rss_max_kb proxy_cpu% load_cpu%

declare -A IDLE_RSS_KB=() AFTER_RSS_KB=()

scenario_path() {
    case "$1" in
        get | rate) echo /compute/instances ;;
        download) echo /compute/files/1m ;;
        upload) echo /compute/upload ;;
        e404) echo /compute/instances/999999999 ;;
        r503) echo /compute/flaky ;;
        *) echo "unknown scenario: $1" >&2; exit 2 ;;
    esac
}

scenario_script() {
    case "$1" in
        rate) echo "$HERE/lua/rate.lua" ;;
        upload) echo "$HERE/lua/upload.lua" ;;
        *) echo "$HERE/lua/get.lua" ;;
    esac
}

# One answer per scenario, checked for its status and its body, before any load.
check_answer() {
    local target=$1 scenario=$2 url=$3 out="$WORK/raw/$1.$2.check" code body i
    case "$scenario" in
        get | rate)
            code=$(curl -s -o "$out" -w '%{http_code}' --max-time 5 "$url" || true)
            [[ $code == 200 ]] && grep -q '"totalElements":57' "$out" ;;
        download)
            code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 "$url" || true)
            [[ $code == 200 ]] && cmp -s "$out" "$WORK/www/1m.bin" ;;
        upload)
            code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 -X PUT -H 'Content-Type: application/octet-stream' \
                --data-binary @"$WORK/www/1m.bin" "$url" || true)
            [[ $code == 200 && $(<"$out") == "{\"received\":$UPLOAD_BYTES}" ]] ;;
        e404)
            code=$(curl -s -o "$out" -w '%{http_code}' --max-time 5 "$url" || true)
            [[ $code == 404 ]] && grep -q '"errorCode":"NOT_FOUND"' "$out" ;;
        r503)
            for ((i = 0; i < (SMOKE ? 5 : 20); i++)); do
                code=$(curl -s -o "$out" -w '%{http_code}' --max-time 5 "$url" || true)
                case "$code" in
                    200) grep -q '"totalElements":57' "$out" || return 1 ;;
                    503) grep -q '"errorCode":"SERVICE_UNAVAILABLE"' "$out" || return 1 ;;
                    *) return 1 ;;
                esac
            done ;;
    esac
}

# Runs wrk for $4 seconds; prints its RESULT line's values (or nothing) and keeps its whole output in $5. Uploads,
# and diagnostic runs ($6 = count), also count the answers by status (lua/status.lua): cheap at their rates only.
run_wrk() {
    local scenario=$1 url=$2 script=$3 seconds=$4 out=$5 count=${6:-}
    local wrapper=$script
    [[ $scenario != upload && -z $count ]] || wrapper="$HERE/lua/status.lua"
    local cmd=(wrk -t1 "-c$CONNECTIONS" "-d${seconds}s" --timeout 5s --latency -s "$wrapper" "$url")
    [[ -z $LOAD_CPUS ]] || cmd=(taskset -c "$LOAD_CPUS" "${cmd[@]}")
    local vars=(BENCH_LUA_DIR="$HERE/lua" BENCH_SCENARIO_SCRIPT="$script" BENCH_RATE="$RATE"
        BENCH_CONNECTIONS="$CONNECTIONS" BENCH_UPLOAD_BYTES="$UPLOAD_BYTES")
    record_cmd env "${vars[@]}" "${cmd[@]}"
    env "${vars[@]}" timeout $((seconds + 30)) "${cmd[@]}" >"$out" 2>&1 || true
    sed -n 's/^RESULT //p' "$out" | tr ' ' '\n' | cut -d= -f2 | paste -sd ' ' -
}

# The answers' statuses of a wrk output that counted them, and one body per error status, on one line.
statuses_of() {
    local out=$1
    sed -n 's/^STATUSES //p' "$out" | sed -n 1p
    sed -n 's/^SAMPLE \([0-9]*\) \(.\{0,160\}\).*/; a \1 answer: \2/p' "$out"
}

# Five seconds more of a scenario that gave unexpected answers, counting them by status, for the report.
diagnose() {
    local target=$1 scenario=$2 out="$WORK/raw/$1.$2.diagnosis.txt" url script
    url="$BASE$(scenario_path "$scenario")"
    script=$(scenario_script "$scenario")
    run_wrk "$scenario" "$url" "$script" 5 "$out" count >/dev/null
    echo "statuses in 5 s more: $(statuses_of "$out" | paste -sd ' ' -)"
}

measure() {
    local target=$1 scenario=$2 url=$3 script=$4 run=$5
    local out="$WORK/raw/$target.$scenario.$run.txt" rss_file="$WORK/raw/$target.$scenario.$run.rss"
    local sampler="" values proxy_ticks0=0 proxy_ticks1=0 load0 load1 proxy_cpu="-" load_cpu rss="-"
    local hz
    hz=$(getconf CLK_TCK)
    if [[ -n $TARGET_PID ]]; then
        : >"$rss_file"
        rss_sampler "$TARGET_PID" "$rss_file" "$DURATION" >/dev/null &
        sampler=$!
        proxy_ticks0=$(tree_cpu_ticks "$TARGET_PID")
    fi
    load0=$(cpu_jiffies "${LOAD_CPUS:-0}")
    values=$(run_wrk "$scenario" "$url" "$script" "$DURATION" "$out")
    load1=$(cpu_jiffies "${LOAD_CPUS:-0}")
    if [[ -n $sampler ]]; then
        proxy_ticks1=$(tree_cpu_ticks "$TARGET_PID")
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        rss=$(max_kb "$rss_file")
    fi
    local duration_us
    duration_us=$(awk '{print $2}' <<<"$values")
    if [[ -z $values || -z $duration_us || $duration_us == 0 ]]; then
        echo ""
        return
    fi
    if [[ -n $sampler ]]; then
        # Share of one core: 100 = one full core, whatever the number of cores the proxy has.
        proxy_cpu=$(awk -v t=$((proxy_ticks1 - proxy_ticks0)) -v hz="$hz" -v us="$duration_us" \
            'BEGIN {printf "%.0f", 100 * t / hz / (us / 1e6)}')
    fi
    load_cpu=$(awk -v a="$load0" -v b="$load1" 'BEGIN {split(a, x, " "); split(b, y, " ");
        printf "%.0f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0}')
    echo "$values $rss $proxy_cpu $load_cpu"
}

# The expectations on a measurement, by scenario: every request answered, without socket errors, with the status
# the scenario is about.
judge() {
    local target=$1 scenario=$2 line=$3
    local requests connect read write status timeout run=${4:-1}
    read -r requests _ _ connect read write status timeout _ <<<"$line"
    if ((requests == 0)); then
        # A 1 s smoke run on a busy machine may see no 1 MiB transfer complete; the curl check before it has
        # already proven one correct answer.
        if ((SMOKE)); then
            log "$target $scenario: no request completed within the smoke run"
        else
            fail "$target $scenario: no request completed"
        fi
        return
    fi
    if ((connect + read + write + timeout > 0)); then
        fail "$target $scenario: socket errors (connect $connect, read $read, write $write, timeout $timeout)"
    fi
    case "$scenario" in
        get | rate | download | upload)
            if ((status > 0)); then
                local detail
                if [[ $scenario == upload ]]; then
                    detail="statuses: $(statuses_of "$WORK/raw/$target.$scenario.$run.txt" | paste -sd ' ' -)"
                else
                    detail=$(diagnose "$target" "$scenario")
                fi
                fail "$target $scenario: $status of $requests answers were not 2xx/3xx ($detail)"
            fi ;;
        e404)
            ((status == requests)) || fail "$target $scenario: $((requests - status)) of $requests answers were not 404" ;;
        r503)
            # Without retries ~5 % of the answers are 503; itcare-proxy retries them (budget permitting).
            local limit_low=1 limit_high=15
            [[ $target != itcare ]] || limit_low=0 limit_high=1
            awk -v s="$status" -v r="$requests" -v lo="$limit_low" -v hi="$limit_high" \
                'BEGIN {p = 100 * s / r; exit !(p >= lo && p <= hi)}' ||
                fail "$target $scenario: $status of $requests answers were 503, outside ${limit_low}-${limit_high} %" ;;
    esac
}

run_scenario() {
    local target=$1 scenario=$2 url script run line
    url="$BASE$(scenario_path "$scenario")"
    script=$(scenario_script "$scenario")
    [[ $target != itcare ]] || breakers_closed "before the $scenario scenario"
    if ! check_answer "$target" "$scenario" "$url"; then
        fail "$target $scenario: wrong answer to one request (raw/$target.$scenario.check)"
        return
    fi
    if ((WARMUP > 0)); then
        log "$target $scenario: warm-up ${WARMUP}s"
        run_wrk "$scenario" "$url" "$script" "$WARMUP" "$WORK/raw/$target.$scenario.warmup.txt" >/dev/null
    fi
    [[ $target != itcare ]] || breakers_closed "after the $scenario warm-up"
    : >"$WORK/raw/$target.$scenario.tsv"
    for ((run = 1; run <= REPEAT; run++)); do
        [[ $target != itcare ]] || ((run == 1)) || breakers_closed "after $scenario measurement $((run - 1))"
        line=$(measure "$target" "$scenario" "$url" "$script" "$run")
        if [[ -z $line ]]; then
            fail "$target $scenario: wrk printed no result (raw/$target.$scenario.$run.txt)"
            continue
        fi
        judge "$target" "$scenario" "$line" "$run"
        echo "$line" >>"$WORK/raw/$target.$scenario.tsv"
        log "$target $scenario run $run: $(summary_line "$line")"
    done
    if [[ $target == itcare ]]; then
        breakers >"$WORK/raw/itcare.$scenario.breakers.json"
    fi
}

breakers() {
    curl -s --max-time 2 "http://127.0.0.1:$MANAGEMENT_PORT/q/circuit-breakers" || true
}

# The upstream never fails in the scenarios that precede a measurement, so an open breaker there can only come from
# the load itself: wrk stopping with requests in flight. It is reported, and the measurement waits for the breaker to
# let requests through again (at most 15 s; its delay is 5 s), so that it measures the request path, not 5 s of
# CIRCUIT_OPEN answers.
breakers_closed() {
    local when=$1 state i
    state=$(breakers)
    [[ $state == *'"state":"open"'* || $state == *'"state":"half_open"'* ]] || return 0
    observe "itcare-proxy's circuit breaker was open $when, although the upstream had not failed: $state"
    for ((i = 0; i < 150; i++)); do
        sleep 0.1
        state=$(breakers)
        [[ $state == *'"state":"open"'* ]] || return 0
    done
    fail "itcare-proxy's circuit breaker still open 15 s $when"
}

summary_line() {
    awk '{printf "%.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, RSS %s KiB, proxy CPU %s %%",
        $1 / ($2 / 1e6), $9 / 1000, $11 / 1000, $7, $14, $15}' <<<"$1"
}

run_target() {
    local target=$1 scenario
    log "== $target"
    if ! start_target "$target"; then
        stop_target "$target"
        return
    fi
    if [[ -n $TARGET_PID ]]; then
        ((SMOKE)) || sleep 1
        IDLE_RSS_KB[$target]=$(tree_rss_kb "$TARGET_PID")
    fi
    if ((TARGET_WARMUP > 0)); then
        # JIT compilers share the proxy's single core: a JVM needs more than one scenario's warm-up to be warm.
        log "$target: warm-up ${TARGET_WARMUP}s of small GETs before the first scenario"
        run_wrk get "$BASE$(scenario_path get)" "$(scenario_script get)" "$TARGET_WARMUP" \
            "$WORK/raw/$target.target-warmup.txt" >/dev/null
    fi
    for scenario in $SCENARIOS; do
        run_scenario "$target" "$scenario"
    done
    if [[ -n $TARGET_PID ]]; then
        ((SMOKE)) || sleep 2
        AFTER_RSS_KB[$target]=$(tree_rss_kb "$TARGET_PID")
    fi
    stop_target "$target"
}
