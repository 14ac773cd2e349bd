{{/*
The proxy container, shared by the gateway Deployment and the sidecar templates so that both run the proxy the same
way: same image, probes, security context, resources and graceful shutdown. Args: dict "ctx" (the chart context),
"sidecar" (bool), "native" (bool: a Kubernetes native sidecar, an init container with restartPolicy Always).
*/}}
{{- define "itcare-proxy.container" -}}
{{- $ctx := .ctx }}
{{- $v := $ctx.Values }}
{{- $http := ternary "itcare-http" "http" .sidecar }}
{{- $mgmt := ternary "itcare-mgmt" "management" .sidecar -}}
- name: itcare-proxy
  image: {{ include "itcare-proxy.image" $ctx | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  {{- if .native }}
  restartPolicy: Always
  {{- end }}
  ports:
    - name: {{ $http }}
      containerPort: {{ include "itcare-proxy.envValue" $v.config.server.port }}
      protocol: TCP
    - name: {{ $mgmt }}
      containerPort: {{ include "itcare-proxy.envValue" $v.management.port }}
      protocol: TCP
  {{- if .sidecar }}
  env:
    {{- range $name, $value := (include "itcare-proxy.envMap" (dict "ctx" $ctx "sidecar" true) | fromYaml) }}
    - name: {{ $name }}
      value: {{ $value | toString | quote }}
    {{- end }}
    {{- with include "itcare-proxy.secretEnv" $ctx }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with $v.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- else }}
  envFrom:
    - configMapRef:
        name: {{ include "itcare-proxy.fullname" $ctx }}
    {{- with $v.extraEnvFrom }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or (eq $v.auth.mode "client-credentials") $v.extraEnv }}
  env:
    {{- with include "itcare-proxy.secretEnv" $ctx }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with $v.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  {{- end }}
  {{- if and .sidecar $v.extraEnvFrom }}
  envFrom:
    {{- toYaml $v.extraEnvFrom | nindent 4 }}
  {{- end }}
  startupProbe:
    httpGet:
      path: /q/health/started
      port: {{ $mgmt }}
    periodSeconds: {{ $v.probes.startup.periodSeconds }}
    failureThreshold: {{ $v.probes.startup.failureThreshold }}
    timeoutSeconds: {{ $v.probes.startup.timeoutSeconds }}
  livenessProbe:
    httpGet:
      path: /q/health/live
      port: {{ $mgmt }}
    periodSeconds: {{ $v.probes.liveness.periodSeconds }}
    failureThreshold: {{ $v.probes.liveness.failureThreshold }}
    timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
  readinessProbe:
    httpGet:
      path: /q/health/ready
      port: {{ $mgmt }}
    periodSeconds: {{ $v.probes.readiness.periodSeconds }}
    failureThreshold: {{ $v.probes.readiness.failureThreshold }}
    timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
  lifecycle:
    preStop:
      exec:
        command: ["sleep", "{{ $v.shutdown.preStopSleepSeconds }}"]
  {{- with $v.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.securityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: itcare-proxy-tmp
      mountPath: /tmp
    {{- if eq $v.auth.mode "client-credentials" }}
    - name: itcare-proxy-credentials
      mountPath: {{ include "itcare-proxy.credentialsDir" $ctx }}
      readOnly: true
    {{- end }}
{{- end }}

{{/* The proxy's /tmp, the only place it writes with a read-only root filesystem. Arg: the chart context. */}}
{{- define "itcare-proxy.tmpVolume" -}}
- name: itcare-proxy-tmp
  emptyDir:
    {{- with .Values.tmpVolume.medium }}
    medium: {{ . }}
    {{- end }}
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}
