# Sourced by run.sh and side-by-side.sh: the upstream, the four proxies, and how each is started, checked and stopped.
#
# Layout (2 cores): the proxy under test runs alone on PROXY_CPUS (core 0); wrk, the upstream nginx, the upload sink
# and this script share LOAD_CPUS (core 1). One proxy runs at a time. Every proxy gets the same number of workers as
# it has cores: nginx worker_processes, HAProxy nbthread, one Vert.x verticle (event loop) per core for both JVMs.

UPSTREAM_JSON_404='{"status":"NOT_FOUND","errorCode":"NOT_FOUND","errorDesc":"","errorMessage":"Non-existent resource"}'
UPSTREAM_JSON_503='{"status":"SERVICE_UNAVAILABLE","errorCode":"SERVICE_UNAVAILABLE","errorDesc":"","errorMessage":"Service temporarily unavailable"}'

# nginx as root would drop its workers to "nobody"; as root we keep the current user, whose files they read.
nginx_user_line() {
    if ((EUID == 0)); then echo "user root;"; fi
}

nginx_common_http() {
    local dir=$1
    cat <<EOF
    access_log off;
    server_tokens off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    tcp_nodelay on;
    sendfile on;
EOF
}

start_upstream() {
    local dir="$WORK/run/upstream"
    mkdir -p "$dir"
    free_port UPSTREAM_PORT
    free_port SINK_PORT
    start_proc sink "$LOAD_CPUS" java -Xms64m -Xmx256m -XX:+UseSerialGC -cp "$BENCH_JAR" bench.UploadSink "$SINK_PORT"
    cat >"$dir/nginx.conf" <<EOF
# The upstream: ITCare as the benchmark sees it. One worker, on the load core.
$(nginx_user_line)
worker_processes 1;
pid $dir/nginx.pid;
events { worker_connections 8192; }
http {
$(nginx_common_http "$dir")
    default_type application/json;
    etag off;
    open_file_cache max=16;
    # 5 % of the calls to /itcare/compute/flaky answer 503 (the retry scenario).
    split_clients "\${request_id}" \$flaky {
        5% 1;
        *  "";
    }
    upstream sink {
        server 127.0.0.1:$SINK_PORT;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$UPSTREAM_PORT backlog=4096;
        client_max_body_size 16m;
        # A Spring Page of three instances, ~1 KiB.
        location = /itcare/compute/instances {
            alias $WORK/www/instances.json;
        }
        location = /itcare/compute/flaky {
            if (\$flaky) {
                return 503 '$UPSTREAM_JSON_503';
            }
            alias $WORK/www/instances.json;
        }
        location = /itcare/compute/files/1m {
            default_type application/octet-stream;
            alias $WORK/www/1m.bin;
        }
        # Uploads go to the sink, which reads the whole body before answering {"received":<bytes>}.
        location = /itcare/compute/upload {
            proxy_pass http://sink;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_request_buffering off;
            proxy_buffering off;
        }
        location / {
            return 404 '$UPSTREAM_JSON_404';
        }
    }
}
EOF
    start_proc upstream "$LOAD_CPUS" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;'
    wait_http "http://127.0.0.1:$UPSTREAM_PORT/itcare/compute/instances" 15 "${PIDS[upstream]}" ||
        { tail -5 "$dir/error.log" >&2; echo "the upstream nginx did not start" >&2; exit 1; }
    local i
    for ((i = 0; i < 300; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break
        sleep 0.1
    done
    [[ $(curl -s -X PUT --data-binary @"$WORK/www/1m.bin" "http://127.0.0.1:$UPSTREAM_PORT/itcare/compute/upload") == \
        "{\"received\":$UPLOAD_BYTES}" ]] || { echo "the upload sink does not answer" >&2; exit 1; }
    log "upstream nginx on 127.0.0.1:$UPSTREAM_PORT (upload sink on $SINK_PORT)"
}

# What every run does before it loads anything: its work dir, the tools and jars it needs, the machine's description
# for the report, the AppCDS archive itcare-proxy starts with, and the upstream.
set_up_run() {
    prepare_work_dir
    install_tools
    build_jars
    describe_machine
    train_appcds
    start_upstream
}

start_nginx_proxy() {
    local dir="$WORK/run/nginx-proxy"
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<EOF
# nginx proxy_pass with an upstream keep-alive pool; the base path is added as itcare-proxy adds it.
$(nginx_user_line)
worker_processes $PROXY_CORES;
pid $dir/nginx.pid;
events { worker_connections 8192; }
http {
$(nginx_common_http "$dir")
    # One line per request, as nginx does by default and as itcare-proxy's access log does.
    access_log $dir/access.log;
    upstream itcare {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$TARGET_PORT backlog=4096;
        client_max_body_size 16m;
        location / {
            proxy_pass http://itcare/itcare/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # Stream request bodies as itcare-proxy does, and never spool a response to disk.
            proxy_request_buffering off;
            proxy_max_temp_file_size 0;
        }
    }
}
EOF
    start_proc target "$PROXY_CPUS" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;'
}

start_haproxy() {
    local dir="$WORK/run/haproxy"
    mkdir -p "$dir"
    cat >"$dir/haproxy.cfg" <<EOF
# HAProxy in http mode, one thread per proxy core, connections to the upstream kept alive and reused.
global
    nbthread $PROXY_CORES
    maxconn 4000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout http-keep-alive 60s
    http-reuse always

frontend traffic
    bind 127.0.0.1:$TARGET_PORT
    http-request set-path /itcare%[path]
    default_backend itcare

backend itcare
    server upstream 127.0.0.1:$UPSTREAM_PORT
EOF
    start_proc target "$PROXY_CPUS" haproxy -db -f "$dir/haproxy.cfg"
}

start_vertx_proxy() {
    start_proc target "$PROXY_CPUS" java "${JAVA_FLAG_ARRAY[@]}" -cp "$BENCH_JAR" bench.VertxProxy \
        "$TARGET_PORT" 127.0.0.1 "$UPSTREAM_PORT" /itcare "$PROXY_CORES"
}

# $1: the name in PIDS (several starts are timed before the measured one).
start_itcare() {
    local name=${1:-target}
    free_port MANAGEMENT_PORT
    # The drain timeout only bounds the stop at the end (see the observations); nothing else differs from the defaults.
    start_proc "$name" "$PROXY_CPUS" env \
        ITCARE_PROXY_SERVER_PORT="$TARGET_PORT" ITCARE_PROXY_SERVER_HOST=127.0.0.1 ITCARE_PROXY_SERVER_DRAIN_TIMEOUT=2s \
        QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
        ITCARE_PROXY_UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT/itcare" "${ITCARE_EXTRA_ENV[@]}" \
        java "${ITCARE_JAVA_FLAG_ARRAY[@]}" -jar "$ITCARE_JAR"
}

# True once GET /q/health/ready on the management port answers 200; a raw socket rather than curl, so that polling
# costs no fork and the measurement's resolution is about a millisecond.
ready_200() {
    local port=$1 fd line=""
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf 'GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd" 2>/dev/null || true
    read -r -t 2 line <&"$fd" || true
    exec {fd}>&-
    [[ $line == "HTTP/1.1 200"* ]]
}

# Time from process start to /q/health/ready answering 200, READY_RUNS times (one fresh JVM each).
measure_ready() {
    READY_MS=()
    [[ " $TARGETS " == *" itcare "* ]] || return 0
    local run t0 t1 deadline ok
    for ((run = 1; run <= READY_RUNS; run++)); do
        free_port TARGET_PORT
        t0=${EPOCHREALTIME/./}
        start_itcare ready
        deadline=$((SECONDS + 60))
        ok=0
        while ((SECONDS < deadline)); do
            if ready_200 "$MANAGEMENT_PORT"; then
                ok=1
                break
            fi
            kill -0 "${PIDS[ready]}" 2>/dev/null || break
            sleep 0.005
        done
        t1=${EPOCHREALTIME/./}
        if ((ok)); then
            READY_MS+=($(((t1 - t0) / 1000)))
        else
            fail "itcare-proxy start $run: /q/health/ready not 200 within 60 s (logs/ready.log)"
        fi
        stop_proc ready
    done
    ((${#READY_MS[@]} == 0)) || log "itcare-proxy ready in ${READY_MS[*]} ms"
}

# Starts a target and sets BASE (the URL the scenarios' paths are appended to) and TARGET_PID ("" for direct).
start_target() {
    local target=$1
    TARGET_PID=""
    if [[ $target == direct ]]; then
        BASE="http://127.0.0.1:$UPSTREAM_PORT/itcare"
        return 0
    fi
    free_port TARGET_PORT
    BASE="http://127.0.0.1:$TARGET_PORT"
    local t0=${EPOCHREALTIME/./}
    case "$target" in
        nginx) start_nginx_proxy ;;
        haproxy) start_haproxy ;;
        vertx) start_vertx_proxy ;;
        itcare) start_itcare ;;
        *) echo "unknown target: $target" >&2; exit 2 ;;
    esac
    TARGET_PID=${PIDS[target]}
    if ! wait_http "$BASE/compute/instances" 60 "$TARGET_PID"; then
        fail "$target: did not answer on $BASE within 60 s (logs/target-$target.log)"
        return 1
    fi
    if [[ $target == itcare ]]; then
        local i
        for ((i = 0; i < 3000; i++)); do
            ready_200 "$MANAGEMENT_PORT" && break
            sleep 0.01
        done
        # Without separate timed starts (READY_RUNS=0, the smoke run's default), this start is the one reported.
        if ((READY_RUNS == 0)); then
            READY_MS+=($(((${EPOCHREALTIME/./} - t0) / 1000)))
        fi
    fi
}

stop_target() {
    local target=$1 left warnings
    local log="$WORK/logs/target-$target.log"
    stop_proc target
    [[ ! -f $WORK/logs/target.log ]] || mv "$WORK/logs/target.log" "$log"
    if [[ $target == itcare && -f $log ]]; then
        # wrk has closed every connection, but the stop can come before the event loop has seen the last closes
        # (the drain's "draining N requests" counts those): only requests still counted when the drain timeout ran
        # out have leaked.
        left=$(sed -n 's/.*closing the traffic port with \([0-9]*\) requests still in flight after.*/\1/p' "$log" |
            tail -1)
        if [[ -n $left ]]; then
            observe "itcare-proxy still counted $left request(s) in flight when its drain timed out, after wrk had" \
                "closed every connection: leaked (logs/target-itcare.log)"
        fi
        # The console is JSON in prod (the packaged jar), text in dev.
        warnings=$(grep -E ' (WARN|ERROR) |"level":"(WARN|ERROR)"' "$log" | grep -vc 'still in flight after' || true)
        if ((warnings > 0)); then
            observe "itcare-proxy logged $warnings WARN/ERROR line(s) under load; exceptions among them:" \
                "$(grep -Eo '[A-Za-z.]*(Exception|Error)\b' "$log" | sort | uniq -c | sort -rn | sed -n 1,5p |
                    awk '{printf "%s%s × %s", (NR > 1 ? ", " : ""), $1, $2}') (logs/target-itcare.log)"
        fi
    fi
}
