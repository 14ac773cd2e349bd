{{/*
The one path from values to configuration: values -> these helpers -> environment variables -> the proxy's
configuration. The gateway puts the result in its ConfigMap; the sidecar template puts the same result inline in the
container. Nothing else sets a proxy key.

Mapping: `config.<path>` in camelCase becomes `ITCARE_PROXY_<PATH>` in MicroProfile's environment form, which is
`itcare-proxy.<path>` in kebab-case: config.retry.backoff.initial -> ITCARE_PROXY_RETRY_BACKOFF_INITIAL. Map keys
under `config.areas` are enclosed in double underscores, the MicroProfile form of a quoted key:
config.areas.compute.retry.maxAttempts -> ITCARE_PROXY_AREAS__COMPUTE__RETRY_MAX_ATTEMPTS ->
itcare-proxy.areas."compute".retry.max-attempts. A null value renders nothing, so the proxy's own default applies.
Lists become comma-separated; numbers are written in full (YAML numbers reach templates as float64, which would
otherwise print 1000000 as 1e+06).
*/}}

{{/* One value as the proxy's configuration reads it. */}}
{{- define "itcare-proxy.envValue" -}}
{{- if kindIs "slice" . }}
{{- $items := list }}
{{- range . }}
{{- $items = append $items (include "itcare-proxy.envValue" .) }}
{{- end }}
{{- join "," $items }}
{{- else if and (kindIs "float64" .) (eq (floor .) .) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/* Walks a map of values; args: prefix (env name so far), node (map), out (dict filled in place), area (bool). */}}
{{- define "itcare-proxy.flatten" -}}
{{- range $key, $value := .node }}
{{- $segment := $key | snakecase | upper }}
{{- $name := printf "%s_%s" $.prefix $segment }}
{{- if $.areas }}
{{- $name = printf "%s__%s_" $.prefix ($key | upper) }}
{{- end }}
{{- if kindIs "map" $value }}
{{- include "itcare-proxy.flatten" (dict "prefix" $name "node" $value "out" $.out "areas" (and (not $.areas) (eq $key "areas") (eq $.prefix "ITCARE_PROXY"))) }}
{{- else if not (kindIs "invalid" $value) }}
{{- $_ := set $.out $name (include "itcare-proxy.envValue" $value) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Every plain (non-secret) environment variable of the proxy, as a YAML map: the `config` tree plus the keys the chart
owns because Kubernetes objects depend on them (ports, auth mode, drain timeout, JVM options).
Args: dict "ctx" (the chart context) "sidecar" (true for the sidecar's defaults).
*/}}
{{- define "itcare-proxy.envMap" -}}
{{- $v := .ctx.Values }}
{{- $out := dict }}
{{- include "itcare-proxy.flatten" (dict "prefix" "ITCARE_PROXY" "node" $v.config "out" $out "areas" false) }}
{{- if and .sidecar (kindIs "invalid" $v.config.server.host) }}
{{- /* A sidecar serves its own pod only: bound to 0.0.0.0, any pod that reaches the pod's IP could use the proxy and, in client-credentials mode, its credentials. */}}
{{- $_ := set $out "ITCARE_PROXY_SERVER_HOST" "127.0.0.1" }}
{{- end }}
{{- $_ := set $out "ITCARE_PROXY_AUTH_MODE" $v.auth.mode }}
{{- if not (kindIs "invalid" $v.auth.tokenUrl) }}
{{- $_ := set $out "ITCARE_PROXY_AUTH_TOKEN_URL" $v.auth.tokenUrl }}
{{- end }}
{{- if eq $v.auth.mode "client-credentials" }}
{{- /* The secret as a file of the mounted Secret, re-read before every token request: a rotation needs no restart. */}}
{{- $_ := set $out "ITCARE_PROXY_AUTH_CLIENT_SECRET_FILE" (include "itcare-proxy.clientSecretFile" .ctx) }}
{{- end }}
{{- $tuning := dict "refreshMargin" $v.auth.refreshMargin "tokenTimeout" $v.auth.tokenTimeout "backoff" (default (dict) $v.auth.backoff) }}
{{- include "itcare-proxy.flatten" (dict "prefix" "ITCARE_PROXY_AUTH" "node" $tuning "out" $out "areas" false) }}
{{- $_ := set $out "QUARKUS_MANAGEMENT_PORT" (include "itcare-proxy.envValue" $v.management.port) }}
{{- $drain := printf "%ss" (include "itcare-proxy.envValue" $v.shutdown.drainTimeoutSeconds) }}
{{- $_ := set $out "ITCARE_PROXY_SERVER_DRAIN_TIMEOUT" $drain }}
{{- $_ := set $out "QUARKUS_SHUTDOWN_TIMEOUT" $drain }}
{{- if $v.jvm.options }}
{{- $_ := set $out "JDK_JAVA_OPTIONS" $v.jvm.options }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
The client id from the credentials Secret, in client-credentials mode; nothing otherwise. The client secret is no
environment variable: it is a file of the Secret mounted read-only (itcare-proxy.credentialsVolume), which the
kubelet updates in place when the Secret changes and the proxy reads before every token request.
*/}}
{{- define "itcare-proxy.secretEnv" -}}
{{- if eq .Values.auth.mode "client-credentials" -}}
- name: ITCARE_PROXY_AUTH_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "itcare-proxy.credentialsSecretName" . }}
      key: {{ .Values.auth.secretKeys.clientId }}
{{- end }}
{{- end }}

{{/* Where the credentials Secret is mounted, and the client secret's file in it. Arg: the chart context. */}}
{{- define "itcare-proxy.credentialsDir" -}}
/etc/itcare-proxy/credentials
{{- end }}
{{- define "itcare-proxy.clientSecretFile" -}}
{{ include "itcare-proxy.credentialsDir" . }}/client-secret
{{- end }}

{{/*
The volume of the credentials Secret, in client-credentials mode; nothing otherwise. Only the client secret's key is
projected, as the file client-secret. Mounted as a directory, never with subPath: a subPath mount would not follow a
rotation of the Secret.
*/}}
{{- define "itcare-proxy.credentialsVolume" -}}
{{- if eq .Values.auth.mode "client-credentials" -}}
- name: itcare-proxy-credentials
  secret:
    secretName: {{ include "itcare-proxy.credentialsSecretName" . }}
    items:
      - key: {{ .Values.auth.secretKeys.clientSecret }}
        path: client-secret
{{- end }}
{{- end }}
