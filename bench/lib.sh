# Sourced by run.sh and side-by-side.sh: processes, ports, tools and builds. Every loop here is bounded; every process started here is
# recorded in PIDS and stopped on exit, whatever the exit.

declare -A PIDS=()
declare -A USED_PORTS=()
FAILURES=0
FAILURE_LIST=()
OBSERVATIONS=()
POLICY_RC_CREATED=0
# NAME=value words added to itcare-proxy's environment (bench/side-by-side.sh's ITCARE_ENV); none in bench/run.sh.
ITCARE_EXTRA_ENV=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The scripts' one option: --smoke sets SMOKE=1; --help prints the header comment of the script $1 and exits.
parse_args() {
    local script=$1 arg
    shift
    SMOKE=0
    for arg in "$@"; do
        case "$arg" in
            --smoke) SMOKE=1 ;;
            -h | --help) awk 'NR > 2 && /^#/ {sub(/^# ?/, ""); print; next} NR > 2 {exit}' "$script"; exit 0 ;;
            *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
        esac
    done
}

fail() {
    log "FAIL: $*"
    FAILURES=$((FAILURES + 1))
    FAILURE_LIST+=("$*")
}

# Something seen that is no failed check but belongs in the report.
observe() {
    log "NOTE: $*"
    OBSERVATIONS+=("$*")
}

# The exact commands of the run, quoted so that they can be pasted back; results.md lists them.
record_cmd() {
    local quoted
    printf -v quoted '%q ' "$@"
    printf '%s\n' "${quoted% }" >>"$WORK/commands.txt"
}

# Runs a command on the given CPUs (a taskset list; empty: anywhere), in the background, output to logs/NAME.log.
start_proc() {
    local name=$1 cpus=$2
    shift 2
    local cmd=("$@")
    if [[ -n $cpus ]]; then
        cmd=(taskset -c "$cpus" "${cmd[@]}")
    fi
    record_cmd "${cmd[@]}"
    "${cmd[@]}" >"$WORK/logs/$name.log" 2>&1 &
    PIDS[$name]=$!
}

# SIGTERM, then SIGKILL after the grace period (itcare-proxy drains for at most its drain timeout, 20 s).
stop_proc() {
    local name=$1 grace=${2:-25} pid i
    pid=${PIDS[$name]:-}
    [[ -n $pid ]] || return 0
    unset "PIDS[$name]"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) still running after ${grace}s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local name
    for name in "${!PIDS[@]}"; do
        stop_proc "$name" 5
    done
    if ((POLICY_RC_CREATED)); then
        rm -f /usr/sbin/policy-rc.d
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port below the ephemeral range (so that no outgoing connection of the run can hold it), not given
# out before in this run. Sets the variable named $1.
free_port() {
    local var=$1 low high p i
    read -r low high </proc/sys/net/ipv4/ip_local_port_range
    ((low > 12000)) || low=32768
    for ((i = 0; i < 500; i++)); do
        p=$((10000 + RANDOM % (low - 10000)))
        [[ -z ${USED_PORTS[$p]:-} ]] || continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            USED_PORTS[$p]=1
            printf -v "$var" '%s' "$p"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

# The status code of GET url, or 000.
http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# Waits until url answers anything HTTP, for at most $2 seconds, and no longer than process $3 (if given) lives.
wait_http() {
    local url=$1 deadline=$((SECONDS + ${2:-30})) pid=${3:-} code
    while ((SECONDS < deadline)); do
        code=$(http_code "$url")
        [[ $code == 000 ]] || return 0
        [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# Sum of VmRSS (KiB) of a process and its children (nginx's master and worker), read from /proc without forking.
tree_rss_kb() {
    local root=$1 total=0 p key value unit children=""
    [[ -r /proc/$root/status ]] || { echo 0; return; }
    children=$(cat /proc/"$root"/task/*/children 2>/dev/null || true)
    for p in $root $children; do
        [[ -r /proc/$p/status ]] || continue
        while read -r key value unit; do
            if [[ $key == VmRSS: ]]; then
                total=$((total + value))
                break
            fi
        done <"/proc/$p/status"
    done
    echo "$total"
}

# CPU ticks (user + system) of a process and its children's threads so far.
tree_cpu_ticks() {
    local root=$1 total=0 p stat fields children=""
    [[ -r /proc/$root/stat ]] || { echo 0; return; }
    children=$(cat /proc/"$root"/task/*/children 2>/dev/null || true)
    for p in $root $children; do
        [[ -r /proc/$p/stat ]] || continue
        stat=$(<"/proc/$p/stat")
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# "busy total" jiffies summed over the CPUs of a taskset list (e.g. "0" or "0,1"), from /proc/stat.
cpu_jiffies() {
    local list=$1 busy=0 total=0 name user nice system idle iowait irq softirq steal rest cpu
    local -A wanted=()
    for cpu in ${list//,/ }; do
        wanted[cpu$cpu]=1
    done
    while read -r name user nice system idle iowait irq softirq steal rest; do
        [[ -n ${wanted[$name]:-} ]] || continue
        busy=$((busy + user + nice + system + irq + softirq + steal))
        total=$((total + user + nice + system + irq + softirq + steal + idle + iowait))
    done </proc/stat
    echo "$busy $total"
}

# Appends the tree's RSS (KiB) to $2 every 200 ms, for at most $3 seconds (plus a margin); max_kb reads the file.
rss_sampler() {
    local pid=$1 out=$2 seconds=$3 i
    for ((i = 0; i < seconds * 5 + 25; i++)); do
        tree_rss_kb "$pid" >>"$out"
        sleep 0.2
    done
}

max_kb() {
    awk 'BEGIN {m = 0} $1 > m {m = $1} END {print m}' "$1"
}

prepare_work_dir() {
    mkdir -p "$WORK"
    rm -rf "$WORK/logs" "$WORK/raw" "$WORK/run" "$WORK/commands.txt" "$WORK/results.md"
    mkdir -p "$WORK/logs" "$WORK/raw" "$WORK/run" "$WORK/www"
    : >"$WORK/commands.txt"
    cp "$HERE/upstream/instances.json" "$WORK/www/instances.json"
    if [[ $(stat -c %s "$WORK/www/1m.bin" 2>/dev/null || echo 0) != "$UPLOAD_BYTES" ]]; then
        head -c "$UPLOAD_BYTES" /dev/urandom >"$WORK/www/1m.bin"
    fi
    # nginx's workers may run as another user: the files they serve must be readable by it.
    chmod -R a+rX "$WORK/www"
}

# wrk, nginx and haproxy from Debian (apt-get update once, no prompt); the Debian services that their packages start
# are stopped so that nothing is left on port 80.
install_tools() {
    local missing=() tool
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
    command -v curl >/dev/null || missing+=(curl)
    command -v taskset >/dev/null || missing+=(util-linux)
    command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
    if ((${#missing[@]} > 0)); then
        if ! command -v apt-get >/dev/null || ((EUID != 0)); then
            echo "missing tools: ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) or run as root" >&2
            exit 1
        fi
        log "installing ${missing[*]} from Debian"
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            # Keeps the packages' post-install scripts from starting nginx and haproxy on port 80.
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
            chmod 755 /usr/sbin/policy-rc.d
            POLICY_RC_CREATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$WORK/logs/apt.log" 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
            >>"$WORK/logs/apt.log" 2>&1 || { tail -20 "$WORK/logs/apt.log" >&2; exit 1; }
        if ((POLICY_RC_CREATED)); then
            rm -f /usr/sbin/policy-rc.d
            POLICY_RC_CREATED=0
        fi
        for tool in nginx haproxy; do
            [[ " ${missing[*]} " == *" $tool "* ]] && stop_debian_service "$tool"
        done
    fi
    export PATH="$PATH:/usr/sbin:/sbin"
}

stop_debian_service() {
    local svc=$1 pid
    if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
        systemctl disable --now "$svc" >/dev/null 2>&1 || true
    fi
    if [[ -r /run/$svc.pid ]]; then
        pid=$(<"/run/$svc.pid")
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            log "stopping the Debian $svc service that its package started"
            service "$svc" stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        fi
    fi
}

# True when the file $1 is missing or older than anything under the other paths.
stale() {
    local artifact=$1
    shift
    [[ ${REBUILD:-0} == 1 || ! -f $artifact ]] && return 0
    [[ -n $(find "$@" -newer "$artifact" -type f -print -quit 2>/dev/null) ]]
}

build_jars() {
    ITCARE_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
    BENCH_JAR="$HERE/vertx-proxy/target/bench.jar"
    if stale "$ITCARE_JAR" "$ROOT/src/main" "$ROOT/pom.xml"; then
        log "building itcare-proxy (./mvnw package -DskipTests)"
        record_cmd ./mvnw -B -ntp -q package -DskipTests
        (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests) >"$WORK/logs/build-itcare.log" 2>&1 ||
            { tail -30 "$WORK/logs/build-itcare.log" >&2; exit 1; }
    fi
    if stale "$BENCH_JAR" "$HERE/vertx-proxy/src" "$HERE/vertx-proxy/pom.xml"; then
        log "building the vertx-http-proxy baseline and the upload sink (bench/vertx-proxy)"
        record_cmd ./mvnw -B -ntp -q -f bench/vertx-proxy/pom.xml package
        (cd "$ROOT" && ./mvnw -B -ntp -q -f bench/vertx-proxy/pom.xml package) >"$WORK/logs/build-bench.log" 2>&1 ||
            { tail -30 "$WORK/logs/build-bench.log" >&2; exit 1; }
    fi
}

# The container's JVM flags: those of src/main/docker/Dockerfile.jvm (its -XX options) when it exists, else the
# ones the issue names. JAVA_FLAGS overrides both.
resolve_java_flags() {
    local dockerfile="$ROOT/src/main/docker/Dockerfile.jvm" line flags=""
    if [[ -n ${JAVA_FLAGS:-} ]]; then
        JAVA_FLAGS_FROM="JAVA_FLAGS"
        return
    fi
    if [[ -f $dockerfile ]]; then
        line=$(grep -Eo '(JAVA_TOOL_OPTIONS|JAVA_OPTS_APPEND|JAVA_OPTS)="[^"]*"' "$dockerfile" | sed -n 1p || true)
        flags=$(grep -Eo -- '-XX:[^ "]+' <<<"$line" | tr '\n' ' ' || true)
    fi
    if [[ -n $flags ]]; then
        JAVA_FLAGS=${flags% }
        JAVA_FLAGS_FROM="src/main/docker/Dockerfile.jvm"
    else
        JAVA_FLAGS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC"
        JAVA_FLAGS_FROM="issue 7 (no src/main/docker/Dockerfile.jvm)"
    fi
    # In a container the JVM sizes itself from the cgroup's memory limit; on a bare machine -XX:MaxRAM stands in for
    # it, or the Dockerfile's percentages would apply to the whole machine's memory.
    if [[ -n $CONTAINER_MEMORY ]]; then
        JAVA_FLAGS+=" -XX:MaxRAM=$CONTAINER_MEMORY"
        JAVA_FLAGS_FROM+=", and the Helm chart's memory limit as -XX:MaxRAM"
    fi
}

# The image's AppCDS archive, when its Dockerfile uses one: trained by the same script, with the same JVM flags, for
# itcare-proxy's starts only (ITCARE_JAVA_FLAG_ARRAY); the JVM baseline gets none, as a plain java -jar would.
train_appcds() {
    local dockerfile="$ROOT/src/main/docker/Dockerfile.jvm" traffic management
    ITCARE_JAVA_FLAG_ARRAY=("${JAVA_FLAG_ARRAY[@]}")
    [[ -f $dockerfile ]] && grep -q -- '-XX:SharedArchiveFile=' "$dockerfile" || return 0
    free_port traffic
    free_port management
    record_cmd src/main/docker/train-appcds.sh "$WORK/app-cds.jsa" "$ITCARE_JAR" "${JAVA_FLAG_ARRAY[@]}"
    if ITCARE_PROXY_SERVER_PORT=$traffic ITCARE_PROXY_SERVER_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$management \
        QUARKUS_MANAGEMENT_HOST=127.0.0.1 "$ROOT/src/main/docker/train-appcds.sh" "$WORK/app-cds.jsa" "$ITCARE_JAR" \
        "${JAVA_FLAG_ARRAY[@]}" >"$WORK/logs/train-appcds.log" 2>&1; then
        ITCARE_JAVA_FLAG_ARRAY+=("-XX:SharedArchiveFile=$WORK/app-cds.jsa")
        JAVA_FLAGS_FROM+="; itcare-proxy with the image's AppCDS archive (src/main/docker/train-appcds.sh)"
        log "AppCDS archive trained: $(du -h "$WORK/app-cds.jsa" | cut -f1)"
    else
        fail "AppCDS training failed (logs/train-appcds.log)"
    fi
}

describe_machine() {
    if (($(nproc --all) < 2)); then
        log "one CPU only: nothing is pinned, proxy and load share it"
        PROXY_CPUS="" LOAD_CPUS=""
    fi
    if [[ -n $LOAD_CPUS ]]; then
        # This script and everything it starts without a list of its own (curl, samplers) stay off the proxy's CPUs.
        taskset -pc "$LOAD_CPUS" $$ >/dev/null
    fi
    PROXY_CORES=$(if [[ -n $PROXY_CPUS ]]; then taskset -c "$PROXY_CPUS" nproc; else nproc; fi)
    resolve_java_flags
    read -r -a JAVA_FLAG_ARRAY <<<"$JAVA_FLAGS"
    M_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
    M_NPROC=$(nproc --all)
    M_CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    M_KERNEL=$(uname -sr)
    M_MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
    M_JAVA=$(java -version 2>&1 | sed -n '1,2p' | paste -sd ';' -)
    M_WRK=$( (wrk -v 2>&1 || true) | awk 'NR == 1 {print $2}')
    M_NGINX=$(nginx -v 2>&1 | sed 's/.*nginx\///')
    M_HAPROXY=$(haproxy -v 2>&1 | awk 'NR == 1 {print $3}')
    M_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ -n $(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null) ]]; then
        M_COMMIT="$M_COMMIT (src modified)"
    fi
    M_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    log "load average at start: $M_LOAD_START; proxy CPUs [${PROXY_CPUS:-any}], load CPUs [${LOAD_CPUS:-any}]"
}
