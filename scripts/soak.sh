#!/usr/bin/env bash
# Soak: the packaged proxy in front of its embedded ITCare simulator, under mixed traffic with faults, for a chosen
# duration. Not run by CI; its figures are recorded in docs/reliability.md.
#
#   scripts/soak.sh [DURATION]        DURATION as wrk takes it: 90s, 10m, 1h (default 10m)
#   scripts/soak.sh --help            this text
#
# Environment: CONNECTIONS (wrk keep-alive connections, default 32), THREADS (wrk threads, default 1),
# JAR (default target/quarkus-app/quarkus-run.jar, built with ./mvnw package -DskipTests when missing; a jar that is
# there is used as it is, so rebuild it after changing the code),
# JAVA_OPTS (default -Xmx256m), OUT (default target/soak).
#
# Faults, all from the simulator's /_simulator/faults API, for the whole run: compute 5 % 503 with an HTML body
# (retried for GET, not for POST), databases 3 % connection resets (retried), actions 2 % 500 with a cut body, every
# area 2 % 300 ms of latency; and networking out completely for 30 s of every 120 s (its breaker opens, answers
# CIRCUIT_OPEN, then closes again).
#
# Reported: answers by status, error envelopes by errorCode, retries (itcare_proxy_retries_total by reason), wrk's
# socket errors and latency, and the proxy's RSS, answered requests and retries every 30 s (OUT/samples.tsv).
# Exit status: 0 when the run completed, every answer was counted and the proxy is still up; 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
fi
DURATION=${1:-10m}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
OUT=${OUT:-target/soak}
OUTAGE_EVERY=120
OUTAGE_FOR=30

log() { printf 'soak: %s\n' "$*"; }
fail() { printf 'soak: FAILED: %s\n' "$*" >&2; exit 1; }

seconds_of() { # wrk's duration syntax to seconds
    local n=${1%[smh]}
    case $1 in
        *h) echo $((n * 3600)) ;;
        *m) echo $((n * 60)) ;;
        *) echo "$n" ;;
    esac
}
TOTAL=$(seconds_of "$DURATION")
[[ $TOTAL =~ ^[0-9]+$ && $TOTAL -gt 0 ]] || fail "bad duration '$DURATION' (examples: 90s, 10m, 1h)"

command -v wrk >/dev/null || fail "wrk is missing (Debian: apt-get install -y wrk)"
command -v jq >/dev/null || fail "jq is missing (Debian: apt-get install -y jq)"
if [[ ! -f $JAR ]]; then
    log "building $JAR"
    ./mvnw -B -ntp -q package -DskipTests
fi

mkdir -p "$OUT"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_ports() {
    python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))'
}
read -r PROXY_PORT MGMT_PORT SIM_PORT <<<"$(free_ports)"
PROXY=http://127.0.0.1:$PROXY_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
SIM=http://127.0.0.1:$SIM_PORT

# The access log would write one line per request for the whole run: off, so the disk is not what is soaked.
ITCARE_PROXY_SIMULATOR_ENABLED=true ITCARE_PROXY_SIMULATOR_PORT=$SIM_PORT ITCARE_PROXY_SIMULATOR_HOST=127.0.0.1 \
    ITCARE_PROXY_SERVER_PORT=$PROXY_PORT ITCARE_PROXY_SERVER_HOST=127.0.0.1 ITCARE_PROXY_ACCESS_LOG_ENABLED=false \
    QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    java $JAVA_OPTS -jar "$JAR" >"$OUT/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")

for _ in $(seq 1 600); do
    kill -0 "$PROXY_PID" 2>/dev/null || fail "the proxy exited during start-up (see $OUT/proxy.log)"
    curl -fs --max-time 2 -o /dev/null "$MGMT/q/health/ready" && break
    sleep 0.1
done
curl -fs --max-time 2 -o /dev/null "$MGMT/q/health/ready" || fail "the proxy was not ready within 60 s"
log "proxy pid $PROXY_PID ready: traffic $PROXY_PORT, management $MGMT_PORT, simulator $SIM_PORT"

fault() {
    curl -fsS --max-time 5 -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "$SIM/_simulator/faults" \
        || fail "the simulator refused fault $1"
}
LIFE=$((TOTAL + 60))
fault "{\"area\":\"compute\",\"status\":503,\"rate\":0.05,\"body\":\"html\",\"durationSeconds\":$LIFE}"
fault "{\"area\":\"databases\",\"reset\":true,\"rate\":0.03,\"durationSeconds\":$LIFE}"
fault "{\"area\":\"actions\",\"status\":500,\"rate\":0.02,\"body\":\"partial\",\"durationSeconds\":$LIFE}"
fault "{\"area\":\"*\",\"latencyMs\":300,\"rate\":0.02,\"durationSeconds\":$LIFE}"

SOAK_IDS=$(curl -fsS --max-time 5 "$SIM/itcare/compute/instances?size=20" | jq -r '[.content[].id] | join(" ")')
export SOAK_IDS

metric_sum() { # NAME: the sum of a counter over all its label sets
    curl -fs --max-time 5 "$MGMT/q/metrics" | awk -v name="$1" '$1 ~ "^"name"({|$)" { sum += $2 } END { printf "%d", sum }'
}
rss_mb() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$PROXY_PID/status"; }

# Networking's outages and the 30 s samples, both on the clock of the run.
(
    started=$SECONDS
    while ((SECONDS - started < TOTAL)); do
        sleep $((OUTAGE_EVERY - OUTAGE_FOR))
        ((SECONDS - started < TOTAL)) || break
        fault "{\"area\":\"networking\",\"status\":503,\"rate\":1.0,\"durationSeconds\":$OUTAGE_FOR}"
        sleep "$OUTAGE_FOR"
    done
) &
PIDS+=($!)
(
    started=$SECONDS
    printf 'elapsed_s\trss_mb\tanswered\tretries\n'
    while kill -0 "$PROXY_PID" 2>/dev/null; do
        printf '%d\t%s\t%s\t%s\n' $((SECONDS - started)) "$(rss_mb)" \
            "$(metric_sum itcare_proxy_requests_seconds_count)" "$(metric_sum itcare_proxy_retries_total)"
        left=$((TOTAL - (SECONDS - started)))
        ((left > 0)) || break
        sleep $((left < 30 ? left : 30))
    done
) >"$OUT/samples.tsv" &
SAMPLER=$!
PIDS+=("$SAMPLER")

log "traffic for $DURATION: $CONNECTIONS connections, $THREADS wrk thread(s), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" -T 35s -s scripts/soak.lua "$PROXY" >"$OUT/wrk.txt" 2>&1 \
    || fail "wrk failed (see $OUT/wrk.txt)"
kill -0 "$PROXY_PID" 2>/dev/null || fail "the proxy died during the run (see $OUT/proxy.log)"
wait "$SAMPLER" 2>/dev/null || true

# The report.
{
    echo "duration: $DURATION, connections: $CONNECTIONS, load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -E '^(REQUESTS|SOCKET_ERRORS|LATENCY_MS)' "$OUT/wrk.txt"
    echo "answers by status:"
    grep '^STATUS ' "$OUT/wrk.txt" | sort -k2n | sed 's/^STATUS /  /'
    echo "error envelopes by errorCode:"
    grep '^ERRORCODE ' "$OUT/wrk.txt" | sort -k3nr | sed 's/^ERRORCODE /  /'
    echo "retries by reason (itcare_proxy_retries_total):"
    curl -fs --max-time 5 "$MGMT/q/metrics" | awk '/^itcare_proxy_retries_total/ {
        match($1, /reason="[^"]*"/); r = substr($1, RSTART + 8, RLENGTH - 9); sum[r] += $2 }
        END { for (r in sum) printf "  %s %d\n", r, sum[r] }'
    echo "skipped retries by reason (itcare_proxy_retries_skipped_total):"
    curl -fs --max-time 5 "$MGMT/q/metrics" | awk '/^itcare_proxy_retries_skipped_total/ {
        match($1, /reason="[^"]*"/); r = substr($1, RSTART + 8, RLENGTH - 9); sum[r] += $2 }
        END { for (r in sum) printf "  %s %d\n", r, sum[r] }'
    echo "RSS (MB), answered and retries every 30 s:"
    column -t "$OUT/samples.tsv" | sed 's/^/  /'
} | tee "$OUT/report.txt"

# Every wrk connection is closed now: what the proxy still counts in flight when it drains has leaked.
kill -TERM "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true
left=$(sed -n 's/.*draining \([0-9]*\) request.*/\1/p' "$OUT/proxy.log" | tail -1)
echo "in flight at shutdown: ${left:-unknown}" | tee -a "$OUT/report.txt"
[[ $left == 0 ]] || fail "the proxy counted ${left:-an unknown number of} request(s) in flight after the run"

answered=$(grep '^REQUESTS' "$OUT/wrk.txt" | awk '{ print $2 }')
counted=$(grep '^STATUS ' "$OUT/wrk.txt" | awk '{ s += $3 } END { print s + 0 }')
[[ $answered == "$counted" ]] || fail "wrk counted $answered requests but $counted answers"
log "done: $answered answers, report in $OUT/report.txt"
