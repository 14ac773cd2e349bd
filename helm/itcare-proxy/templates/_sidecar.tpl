{{/*
Sidecar mode: templates for application charts that depend on this chart and add the proxy to their own pods. Each
takes this chart's context as a parent chart sees it, `index .Subcharts "itcare-proxy"`, so that the values (with
this chart's defaults merged in), the release and the chart's appVersion are this chart's:

  containers:
    - name: my-app
      env:
        - name: ITCARE_BASE_URL
          value: http://localhost:8080
    {{- include "itcare-proxy.sidecar.container" (index .Subcharts "itcare-proxy") | nindent 4 }}
  volumes:
    {{- include "itcare-proxy.sidecar.volumes" (index .Subcharts "itcare-proxy") | nindent 4 }}

The configuration is rendered inline (no ConfigMap to keep in step): a change of values changes the pod template and
rolls the pods. In sidecar mode the traffic port listens on 127.0.0.1 unless config.server.host says otherwise.
*/}}

{{/* The proxy as a regular container of the application's pod (any Kubernetes version). */}}
{{- define "itcare-proxy.sidecar.container" -}}
{{- include "itcare-proxy.checks" . }}
{{- include "itcare-proxy.container" (dict "ctx" . "sidecar" true "native" false) }}
{{- end }}

{{/*
The proxy as a Kubernetes native sidecar (Kubernetes 1.29 and later), to put under initContainers: it is started
and ready (startup probe) before the application's containers start, and stopped after they have stopped, so that
the application can call ITCare for the whole of its life, shutdown included.
*/}}
{{- define "itcare-proxy.sidecar.initContainer" -}}
{{- include "itcare-proxy.checks" . }}
{{- include "itcare-proxy.container" (dict "ctx" . "sidecar" true "native" true) }}
{{- end }}

{{/* The volumes the sidecar container mounts: /tmp, and in client-credentials mode the credentials Secret. */}}
{{- define "itcare-proxy.sidecar.volumes" -}}
{{- include "itcare-proxy.tmpVolume" . }}
{{- with include "itcare-proxy.credentialsVolume" . }}
{{ . }}
{{- end }}
{{- end }}
