#!/usr/bin/env bash
# Observability checks: the Prometheus rules, the Grafana dashboard, and (given the packaged proxy) every PromQL
# expression of both evaluated by a real Prometheus that scrapes a real proxy in front of the embedded simulator.
#
#   .ci/observability.sh                                         rules (promtool check + unit tests), dashboard lint
#   .ci/observability.sh target/quarkus-app/quarkus-run.jar     the same, then the live check
#
# Installs Debian's `prometheus` package (it brings promtool) when promtool is missing, and leaves its service
# stopped. Everything listens on 127.0.0.1 on free ports; every process started here is stopped on exit. The live
# part is bounded by OBSERVABILITY_TIMEOUT seconds (default 150), each package step by its own timeout.
# Logs, the generated Prometheus config and every query's result go to target/observability/.
# Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

RULES=deploy/prometheus/itcare-proxy-rules.yaml
RULE_TESTS=deploy/prometheus/itcare-proxy-rules.test.yaml
DASHBOARD=deploy/grafana/itcare-proxy-dashboard.json
JAR=${1:-}
BUDGET=${OBSERVABILITY_TIMEOUT:-150}
OUT=target/observability
JOB=itcare-proxy

log() { printf 'observability: %s\n' "$*"; }
fail() { printf 'observability: FAILED: %s\n' "$*" >&2; exit 1; }

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    local pid waited
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        # bounded wait for a clean stop, then the hard way
        for waited in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [[ -f $TMP/policy-rc.d.ours ]] && rm -f /usr/sbin/policy-rc.d
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------------------------------------- promtool, once
install_prometheus() {
    [[ $(id -u) == 0 ]] || fail "promtool is missing and installing Debian's prometheus package needs root"
    command -v apt-get >/dev/null || fail "promtool is missing and this is not a Debian-like system (no apt-get)"
    log "installing Debian's prometheus package (for promtool and the server)"
    # The package's postinst starts its service on 0.0.0.0:9090: forbid service starts for the install's duration
    # unless the machine already has a policy (containers usually do).
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        touch "$TMP/policy-rc.d.ours"
    fi
    timeout 300 apt-get update -qq || fail "apt-get update failed or took more than 300 s"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends prometheus \
        >"$TMP/apt.log" 2>&1 || { tail -20 "$TMP/apt.log" >&2; fail "apt-get install prometheus failed"; }
    if [[ -f $TMP/policy-rc.d.ours ]]; then
        rm -f /usr/sbin/policy-rc.d "$TMP/policy-rc.d.ours"
    fi
    # Whatever the policy was, leave no Debian prometheus service running or enabled at boot.
    if [[ -d /run/systemd/system ]]; then
        systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    else
        systemctl disable prometheus.service >/dev/null 2>&1 || true
        if [[ -x /etc/init.d/prometheus ]] && /etc/init.d/prometheus status >/dev/null 2>&1; then
            /etc/init.d/prometheus stop >/dev/null 2>&1 || true
        fi
        update-rc.d prometheus disable >/dev/null 2>&1 || true
    fi
    command -v promtool >/dev/null || fail "the prometheus package is installed but promtool is not on PATH"
}

command -v promtool >/dev/null || install_prometheus
log "$(promtool --version 2>&1 | head -1)"

# --------------------------------------------------------------------------------------------- static checks
check_out=$(promtool check rules "$RULES" 2>&1) || { printf '%s\n' "$check_out" >&2; fail "promtool check rules $RULES"; }
RULE_COUNT=$(sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p' <<<"$check_out")
log "promtool check rules: $RULE_COUNT rules"
test_out=$(cd "$(dirname "$RULE_TESTS")" && promtool test rules "$(basename "$RULE_TESTS")" 2>&1) \
    || { printf '%s\n' "$test_out" >&2; fail "promtool test rules $RULE_TESTS"; }
log "promtool test rules: $(grep -c '^  - name:' "$RULE_TESTS") test groups passed"

# The evaluator: dashboard lint, waiting for scrapes, and evaluating every expression through the HTTP API.
cat >"$TMP/obs.py" <<'PY'
import json, math, re, sys, time, urllib.error, urllib.parse, urllib.request

# What Grafana would put in place of its variables. Custom variables are all "All" (regex .*).
BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__interval_ms": "15000", "__range": "5m",
            "__range_s": "300", "__range_ms": "300000"}
# Panels whose data the traffic of this script must produce: the key ones of the on-call view.
REQUIRED_PANELS = ["Errors by error code and origin", "Breaker state", "Requests per second by status class",
                   "Upstream attempts by outcome", "Retries by reason",
                   "Proxy latency by route (client-facing): p50, p95, p99",
                   "Upstream latency by route (per attempt): p50, p95, p99"]
REQUIRED_RULES = ["itcare_proxy:requests:rate5m", "itcare_proxy:errors:ratio_rate5m"]
# CONTRACT.md "Metrics": label names, exactly (besides job, instance and a histogram's le), and closed vocabularies.
STATUS = r"[1-5][0-9][0-9]"
# A templated path: no query, no digits-only or UUID segment (those become {id} and {uuid}), or the overflow "other".
ROUTE = r"(/(?!\d+(/|$))(?![0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(/|$))[^/?#\s]*)+|other"
CONTRACT = {
    "itcare_proxy_requests_seconds": {"method": r"[A-Z]+|other", "route": ROUTE, "status": STATUS},
    "itcare_proxy_errors_total": {"route": ROUTE, "status": STATUS, "error_code": r"[A-Z][A-Z0-9_]*",
                                  "origin": r"upstream|proxy"},
    "itcare_proxy_upstream_seconds": {"route": ROUTE, "outcome": STATUS + r"|connect_error|reset|timeout"},
    "itcare_proxy_retries_total": {"route": ROUTE, "reason": r"status_[0-9]{3}|connect_error|reset|timeout"},
    "itcare_proxy_retries_skipped_total": {"route": ROUTE,
                                           "reason": r"budget|method|body_not_replayable|deadline|retry_after_too_long|max_attempts"},
    "itcare_proxy_circuit_state": {"breaker": r".+", "state": r"closed|open|half_open"},
    "itcare_proxy_circuit_transitions_total": {"breaker": r".+", "to": r"closed|open|half_open"},
    "itcare_proxy_token_refreshes_total": {"outcome": r"success|failure"},
    "itcare_proxy_token_expiry_seconds": {},
}
HISTOGRAMS = {"itcare_proxy_requests_seconds", "itcare_proxy_upstream_seconds"}
# Exported by any proxy that served the traffic below, whatever its auth mode.
MUST_EXIST = ["itcare_proxy_requests_seconds", "itcare_proxy_errors_total", "itcare_proxy_upstream_seconds",
              "itcare_proxy_retries_total", "itcare_proxy_circuit_state"]


def api(base, path, params=None, timeout=10):
    data = urllib.parse.urlencode(params, doseq=True).encode() if params is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=data), timeout=timeout) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:  # Prometheus explains a bad query in a JSON body with 400/422
        try:
            return json.load(e)
        except ValueError:
            return {"status": "error", "error": "HTTP %d" % e.code}
    except (OSError, ValueError) as e:
        return {"status": "error", "error": str(e)}


def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))


def custom_vars(dash):
    return {v["name"] for v in dash.get("templating", {}).get("list", []) if v.get("type") in ("query", "custom")}


def substitute(expr, names):
    def rep(m):
        name = m.group(1) or m.group(2)
        if name in BUILTINS:
            return BUILTINS[name]
        if name in names:
            return ".*"
        if name.isdigit():  # label_replace's $1, not a Grafana variable
            return m.group(0)
        raise ValueError("unknown Grafana variable $" + name)
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", rep, expr)


def var_query(q):
    q = q["query"] if isinstance(q, dict) else q
    m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\)\s*", q, re.S)
    if not m:
        raise ValueError("variable query is not label_values(selector, label): " + q)
    return "count by (%s) (%s)" % (m.group(2), m.group(1))


def expressions(dash):
    names = custom_vars(dash)
    out = []
    for p in walk(dash["panels"]):
        for t in p.get("targets", []):
            out.append(("panel", p["title"], t.get("refId", "?"), t.get("expr", "")))
    for v in dash.get("templating", {}).get("list", []):
        if v.get("type") == "query":
            out.append(("variable", v["name"], "", var_query(v["query"])))
    return [(kind, name, ref, raw, substitute(raw, names)) for kind, name, ref, raw in out]


def lint(path):
    dash = json.load(open(path))
    errors = []
    if not 36 <= dash.get("schemaVersion", 0) <= 41:
        errors.append("schemaVersion %s is not a Grafana 10/11 one" % dash.get("schemaVersion"))
    names = custom_vars(dash)
    if "DS_PROMETHEUS" not in {v["name"] for v in dash["templating"]["list"] if v["type"] == "datasource"}:
        errors.append("no datasource variable DS_PROMETHEUS")
    ids, cells, panels = set(), {}, list(walk(dash["panels"]))
    for p in panels:
        title = p.get("title", "?")
        if p.get("id") in ids:
            errors.append("duplicate panel id %s (%s)" % (p.get("id"), title))
        ids.add(p.get("id"))
        g = p["gridPos"]
        if g["x"] + g["w"] > 24:
            errors.append("panel %r is wider than the grid" % title)
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    errors.append("panels %r and %r overlap" % (title, cells[(x, y)]))
                    break
                cells[(x, y)] = title
        if p["type"] == "row":
            continue
        if not p.get("description", "").strip():
            errors.append("panel %r has no description" % title)
        if p.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
            errors.append("panel %r does not use ${DS_PROMETHEUS}" % title)
        if not p.get("targets"):
            errors.append("panel %r has no query" % title)
        for t in p.get("targets", []):
            expr = t.get("expr", "")
            if not expr.strip():
                errors.append("panel %r query %s is empty" % (title, t.get("refId")))
            for n in names:
                for m in re.finditer(r'(\w+)\s*(=~|!~|=|!=)\s*"\$\{?%s\}?"' % n, expr):
                    if m.group(2) != "=~":
                        errors.append("panel %r matches $%s with %s: a multi-value or All needs =~" % (title, n, m.group(2)))
    try:
        exprs = expressions(dash)
    except ValueError as e:
        errors.append(str(e))
        exprs = []
    for e in errors:
        print("  lint: " + e)
    count = sum(1 for p in panels if p["type"] != "row")
    print("observability: dashboard lint: %d panels, %d expressions, %s" % (count, len(exprs), "FAILED" if errors else "ok"))
    return 1 if errors else 0


def wait(base, job, after, deadline):
    """Until Prometheus has scraped the proxy twice after `after` (epoch seconds) and evaluated every rule since:
    rate() needs two samples, and series born during the traffic may have only one scrape before that."""
    after += 2.5  # more than two 1 s scrape intervals
    while time.time() < deadline:
        r = api(base, "/api/v1/query", {"query": 'timestamp(up{job="%s"} == 1)' % job})
        scraped = r.get("status") == "success" and r["data"]["result"] and \
            float(r["data"]["result"][0]["value"][1]) > after
        rules = api(base, "/api/v1/rules")
        evaluated = rules.get("status") == "success" and all(
            _epoch(rule.get("lastEvaluation", "")) > after for g in rules["data"]["groups"] for rule in g["rules"])
        if scraped and evaluated:
            return 0
        time.sleep(0.5)
    print("observability: FAILED: Prometheus did not scrape the proxy and evaluate the rules in time "
          "(see prometheus.log; is the target up at /q/metrics?)")
    return 1


def _epoch(rfc3339):
    # 2024-01-02T03:04:05.123456789Z or with an offset; sub-second precision beyond microseconds dropped
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", rfc3339)
    if not m:
        return 0.0
    from datetime import datetime
    tz = "+00:00" if m.group(3) == "Z" else m.group(3)
    frac = (m.group(2) or ".0")[:7]
    return datetime.fromisoformat(m.group(1) + frac + tz).timestamp()


def has_data(result):
    data = result.get("data", {})
    if data.get("resultType") == "scalar":
        return not math.isnan(float(data["result"][1]))
    return any(not math.isnan(float(s["value"][1])) for s in data.get("result", []) if "value" in s)


def contract_check(base):
    r = api(base, "/api/v1/series", {"match[]": '{__name__=~"itcare_proxy_.+"}', "start": str(time.time() - 600)})
    if r.get("status") != "success":
        return ["cannot list itcare_proxy_* series: %s" % r.get("error")], 0
    problems, seen = {}, set()
    for s in r["data"]:
        name = s["__name__"]
        base_name = re.sub(r"_(bucket|count|sum|max)$", "", name)
        if base_name not in HISTOGRAMS:
            base_name = name
        spec = CONTRACT.get(base_name)
        if spec is None:
            continue  # the contract allows additions
        seen.add(base_name)
        labels = {k: v for k, v in s.items() if k not in ("__name__", "job", "instance")}
        if name.endswith("_bucket") and base_name in HISTOGRAMS:
            labels.pop("le", None)
        # keyed by message: a histogram's dozens of series say the same thing once
        if set(labels) != set(spec):
            problems["%s has labels %s, the contract says %s" % (base_name, sorted(labels), sorted(spec))] = 1
            continue
        for k, pattern in spec.items():
            if not re.fullmatch(pattern, labels[k]):
                problems["%s{%s=%r} is outside the contract's vocabulary" % (base_name, k, labels[k])] = 1
    for name in MUST_EXIST:
        if name not in seen:
            problems["%s is not exported (after traffic that must produce it)" % name] = 1
    # The breaker panel and alert read the gauge as "1 for the current state, 0 for the others", all three present.
    for q, what in (("count by (instance, breaker) (itcare_proxy_circuit_state) != 3", "has not exactly 3 state series"),
                    ("sum by (instance, breaker) (itcare_proxy_circuit_state) != 1", "is not 1 for exactly one state")):
        res = api(base, "/api/v1/query", {"query": q})
        for s in res.get("data", {}).get("result", []):
            problems["itcare_proxy_circuit_state of breaker %s %s" % (s["metric"].get("breaker"), what)] = 1
    return list(problems), len(r["data"])


def evaluate(base, dashboard, rule_count, out_path, metrics_url):
    dash = json.load(open(dashboard))
    items = [("panel " + n + " [" + ref + "]" if kind == "panel" else "variable $" + n, kind, n, q)
             for kind, n, ref, raw, q in expressions(dash)]
    rules = api(base, "/api/v1/rules")
    if rules.get("status") != "success":
        print("observability: FAILED: /api/v1/rules: %s" % rules.get("error"))
        return 1
    failures = []
    loaded = [(g["name"], rule) for g in rules["data"]["groups"] for rule in g["rules"]]
    if len(loaded) != rule_count:
        failures.append("Prometheus loaded %d rules, promtool counted %d in the file" % (len(loaded), rule_count))
    for group, rule in loaded:
        items.append(("rule " + rule["name"], "rule", rule["name"], rule["query"]))
        if rule.get("health") != "ok":
            failures.append("rule %s evaluates with health %s: %s" % (rule["name"], rule.get("health"), rule.get("lastError")))
    results, valid, with_data = [], 0, set()
    for label, kind, name, q in items:
        r = api(base, "/api/v1/query", {"query": q})
        ok = r.get("status") == "success"
        data = ok and has_data(r)
        valid += ok
        if data:
            with_data.add((kind, name))
        if not ok:
            failures.append("%s is not valid PromQL: %s\n      %s" % (label, r.get("error"), q))
        results.append({"what": label, "query": q, "valid": ok, "data": bool(data), "error": r.get("error"),
                        "series": len(r.get("data", {}).get("result", [])) if ok and isinstance(r["data"].get("result"), list) else None})
        print("  %-8s %s" % ("INVALID" if not ok else "data" if data else "empty", label))
    missing = [p for p in REQUIRED_PANELS if ("panel", p) not in with_data] + \
              [r for r in REQUIRED_RULES if ("rule", r) not in with_data]
    for m in missing:
        failures.append("%s returned no data after the traffic" % m)
    problems, series = contract_check(base)
    failures += ["contract: " + p for p in problems]
    exported = api(base, "/api/v1/query", {"query": 'count({__name__=~"itcare_proxy_.+"})'})
    if missing and not exported.get("data", {}).get("result"):
        failures.insert(0, "the proxy exports no itcare_proxy_* metric at all (%s): the contract's metrics are not in "
                           "this build, so nothing that reads them can return data" % metrics_url)
    json.dump({"results": results, "failures": failures}, open(out_path, "w"), indent=1)
    print("observability: %d expressions (%d dashboard panel queries, %d variable queries, %d rules): %d valid, "
          "%d returned data; %d itcare_proxy_* series exported" % (
              len(items), sum(1 for i in items if i[1] == "panel"), sum(1 for i in items if i[1] == "variable"),
              sum(1 for i in items if i[1] == "rule"), valid, sum(1 for r in results if r["data"]), series))
    print("observability: required data: %s" % ("ok (" + ", ".join(REQUIRED_PANELS + REQUIRED_RULES) + ")"
                                               if not missing else "MISSING for " + ", ".join(missing)))
    for f in failures:
        print("observability: FAILED: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "lint":
        sys.exit(lint(args[0]))
    if cmd == "wait":
        sys.exit(wait(args[0], args[1], float(args[2]), float(args[3])))
    if cmd == "evaluate":
        sys.exit(evaluate(args[0], args[1], int(args[2]), args[3], args[4]))
    if cmd == "ports":
        import socket
        socks = [socket.socket() for _ in range(int(args[0]))]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        print(" ".join(str(s.getsockname()[1]) for s in socks))
        sys.exit(0)
    sys.exit("unknown command " + cmd)
PY

python3 "$TMP/obs.py" lint "$DASHBOARD" || fail "dashboard lint ($DASHBOARD)"

if [[ -z $JAR ]]; then
    log "no proxy jar given: live check skipped (pass target/quarkus-app/quarkus-run.jar to run it)"
    log "static checks passed"
    exit 0
fi

# --------------------------------------------------------------------------------------------- live check
[[ -f $JAR ]] || fail "$JAR does not exist: build it first (./mvnw verify, or ./mvnw package -DskipTests)"
PROMETHEUS=$(command -v prometheus || true)
[[ -x $PROMETHEUS ]] || fail "no prometheus binary (Debian's package installs /usr/bin/prometheus)"
DEADLINE=$((SECONDS + BUDGET))
mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT"/results.json

left() { echo $((DEADLINE - SECONDS)); }
# poll DESCRIPTION COMMAND...: runs COMMAND every half second until it succeeds or the deadline passes.
poll() {
    local what=$1
    shift
    while ((SECONDS < DEADLINE)); do
        "$@" && return 0
        sleep 0.5
    done
    fail "timed out waiting for $what"
}
alive() { kill -0 "$1" 2>/dev/null || fail "$2 exited early; see $3"; }

read -r PROXY_PORT MGMT_PORT SIM_PORT PROM_PORT <<<"$(python3 "$TMP/obs.py" ports 4)"
PROXY=http://127.0.0.1:$PROXY_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
SIM=http://127.0.0.1:$SIM_PORT
PROM=http://127.0.0.1:$PROM_PORT
log "ports: traffic $PROXY_PORT, management $MGMT_PORT, simulator $SIM_PORT, prometheus $PROM_PORT"

ITCARE_PROXY_SIMULATOR_ENABLED=true ITCARE_PROXY_SIMULATOR_PORT=$SIM_PORT ITCARE_PROXY_SIMULATOR_HOST=127.0.0.1 \
    ITCARE_PROXY_SERVER_PORT=$PROXY_PORT ITCARE_PROXY_SERVER_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    java -Xmx256m -jar "$JAR" >"$OUT/proxy.log" 2>&1 &
PIDS+=($!)
PROXY_PID=$!

cat >"$OUT/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/$RULES
scrape_configs:
  - job_name: $JOB
    metrics_path: /q/metrics
    static_configs:
      - targets: ['127.0.0.1:$MGMT_PORT']
EOF
promtool check config "$OUT/prometheus.yml" >"$TMP/check-config.log" 2>&1 \
    || { cat "$TMP/check-config.log" >&2; fail "promtool check config"; }
"$PROMETHEUS" --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
    --web.listen-address=127.0.0.1:$PROM_PORT --log.level=warn >"$OUT/prometheus.log" 2>&1 &
PIDS+=($!)
PROM_PID=$!

ready() { alive "$PROXY_PID" proxy "$OUT/proxy.log"; curl -fs --max-time 2 -o /dev/null "$MGMT/q/health/ready"; }
poll "the proxy to be ready on $MGMT/q/health/ready" ready
prom_ready() { alive "$PROM_PID" prometheus "$OUT/prometheus.log"; curl -fs --max-time 2 -o /dev/null "$PROM/-/ready"; }
poll "Prometheus to be ready on $PROM" prom_ready
log "proxy and Prometheus ready after $((SECONDS - DEADLINE + BUDGET)) s"

# Faults, for 60 s: 15 % of compute answers 503 (retried and mostly saved; POSTs not retried), 15 % of databases
# resets the connection (retried), networking always answers 500 (retried, then its breaker opens: CIRCUIT_OPEN).
# At 15 % the compute and databases breakers (half of a 20-call window) stay closed; at 30 % they open now and then.
for fault in '{"area":"compute","status":503,"rate":0.15,"durationSeconds":60}' \
    '{"area":"networking","status":500,"rate":1.0,"durationSeconds":60}' \
    '{"area":"databases","reset":true,"rate":0.15,"durationSeconds":60}'; do
    curl -fsS --max-time 5 -o /dev/null -X POST -H 'Content-Type: application/json' -d "$fault" "$SIM/_simulator/faults" \
        || fail "the simulator refused fault $fault"
done

# Traffic: a few hundred requests, eight at a time, each bounded by --max-time; the whole bounded by the deadline.
urls() { # COUNT PATH-PATTERN (%d is replaced by the request's index)
    local i
    for ((i = 0; i < $1; i++)); do
        printf 'url = "%s%s"\noutput = "/dev/null"\n' "$PROXY" "$(printf "$2" "$i")"
    done
}
urls 120 '/compute/instances?page=%d&size=5' >"$TMP/get.curl"
urls 40 '/compute/instances/99%04d' >>"$TMP/get.curl"            # unknown ids: 404 NOT_FOUND from ITCare
urls 60 '/networking/loadbalancers?page=%d' >>"$TMP/get.curl"
urls 40 '/databases/postgresql/%d' >>"$TMP/get.curl"
urls 20 '/actions?page=%d' >>"$TMP/get.curl"
urls 20 '/compute/instances' >"$TMP/post.curl"                   # POST: never retried on 503 (skipped: method)
urls 10 '/compute/%%2e%%2e/instances/%d' >"$TMP/bad.curl"        # dot-segments: 400 MALFORMED_REQUEST by the proxy
traffic() {
    local t
    t=$(left)
    ((t > 5)) || fail "no time left for traffic"
    timeout "$t" curl -sS --no-progress-meter --parallel --parallel-max 8 --max-time 15 -w '%{http_code}\n' "$@" 2>>"$OUT/curl.log" || true
}
send_traffic() {
    traffic -K "$TMP/get.curl" -H 'Accept: application/json'
    traffic -K "$TMP/post.curl" -X POST -H 'Content-Type: application/json' --data '{"name":"observability"}'
    traffic -K "$TMP/bad.curl" --path-as-is
}
# Twice, with scrapes in between: the meters are born with the first round, so that the second one moves counters
# Prometheus has already seen, and every rate() over the window has a change to measure.
send_traffic >"$TMP/codes.warmup"
python3 "$TMP/obs.py" wait "$PROM" "$JOB" "$(date +%s.%N)" "$(($(date +%s) + $(left)))" || exit 1
send_traffic >"$TMP/codes"
TRAFFIC_END=$(date +%s.%N)
log "traffic: $(wc -l <"$TMP/codes") requests (after as many to create the meters); statuses: $(sort "$TMP/codes" | uniq -c | awk '{printf "%s x%s  ", $2, $1}')"
[[ $(grep -cv '^000$' "$TMP/codes") -ge 250 ]] || fail "fewer than 250 requests were answered; see $OUT/curl.log"

python3 "$TMP/obs.py" wait "$PROM" "$JOB" "$TRAFFIC_END" "$(($(date +%s) + $(left)))" || exit 1
if python3 "$TMP/obs.py" evaluate "$PROM" "$DASHBOARD" "$RULE_COUNT" "$OUT/results.json" "$MGMT/q/metrics"; then
    log "live check passed in $((SECONDS - DEADLINE + BUDGET)) s (details: $OUT/results.json)"
else
    log "live check failed after $((SECONDS - DEADLINE + BUDGET)) s (details: $OUT/results.json, logs: $OUT/)"
    exit 1
fi
