{{/*
Names, labels and the checks that a schema cannot express. Every helper here takes the chart's own context (or, for
the sidecar templates, `index .Subcharts "itcare-proxy"` from a parent chart, which is the same thing), so that the
gateway and a parent chart's sidecar compute the same names from the same values.
*/}}

{{- define "itcare-proxy.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "itcare-proxy.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "itcare-proxy.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "itcare-proxy.labels" -}}
helm.sh/chart: {{ include "itcare-proxy.chart" . }}
{{ include "itcare-proxy.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: itcare-proxy
{{- end }}

{{/* The labels that select the gateway's pods; they never change after the first install. */}}
{{- define "itcare-proxy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "itcare-proxy.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "itcare-proxy.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "itcare-proxy.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "itcare-proxy.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret holding the client id and secret in client-credentials mode. */}}
{{- define "itcare-proxy.credentialsSecretName" -}}
{{- default (printf "%s-credentials" (include "itcare-proxy.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* True when the chart itself must create the credentials Secret. */}}
{{- define "itcare-proxy.createsCredentialsSecret" -}}
{{- if and (eq .Values.auth.mode "client-credentials") (not .Values.auth.existingSecret) }}true{{ end }}
{{- end }}

{{/*
Checks across values that values.schema.json cannot express. Included by every template that depends on them, so
that a bad combination stops `helm install` with a message naming the values at fault.
*/}}
{{- define "itcare-proxy.checks" -}}
{{- $s := .Values.shutdown }}
{{- if le (int $s.terminationGracePeriodSeconds) (add $s.preStopSleepSeconds $s.drainTimeoutSeconds | int) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed shutdown.preStopSleepSeconds + shutdown.drainTimeoutSeconds (%v + %v): the kubelet would kill the proxy in the middle of its drain" $s.terminationGracePeriodSeconds $s.preStopSleepSeconds $s.drainTimeoutSeconds) }}
{{- end }}
{{- if and (eq .Values.auth.mode "client-credentials") (not .Values.auth.existingSecret) (or (not .Values.auth.clientId) (not .Values.auth.clientSecret)) }}
{{- fail "auth.mode is client-credentials: set auth.existingSecret (a Secret with the client id and secret), or both auth.clientId and auth.clientSecret" }}
{{- end }}
{{- if eq .Values.mode "gateway" }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if and $pdb.enabled (not (kindIs "invalid" $pdb.minAvailable)) (not (kindIs "invalid" $pdb.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)" }}
{{- end }}
{{- if and $pdb.enabled (kindIs "invalid" $pdb.minAvailable) (kindIs "invalid" $pdb.maxUnavailable) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas (%v) must not exceed autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (kindIs "invalid" .Values.autoscaling.targetCPUUtilizationPercentage) (kindIs "invalid" .Values.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "autoscaling is enabled: set autoscaling.targetCPUUtilizationPercentage or autoscaling.targetMemoryUtilizationPercentage" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A file of the chart, required: files/ holds symbolic links to deploy/prometheus and deploy/grafana, the single source
of the rules and the dashboard. A missing file is an error, never an empty object.
*/}}
{{- define "itcare-proxy.requiredFile" -}}
{{- $content := .root.Files.Get .path }}
{{- if not $content }}
{{- fail (printf "%s is missing or empty in the chart; it links to the project's %s" .path .source) }}
{{- end }}
{{- $content }}
{{- end }}
