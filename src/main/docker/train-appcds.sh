#!/usr/bin/env bash
# Trains an AppCDS archive (Java class data sharing) for itcare-proxy: one start with -XX:ArchiveClassesAtExit, up to
# /q/health/ready answering 200 and one request through the traffic port, then a graceful stop, at which the JVM
# writes every class it loaded, parsed and verified into ARCHIVE. Later starts given -XX:SharedArchiveFile=ARCHIVE map
# them instead of loading them again. The archive is only valid for the same JDK build and the same class path, and
# the JVM silently ignores one that is not (the start is then as slow as without it).
#
#   train-appcds.sh ARCHIVE JAR [java options...]
#
# The classes the JVM cannot archive (generated, or not linked at exit) are skipped without a warning each
# (-Xlog:cds=off). The JVM also reads JAVA_TOOL_OPTIONS, as it will at run time (the container image relies on that). The training
# start needs no upstream: ITCare's URL points at a closed local port, so the one request gets the proxy's own
# 502 envelope (and its classes are in the archive too). Ports: ITCARE_PROXY_SERVER_PORT [8080] and
# QUARKUS_MANAGEMENT_PORT [9000]. Used by src/main/docker/Dockerfile.jvm and by bench/run.sh.
set -euo pipefail

if (($# < 2)); then
    echo "usage: $0 ARCHIVE JAR [java options...]" >&2
    exit 2
fi
archive=$1 jar=$2
shift 2
traffic=${ITCARE_PROXY_SERVER_PORT:-8080}
management=${QUARKUS_MANAGEMENT_PORT:-9000}
rm -f "$archive"

# One HTTP/1.1 GET on 127.0.0.1; true when the status line says 200 (only $2 is sent as the target).
get_200() {
    local port=$1 target=$2 fd line=""
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$target" >&"$fd" 2>/dev/null || true
    read -r -t 5 line <&"$fd" || true
    exec {fd}>&-
    [[ $line == "HTTP/1.1 200"* ]]
}

ITCARE_PROXY_SERVER_PORT=$traffic QUARKUS_MANAGEMENT_PORT=$management \
    ITCARE_PROXY_UPSTREAM_URL=http://127.0.0.1:9/itcare ITCARE_PROXY_SERVER_DRAIN_TIMEOUT=1s \
    java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off "$@" -jar "$jar" &
pid=$!
ready=0
for ((i = 0; i < 600; i++)); do
    if get_200 "$management" /q/health/ready; then
        ready=1
        break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if ((ready)); then
    # The request path's classes: the upstream is refused, the proxy answers its envelope.
    get_200 "$traffic" /compute/instances || true
fi
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if ((!ready)) || [[ ! -s $archive ]]; then
    echo "train-appcds: no archive written (ready: $ready)" >&2
    exit 1
fi
echo "train-appcds: $(du -h "$archive" | cut -f1) archive at $archive"
