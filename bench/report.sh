# Sourced by run.sh: turns raw/<target>.<scenario>.tsv into the markdown of results.md (medians over REPEAT runs).

declare -A TARGET_NAMES=([direct]="upstream direct" [nginx]="nginx" [haproxy]="HAProxy"
    [vertx]="vertx-http-proxy" [itcare]="itcare-proxy")

scenario_title() {
    case "$1" in
        get) echo "Small GET (~1 KiB JSON), keep-alive, $CONNECTIONS connections, as fast as possible" ;;
        rate) echo "Small GET at a fixed rate (~$RATE req/s asked; think time per connection)" ;;
        download) echo "1 MiB downloads, $CONNECTIONS connections" ;;
        upload) echo "1 MiB uploads (PUT), $CONNECTIONS connections" ;;
        e404) echo "404 with an ITCare envelope (the error path)" ;;
        r503) echo "5 % of the upstream's answers are 503 (itcare-proxy retries them; the others pass them on)" ;;
    esac
}

# Median of one derived value over the runs of a target and scenario; empty when there is none.
stat() {
    local file="$WORK/raw/$1.$2.tsv" name=$3
    [[ -s $file ]] || return 0
    # wrk counts the bytes it reads: for uploads the body MiB/s are the bodies sent.
    awk -v name="$name" -v upload="$([[ $2 == upload ]] && echo "$UPLOAD_BYTES" || echo 0)" '
        {
            secs = $2 / 1e6
            if (name == "rps") v = $1 / secs
            else if (name == "mibps") v = (upload ? $1 * upload : $3) / secs / 1048576
            else if (name == "p50") v = $9 / 1000
            else if (name == "p90") v = $10 / 1000
            else if (name == "p99") v = $11 / 1000
            else if (name == "p999") v = $12 / 1000
            else if (name == "non2xx") { if ($1 == 0) next; v = 100 * $7 / $1 }
            else if (name == "errors") v = $4 + $5 + $6 + $8
            else if (name == "rss") { if ($14 == "-") next; v = $14 / 1024 }
            else if (name == "pcpu") { if ($15 == "-") next; v = $15 }
            else if (name == "lcpu") v = $16
            printf "%.6f\n", v
        }' "$file" | sort -g | awk '{v[NR] = $1} END {if (NR) printf "%.6f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# printf with a dash for a missing value.
fmt() {
    local format=$1 value=$2
    if [[ -z $value ]]; then echo "—"; else printf "$format" "$value"; fi
}

ratio() {
    [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "—"}' || echo "—"
}

diff_ms() {
    [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.2f", a - b}' || echo "—"
}

median_list() {
    (($# > 0)) || return 0
    printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

results_table() {
    local scenario target
    for scenario in $SCENARIOS; do
        echo
        echo "### $scenario: $(scenario_title "$scenario")"
        echo
        echo "| target | req/s | MiB/s | p50 ms | p90 ms | p99 ms | p99.9 ms | non-2xx % | socket errors | proxy CPU % | load core % | proxy RSS max MiB |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for target in $TARGETS; do
            [[ -s $WORK/raw/$target.$scenario.tsv ]] || { echo "| ${TARGET_NAMES[$target]} | failed or not run |||||||||||"; continue; }
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${TARGET_NAMES[$target]}" \
                "$(fmt %.0f "$(stat "$target" "$scenario" rps)")" "$(fmt %.1f "$(stat "$target" "$scenario" mibps)")" \
                "$(fmt %.2f "$(stat "$target" "$scenario" p50)")" "$(fmt %.2f "$(stat "$target" "$scenario" p90)")" \
                "$(fmt %.2f "$(stat "$target" "$scenario" p99)")" "$(fmt %.2f "$(stat "$target" "$scenario" p999)")" \
                "$(fmt %.2f "$(stat "$target" "$scenario" non2xx)")" "$(fmt %.0f "$(stat "$target" "$scenario" errors)")" \
                "$(fmt %.0f "$(stat "$target" "$scenario" pcpu)")" "$(fmt %.0f "$(stat "$target" "$scenario" lcpu)")" \
                "$(fmt %.0f "$(stat "$target" "$scenario" rss)")"
        done
    done
}

ratios_table() {
    local scenario i n v
    echo
    echo "| scenario | itcare-proxy req/s | ÷ nginx | ÷ vertx-http-proxy | itcare-proxy p99 ms | nginx p99 ms | vertx-http-proxy p99 ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for scenario in $SCENARIOS; do
        i=$(stat itcare "$scenario" rps)
        n=$(stat nginx "$scenario" rps)
        v=$(stat vertx "$scenario" rps)
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$scenario" "$(fmt %.0f "$i")" "$(ratio "$i" "$n")" \
            "$(ratio "$i" "$v")" "$(fmt %.2f "$(stat itcare "$scenario" p99)")" \
            "$(fmt %.2f "$(stat nginx "$scenario" p99)")" "$(fmt %.2f "$(stat vertx "$scenario" p99)")"
    done
}

rate_table() {
    [[ " $SCENARIOS " == *" rate "* ]] || return 0
    local target d50 d99
    d50=$(stat direct rate p50)
    d99=$(stat direct rate p99)
    echo
    echo "| target | achieved req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |"
    echo "|---|---:|---:|---:|---:|---:|"
    for target in $TARGETS; do
        printf '| %s | %s | %s | %s | %s | %s |\n' "${TARGET_NAMES[$target]}" \
            "$(fmt %.0f "$(stat "$target" rate rps)")" "$(fmt %.2f "$(stat "$target" rate p50)")" \
            "$(fmt %.2f "$(stat "$target" rate p99)")" "$(diff_ms "$(stat "$target" rate p50)" "$d50")" \
            "$(diff_ms "$(stat "$target" rate p99)" "$d99")"
    done
}

memory_table() {
    local target ready_median=""
    ready_median=$(median_list "${READY_MS[@]}")
    echo
    echo "| target | RSS idle after start MiB | max under GET | max under upload | max under download | idle after the run | ready ms (median) | ready ms (each start) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for target in $TARGETS; do
        [[ $target != direct ]] || continue
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${TARGET_NAMES[$target]}" \
            "$(fmt %.0f "$(kib_to_mib "${IDLE_RSS_KB[$target]:-}")")" "$(fmt %.0f "$(stat "$target" get rss)")" \
            "$(fmt %.0f "$(stat "$target" upload rss)")" "$(fmt %.0f "$(stat "$target" download rss)")" \
            "$(fmt %.0f "$(kib_to_mib "${AFTER_RSS_KB[$target]:-}")")" \
            "$([[ $target == itcare ]] && fmt %.0f "$ready_median" || echo "—")" \
            "$([[ $target == itcare ]] && echo "${READY_MS[*]:-—}" || echo "—")"
    done
}

kib_to_mib() {
    [[ -n $1 ]] && awk -v k="$1" 'BEGIN {print k / 1024}'
}

# Issue 7's targets, judged on this run's medians.
targets_list() {
    local get_i get_n get_v p99_i p99_n rss_idle rss_up ready_median limit
    get_i=$(stat itcare get rps)
    get_n=$(stat nginx get rps)
    get_v=$(stat vertx get rps)
    p99_i=$(stat itcare rate p99)
    p99_n=$(stat nginx rate p99)
    rss_idle=$(kib_to_mib "${IDLE_RSS_KB[itcare]:-}")
    rss_up=$(stat itcare upload rss)
    ready_median=$(median_list "${READY_MS[@]}")
    verdict() { awk "BEGIN {exit !($1)}" 2>/dev/null && echo "met" || echo "**missed**"; }
    echo
    if [[ -n $get_i && -n $get_v ]]; then
        echo "- small GET throughput ≥ 1.0 × vertx-http-proxy: $(ratio "$get_i" "$get_v") × — $(verdict "$get_i >= $get_v")"
    fi
    if [[ -n $get_i && -n $get_n ]]; then
        echo "- small GET throughput ≥ 0.8 × nginx: $(ratio "$get_i" "$get_n") × — $(verdict "$get_i >= 0.8 * $get_n")"
    fi
    if [[ -n $p99_i && -n $p99_n ]]; then
        echo "- p99 at the fixed rate ≤ nginx's p99 + 1 ms: $(fmt %.2f "$p99_i") ms vs $(fmt %.2f "$p99_n") + 1 ms — $(verdict "$p99_i <= $p99_n + 1")"
    fi
    if [[ -n $rss_idle && -n $rss_up ]]; then
        limit=$(awk -v i="$rss_idle" -v c="$CONNECTIONS" 'BEGIN {printf "%.0f", i + c * 1 + 64}')
        echo "- RSS under uploads ≤ idle + $CONNECTIONS × 1 MiB (retry.replay-buffer) + 64 MiB = $limit MiB: $(fmt %.0f "$rss_up") MiB — $(verdict "$rss_up <= $limit")"
    fi
    if [[ -n $ready_median ]]; then
        echo "- ready in under 1.5 s: median $ready_median ms — $(verdict "$ready_median < 1500")"
    fi
}

write_results() {
    local elapsed=$1 out="$WORK/results.md"
    M_LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
    {
        echo "# itcare-proxy benchmark: $( ((SMOKE)) && echo "smoke run (numbers not meaningful: 1 s, no warm-up)" || echo "results")"
        echo
        echo "- date: $M_DATE; itcare-proxy commit $M_COMMIT; run took ${elapsed} s"
        echo "- machine: $M_NPROC × $M_CPU, $M_MEM, $M_KERNEL"
        echo "- java: $M_JAVA"
        echo "- tools: wrk $M_WRK, nginx $M_NGINX, HAProxy $M_HAPROXY, vertx-http-proxy 4.5.27"
        echo "- JVM flags (both JVM proxies): \`$JAVA_FLAGS\` (from $JAVA_FLAGS_FROM)"
        echo "- layout: proxy under test on CPU(s) [${PROXY_CPUS:-any}] ($PROXY_CORES worker(s)/thread(s)/event loop(s));" \
            "wrk (1 thread, $CONNECTIONS connections), the upstream nginx (1 worker) and the upload sink on CPU(s) [${LOAD_CPUS:-any}]"
        echo "- per scenario: warm-up ${WARMUP} s, measurement ${DURATION} s × $REPEAT (medians); fixed rate asked: $RATE req/s"
        echo "- load average (1, 5, 15 min): $M_LOAD_START at start, $M_LOAD_END at the end"
        if ((FAILURES > 0)); then
            echo
            echo "## Failed checks"
            echo
            printf -- '- %s\n' "${FAILURE_LIST[@]}"
        else
            echo "- checks: every target answered every scenario as expected (status codes, bodies, no socket errors)"
        fi
        if ((${#OBSERVATIONS[@]} > 0)); then
            echo
            echo "## Observations"
            echo
            printf -- '- %s\n' "${OBSERVATIONS[@]}"
        fi
        echo
        echo "## Ratios: itcare-proxy against nginx and the bare vertx-http-proxy"
        ratios_table
        if [[ " $SCENARIOS " == *" rate "* ]]; then
            echo
            echo "## Latency added at a fixed rate (against the upstream direct)"
            rate_table
        fi
        echo
        echo "## Memory and start"
        memory_table
        echo
        echo "## Issue 7's targets$( ((SMOKE)) && echo " (smoke run: not meaningful)")"
        targets_list
        echo
        echo "## All results"
        results_table
        echo
        echo "## Commands"
        echo
        echo '```sh'
        cat "$WORK/commands.txt"
        echo '```'
    } >"$out"
    cat "$out"
}
