#!/usr/bin/env node
// The checks of .ci/kubernetes.sh that are about this project rather than about Kubernetes schemas:
//
//   dockerfile DOCKERFILE DOCKERIGNORE      the image recipe keeps its promises (base, user, ports, exec form, layers)
//   keys README VALUES RENDER...            every key of the README's configuration table reaches the proxy's
//                                           environment under its documented name, and nothing undocumented does
//   values-doc VALUES SCHEMA CHART_README   every value is commented, in the schema and in the chart README's table
//   agree-gateway CHART_RENDER KUSTOMIZE    the kustomize base runs the proxy as the chart does
//   sidecar PARENT_RENDER EXAMPLE           the sidecar templates, seen from a parent chart, and the plain example
//   credentials RENDER...                   in client-credentials mode, the client id comes from the Secret and the
//                                           client secret is a read-only mounted file of it, never an env variable
//   runtime JAR DOCKERFILE RENDER           starts the packaged proxy as the image would, with the rendered
//                                           environment, and probes it as the kubelet would
//
// Each prints what it checked and exits 1 on the first kind of failure it finds (listing every instance of it).
// Run with NODE_PATH=target/k8s-tools/node/node_modules (yaml, dockerfile-ast).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const http = require("http");
const net = require("net");
const { spawn } = require("child_process");
const YAML = require("yaml");

class CheckFailed extends Error {}

function failIf(problems, what) {
  if (problems.length) {
    throw new CheckFailed(`${what}:\n  ${problems.join("\n  ")}`);
  }
}

function readObjects(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .filter((o) => o && typeof o === "object");
}

function podSpecs(objects) {
  return objects.filter((o) => o.kind === "Deployment").map((d) => ({ name: d.metadata.name, spec: d.spec.template.spec }));
}

/** The proxy container of a pod spec, from containers or (native sidecar) initContainers. */
function proxyContainer(spec) {
  const all = [...(spec.initContainers || []), ...(spec.containers || [])];
  return all.find((c) => c.name === "itcare-proxy");
}

/** The proxy's environment as the pod would see it: ConfigMap (envFrom) plus literal env. */
function proxyEnv(objects, spec) {
  const env = {};
  const container = proxyContainer(spec);
  for (const from of container.envFrom || []) {
    if (!from.configMapRef) continue;
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef.name);
    if (!cm) throw new CheckFailed(`ConfigMap ${from.configMapRef.name} of the proxy container is not rendered`);
    Object.assign(env, cm.data || {});
  }
  for (const e of container.env || []) {
    env[e.name] = "value" in e ? e.value : { valueFrom: e.valueFrom };
  }
  return env;
}

// ---------------------------------------------------------------------------------------------------------------
// dockerfile

function parseDockerfile(file) {
  const { DockerfileParser } = require("dockerfile-ast");
  const df = DockerfileParser.parse(fs.readFileSync(file, "utf8"));
  const args = {};
  for (const a of df.getInitialARGs()) {
    const p = a.getProperty();
    if (p) args[p.getName()] = p.getValue();
  }
  const result = { froms: [], users: [], exposes: [], copies: [], runs: [], env: {}, entrypoint: null, cmd: null, other: [] };
  for (const i of df.getInstructions()) {
    const keyword = i.getKeyword();
    if (keyword === "FROM") {
      result.froms.push(i.getArgumentsContent().replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a || b] ?? ""));
    } else if (keyword === "USER") result.users.push(i.getArgumentsContent().trim());
    else if (keyword === "EXPOSE") result.exposes.push(...i.getArguments().map((a) => a.getValue()));
    else if (keyword === "COPY") {
      const values = i.getArguments().map((a) => a.getValue());
      result.copies.push({ flags: Object.fromEntries(i.getFlags().map((f) => [f.getName(), f.getValue()])), src: values.slice(0, -1), dest: values.at(-1) });
    } else if (keyword === "ENV") for (const p of i.getProperties()) result.env[p.getName()] = p.getValue();
    else if (keyword === "ENTRYPOINT" || keyword === "CMD") {
      const json = i.getJSONStrings();
      result[keyword.toLowerCase()] = json.length ? json.map((s) => s.getJSONValue()) : i.getArgumentsContent();
    } else if (keyword === "RUN") result.runs.push(i.getArgumentsContent().replace(/\\\n\s*/g, " ").trim());
    else if (!["ARG", "LABEL", "WORKDIR"].includes(keyword)) result.other.push(keyword);
  }
  return result;
}

function checkDockerfile(dockerfile, dockerignore) {
  const d = parseDockerfile(dockerfile);
  const problems = [];
  if (d.froms.length !== 1) problems.push(`one FROM expected (a single runtime stage), found ${d.froms.length}`);
  const base = d.froms[0] || "";
  if (!/@sha256:[0-9a-f]{64}$/.test(base) && !/:[\w][\w.-]*$/.test(base.split("/").pop())) problems.push(`base image ${base} has no tag`);
  if (/:latest$/.test(base)) problems.push(`base image ${base} floats on :latest`);
  if (!/openjdk-17|temurin:17|jre-17|java-17/.test(base)) problems.push(`base image ${base} is not a Java 17 runtime`);
  const user = d.users.at(-1);
  if (!user || !/^[1-9][0-9]*(:[0-9]+)?$/.test(user)) problems.push(`last USER must be a numeric non-root uid (Kubernetes runAsNonRoot checks numbers), is ${user}`);
  for (const port of ["8080", "9000"]) if (!d.exposes.includes(port)) problems.push(`EXPOSE ${port} missing`);
  if (!Array.isArray(d.entrypoint)) problems.push("ENTRYPOINT must be in exec (JSON) form, so that java is PID 1 and receives SIGTERM");
  else {
    if (d.entrypoint[0] !== "java") problems.push(`ENTRYPOINT must start java itself, starts ${d.entrypoint[0]}`);
    if (d.entrypoint.slice(-2).join(" ") !== "-jar /deployments/quarkus-run.jar") problems.push("ENTRYPOINT must end with -jar /deployments/quarkus-run.jar");
    if (d.entrypoint.some((a) => /^(sh|bash|\/bin\/sh|-c)$/.test(a))) problems.push("ENTRYPOINT must not go through a shell");
  }
  if (d.cmd !== null) problems.push("no CMD: arguments would be passed to the application");
  if (d.other.length) problems.push(`instructions that change the image beyond copying the fast-jar and training AppCDS: ${d.other.join(", ")}`);
  const layers = ["target/quarkus-app/lib/", "target/quarkus-app/quarkus-run.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/"];
  // The one RUN allowed: the AppCDS training (src/main/docker/train-appcds.sh, copied last), whose archive the
  // ENTRYPOINT then maps; the training runs the same java, with the same JAVA_TOOL_OPTIONS, on the same jar path.
  const trainer = "src/main/docker/train-appcds.sh";
  const archive = "/deployments/app-cds.jsa";
  const trains = d.copies.some((c) => c.src.join(" ") === trainer);
  const copied = d.copies.map((c) => c.src.join(" ")).filter((src) => src !== trainer);
  if (copied.join("|") !== layers.join("|")) problems.push(`COPY must bring the fast-jar in layer order ${layers.join(", ")}; found ${copied.join(", ")}`);
  if (trains) {
    if (d.copies.at(-1).src.join(" ") !== trainer) problems.push(`${trainer} must be copied after the fast-jar's layers`);
    const expected = new RegExp(`^bash /deployments/train-appcds\\.sh ${archive.replace(/\./g, "\\.")} /deployments/quarkus-run\\.jar( .*)? && rm /deployments/train-appcds\\.sh$`);
    if (d.runs.length !== 1 || !expected.test(d.runs[0])) problems.push(`the only RUN must train ${archive} with ${trainer} and remove it; found ${JSON.stringify(d.runs)}`);
    if (!(d.entrypoint || []).includes(`-XX:SharedArchiveFile=${archive}`)) problems.push(`ENTRYPOINT must map the trained archive (-XX:SharedArchiveFile=${archive})`);
  } else if (d.runs.length) problems.push(`RUN only trains the AppCDS archive with ${trainer}; found ${JSON.stringify(d.runs)}`);
  for (const c of d.copies) if (!/^(185|1001)(:0|:185|:1001)?$/.test(c.flags.chown || "")) problems.push(`COPY ${c.src} needs --chown to the runtime uid`);
  const jvm = d.env.JAVA_TOOL_OPTIONS || "";
  for (const flag of ["-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError"]) if (!jvm.includes(flag)) problems.push(`JAVA_TOOL_OPTIONS lacks ${flag}`);
  if (/-Xmx|-Xms/.test(jvm + (d.entrypoint || []).join(" "))) problems.push("fixed -Xmx/-Xms ignore the container's memory limit");
  const ignore = fs.readFileSync(dockerignore, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (ignore[0] !== "*" || !ignore.some((l) => /^!target\/quarkus-app\/?$/.test(l))) problems.push(".dockerignore must exclude everything (*) but !target/quarkus-app/");
  if (trains && !ignore.includes(`!${trainer}`)) problems.push(`.dockerignore must let ${trainer} into the build context (!${trainer})`);
  failIf(problems, `${dockerfile} breaks its promises`);
  return `${base}, USER ${user}, EXPOSE ${d.exposes.join(" ")}, exec-form ENTRYPOINT, ${copied.length} COPY layers${trains ? ", AppCDS trained" : ""}`;
}

// ---------------------------------------------------------------------------------------------------------------
// keys

const envName = (key) => "ITCARE_PROXY_" + key.toUpperCase().replace(/[.-]/g, "_");
// ProxyConfig.Area: an area overrides every retry.* and circuit-breaker.* key but these two.
const NOT_PER_AREA = [/^retry\.budget\./, /^circuit-breaker\.scope$/];

/**
 * The proxy's keys as the README documents them: every row of its tables whose first column is headed "key" (the
 * configuration table, the simulator's), as {key, helm?}. The configuration table must be there.
 */
function readmeKeys(readme) {
  const text = fs.readFileSync(readme, "utf8");
  if (text.search(/^## Configuration\s*$/m) < 0) throw new CheckFailed(`${readme} has no "## Configuration" section`);
  const keys = [];
  let header = null;
  for (const line of text.split("\n")) {
    if (!line.startsWith("|")) { header = null; continue; }
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (!header) { header = cells.map((h) => h.toLowerCase()); continue; }
    if (/^-+$/.test(cells[0]) || header[0] !== "key") continue;
    const helmCol = header.findIndex((h) => h.startsWith("helm"));
    keys.push({ key: cells[0].replace(/`/g, ""), helm: helmCol >= 0 ? cells[helmCol] : null });
  }
  return keys;
}

function checkKeys(readme, valuesFile, renders) {
  const documented = new Set();
  const notByChart = new Set(); // rows whose Helm value is "—": keys the chart must never set
  const areaSuffixes = new Set();
  const helmPaths = [];
  for (const row of readmeKeys(readme)) {
    if (row.key.startsWith("areas.")) continue; // the per-area row; its keys are derived below
    for (const part of row.key.split(" / ")) {
      if (!/^[a-z][a-z.-]*$/.test(part)) throw new CheckFailed(`${readme}: cannot read configuration key "${part}"`);
      if (documented.has(envName(part))) continue; // a key listed in two tables (the timeouts table repeats some)
      documented.add(envName(part));
      if (row.helm && /^—/.test(row.helm)) notByChart.add(envName(part));
      if (/^(retry|circuit-breaker)\./.test(part) && !NOT_PER_AREA.some((re) => re.test(part))) {
        areaSuffixes.add(envName(part).slice("ITCARE_PROXY_".length));
      }
    }
    // The Helm value column, when the table has one: each `path` in it (wildcards and placeholders aside).
    if (row.helm) helmPaths.push(...[...row.helm.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((p) => /^[a-z][\w.]*$/i.test(p)));
  }
  const rendered = new Map(); // env name -> first render that has it
  for (const file of renders) {
    const objects = readObjects(file);
    for (const { spec } of podSpecs(objects)) {
      if (!proxyContainer(spec)) continue;
      for (const name of Object.keys(proxyEnv(objects, spec))) if (!rendered.has(name)) rendered.set(name, file);
    }
  }
  const problems = [];
  for (const name of documented) {
    if (notByChart.has(name)) {
      if (rendered.has(name)) problems.push(`${name} (${rendered.get(name)}) is set, but the README says the chart does not set it`);
    } else if (!rendered.has(name)) problems.push(`${name} (README) is not set by any rendered values file: no value reaches it`);
  }
  const areaRe = /^ITCARE_PROXY_AREAS__[A-Z0-9]+__(.+)$/;
  let areaNames = 0;
  for (const [name, file] of rendered) {
    if (!name.startsWith("ITCARE_PROXY_")) continue;
    const area = areaRe.exec(name);
    if (area) {
      areaNames++;
      if (!areaSuffixes.has(area[1])) problems.push(`${name} (${file}) is no per-area key of the README`);
    } else if (!documented.has(name)) problems.push(`${name} (${file}) is not a key of the README's configuration table`);
  }
  const coveredSuffixes = new Set([...rendered.keys()].map((n) => areaRe.exec(n)).filter(Boolean).map((m) => m[1]));
  for (const s of areaSuffixes) if (!coveredSuffixes.has(s)) problems.push(`per-area key ${s} is not set by any rendered values file`);
  if (helmPaths.length) {
    const values = YAML.parse(fs.readFileSync(valuesFile, "utf8"));
    for (const p of helmPaths) {
      const found = p.split(".").reduce((node, k) => (node && typeof node === "object" && k in node ? node[k] : undefined), values);
      if (found === undefined) problems.push(`README names Helm value ${p}, which values.yaml does not have`);
    }
  }
  failIf(problems, "configuration keys and rendered environment disagree");
  return `${documented.size} README keys (${notByChart.size} left to other means than the chart) and ${areaSuffixes.size} per-area keys reach the proxy's environment; ${rendered.size} variables rendered, ${areaNames} per-area`;
}

// ---------------------------------------------------------------------------------------------------------------
// values-doc

function schemaAt(schema, root, pathParts) {
  let node = schema;
  for (const part of pathParts) {
    if (node && node.$ref) node = node.$ref.split("/").slice(1).reduce((n, k) => n[k], root);
    if (!node || !node.properties || !node.properties[part]) return null;
    node = node.properties[part];
  }
  if (node && node.$ref) node = node.$ref.split("/").slice(1).reduce((n, k) => n[k], root);
  return node;
}

function checkValuesDoc(valuesFile, schemaFile, chartReadme) {
  const doc = YAML.parseDocument(fs.readFileSync(valuesFile, "utf8"));
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  const problems = [];
  const leaves = [];
  (function walk(map, prefix, inheritedComment) {
    map.items.forEach((pair, index) => {
      const key = String(pair.key.value);
      const p = [...prefix, key];
      const s = schemaAt(schema, schema, p);
      if (!s) problems.push(`${p.join(".")} is in values.yaml but not in values.schema.json`);
      const comment = pair.key.commentBefore || (index === 0 ? inheritedComment : null);
      const isMap = YAML.isMap(pair.value) && s && s.properties;
      if (isMap) walk(pair.value, p, pair.value.commentBefore || null);
      else {
        leaves.push(p.join("."));
        if (!comment || !comment.trim()) problems.push(`${p.join(".")} has no comment in values.yaml`);
      }
    });
  })(doc.contents, [], doc.contents.commentBefore || doc.commentBefore);
  (function walkSchema(node, prefix) {
    for (const [k, v] of Object.entries(node.properties || {})) {
      if (prefix.length === 0 && k === "global") continue;
      const target = v.$ref ? v.$ref.split("/").slice(1).reduce((n, x) => n[x], schema) : v;
      const p = [...prefix, k].join(".");
      if (target.properties) walkSchema(target, [...prefix, k]);
      else if (!leaves.includes(p)) problems.push(`${p} is in values.schema.json but not in values.yaml`);
    }
  })(schema, []);
  const readmeText = fs.readFileSync(chartReadme, "utf8");
  const valuesAt = readmeText.search(/^## Values\s*$/m);
  if (valuesAt < 0) throw new CheckFailed(`${chartReadme} has no "## Values" section`);
  const valuesSection = readmeText.slice(valuesAt);
  const table = new Set(valuesSection.split("\n")
    .map((l) => /^\| `([^`]+)` \|/.exec(l)).filter(Boolean).map((m) => m[1]));
  for (const leaf of leaves) if (!table.has(leaf)) problems.push(`${leaf} is missing from the values table of ${chartReadme}`);
  for (const row of table) if (!leaves.includes(row)) problems.push(`${row} is in the values table of ${chartReadme} but not in values.yaml`);
  failIf(problems, "values.yaml, its schema and the chart README disagree");
  return `${leaves.length} values, each commented, in the schema and in the README table`;
}

// ---------------------------------------------------------------------------------------------------------------
// agree-gateway, sidecar

const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const CONTAINER_KEYS = ["ports", "startupProbe", "livenessProbe", "readinessProbe", "lifecycle", "resources", "securityContext", "volumeMounts", "restartPolicy"];
const POD_KEYS = ["securityContext", "terminationGracePeriodSeconds", "automountServiceAccountToken", "volumes"];

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  return value;
}

function diff(a, b, at, out) {
  if (JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))) return;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${at}.${k}`, out);
  } else out.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

function checkAgreeGateway(chartRender, kustomizeRender) {
  const chart = readObjects(chartRender);
  const kust = readObjects(kustomizeRender);
  const problems = [];
  const [c] = podSpecs(chart);
  const [k] = podSpecs(kust);
  diff(pick(proxyContainer(c.spec), CONTAINER_KEYS), pick(proxyContainer(k.spec), CONTAINER_KEYS), "container", problems);
  diff(pick(c.spec, POD_KEYS), pick(k.spec, POD_KEYS), "pod", problems);
  const spread = (s) => (s.topologySpreadConstraints || []).map((t) => pick(t, ["maxSkew", "topologyKey", "whenUnsatisfiable"]));
  diff(spread(c.spec), spread(k.spec), "pod.topologySpreadConstraints", problems);
  const deploymentOf = (objs) => objs.find((o) => o.kind === "Deployment").spec;
  diff(pick(deploymentOf(chart), ["replicas", "strategy", "revisionHistoryLimit"]), pick(deploymentOf(kust), ["replicas", "strategy", "revisionHistoryLimit"]), "deployment", problems);
  diff(proxyEnv(chart, c.spec), proxyEnv(kust, k.spec), "environment", problems);
  const svc = (objs) => objs.find((o) => o.kind === "Service").spec.ports;
  diff(svc(chart), svc(kust), "service.ports", problems);
  const pdb = (objs) => pick(objs.find((o) => o.kind === "PodDisruptionBudget").spec, ["minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy"]);
  diff(pdb(chart), pdb(kust), "pdb", problems);
  failIf(problems, `the kustomize base (${kustomizeRender}) and the chart's defaults (${chartRender}) differ`);
  return "container, pod, rollout, environment, Service ports and PDB identical";
}

/**
 * Client-credentials mode as the chart renders it: the client id from the Secret (secretKeyRef), the client secret
 * not in the environment but a file of the Secret, mounted read-only as a directory (a subPath mount would not follow
 * a rotation), and ITCARE_PROXY_AUTH_CLIENT_SECRET_FILE naming that file. Returns the problems found.
 */
function credentialProblems(name, spec, env) {
  const problems = [];
  const c = proxyContainer(spec);
  const secretRefs = Object.entries(env).filter(([, v]) => v && v.valueFrom).map(([n]) => n).sort();
  if (secretRefs.join() !== "ITCARE_PROXY_AUTH_CLIENT_ID") problems.push(`${name}: only the client id should be an environment variable from the Secret, found ${secretRefs}`);
  if ("ITCARE_PROXY_AUTH_CLIENT_SECRET" in env) problems.push(`${name}: the client secret must be a mounted file, not ITCARE_PROXY_AUTH_CLIENT_SECRET (a rotation would need a restart)`);
  const file = env.ITCARE_PROXY_AUTH_CLIENT_SECRET_FILE;
  if (typeof file !== "string") { problems.push(`${name}: ITCARE_PROXY_AUTH_CLIENT_SECRET_FILE is not set`); return problems; }
  const mount = (c.volumeMounts || []).find((m) => file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
  if (!mount) { problems.push(`${name}: ${file} is in no volume mount of the proxy`); return problems; }
  if (mount.readOnly !== true) problems.push(`${name}: volume ${mount.name} must be mounted read-only`);
  if (mount.subPath || mount.subPathExpr) problems.push(`${name}: volume ${mount.name} is mounted with subPath, which a rotated Secret does not update`);
  const volume = (spec.volumes || []).find((v) => v.name === mount.name);
  const idRef = (c.env || []).find((e) => e.name === "ITCARE_PROXY_AUTH_CLIENT_ID");
  const secretName = idRef && idRef.valueFrom && idRef.valueFrom.secretKeyRef && idRef.valueFrom.secretKeyRef.name;
  if (!volume || !volume.secret) problems.push(`${name}: volume ${mount.name} is no Secret volume of the pod`);
  else {
    if (volume.secret.secretName !== secretName) problems.push(`${name}: the secret file comes from ${volume.secret.secretName}, the client id from ${secretName}`);
    const rel = file.slice(mount.mountPath.replace(/\/$/, "").length + 1);
    if (volume.secret.items && !volume.secret.items.some((i) => i.path === rel)) problems.push(`${name}: Secret volume ${mount.name} has no item for ${rel}`);
  }
  return problems;
}

function checkCredentials(renders) {
  const problems = [];
  let pods = 0;
  for (const file of renders) {
    const objects = readObjects(file);
    for (const { name, spec } of podSpecs(objects)) {
      if (!proxyContainer(spec)) continue;
      const env = proxyEnv(objects, spec);
      if (env.ITCARE_PROXY_AUTH_MODE !== "client-credentials") {
        if (env.ITCARE_PROXY_AUTH_CLIENT_SECRET_FILE || env.ITCARE_PROXY_AUTH_CLIENT_ID) problems.push(`${file}: ${name}: credentials without client-credentials mode`);
        continue;
      }
      pods++;
      problems.push(...credentialProblems(`${path.basename(file)}: ${name}`, spec, env));
    }
  }
  if (!pods) problems.push("no render runs the proxy in client-credentials mode: nothing was checked");
  failIf(problems, "client credentials");
  return `${pods} client-credentials pods: client id from the Secret, client secret a read-only mounted file of it`;
}

/** The proxy container's fields without the credentials mount, for comparing a client-credentials pod with a passthrough one. */
function withoutCredentialsMount(container, spec) {
  const secretVolumes = new Set((spec.volumes || []).filter((v) => v.secret).map((v) => v.name));
  return { ...container, volumeMounts: (container.volumeMounts || []).filter((m) => !secretVolumes.has(m.name)) };
}

function checkSidecar(parentRender, example) {
  const parent = readObjects(parentRender);
  const problems = [];
  const own = parent.filter((o) => ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"].includes(o.kind) && /itcare-proxy/.test(o.metadata.name));
  if (own.length) problems.push(`mode sidecar still renders the gateway's ${own.map((o) => o.kind).join(", ")}`);
  const pods = podSpecs(parent);
  if (pods.length !== 2) problems.push(`the parent fixture should render 2 Deployments, rendered ${pods.length}`);
  for (const { name, spec } of pods) {
    const c = proxyContainer(spec);
    if (!c) { problems.push(`${name}: no itcare-proxy container`); continue; }
    const native = (spec.initContainers || []).includes(c);
    if (native !== (c.restartPolicy === "Always")) problems.push(`${name}: an init-container sidecar needs restartPolicy Always, a regular one none`);
    const env = proxyEnv(parent, spec);
    if (env.ITCARE_PROXY_SERVER_HOST !== "127.0.0.1") problems.push(`${name}: the sidecar's traffic port must listen on 127.0.0.1, not ${env.ITCARE_PROXY_SERVER_HOST}`);
    for (const m of c.volumeMounts || []) if (!(spec.volumes || []).some((v) => v.name === m.name)) problems.push(`${name}: volume ${m.name} of the sidecar is not in the pod`);
    problems.push(...credentialProblems(name, spec, env));
    const ports = new Set((c.ports || []).map((p) => p.name));
    for (const other of [...(spec.containers || []), ...(spec.initContainers || [])].filter((x) => x !== c)) {
      for (const p of other.ports || []) if (ports.has(p.name)) problems.push(`${name}: port name ${p.name} clashes with the application's`);
    }
  }
  // The plain example must run the proxy as the chart's native sidecar does (the fixture uses the example's timings).
  const ex = readObjects(example);
  const [exPod] = podSpecs(ex);
  const exProxy = proxyContainer(exPod.spec);
  const nativePod = pods.find((p) => { const c = proxyContainer(p.spec); return c && c.restartPolicy === "Always"; });
  const exEnv = proxyEnv(ex, exPod.spec);
  if (!exProxy || !(exPod.spec.initContainers || []).includes(exProxy)) problems.push(`${example}: the proxy should be a native sidecar (initContainers)`);
  else if (nativePod) {
    // The fixture runs client-credentials; the example may run passthrough: the credentials mount aside, the same.
    const chartSide = withoutCredentialsMount(proxyContainer(nativePod.spec), nativePod.spec);
    const exSide = withoutCredentialsMount(exProxy, exPod.spec);
    diff(pick(chartSide, CONTAINER_KEYS), pick(exSide, CONTAINER_KEYS), `${example} vs the chart's sidecar`, problems);
    if (exEnv.ITCARE_PROXY_AUTH_MODE === "client-credentials") problems.push(...credentialProblems(example, exPod.spec, exEnv));
  }
  if (exEnv.ITCARE_PROXY_SERVER_HOST !== "127.0.0.1") problems.push(`${example}: the proxy must listen on 127.0.0.1`);
  const app = (exPod.spec.containers || []).find((c) => c !== exProxy);
  if (!app || !(app.env || []).some((e) => e.value === "http://localhost:8080")) problems.push(`${example}: the application's ITCare base URL must be http://localhost:8080`);
  failIf(problems, "sidecar mode");
  return `regular and native sidecar from a parent chart, and ${path.basename(example)} agree`;
}

// ---------------------------------------------------------------------------------------------------------------
// runtime

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The status of a request to 127.0.0.1:port, 0 when it could not complete. */
function request(port, urlPath, { method = "GET", body = null, timeoutMs = 2000 } = {}) {
  return new Promise((resolve) => {
    const headers = body ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {};
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method, headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end(body || undefined);
  });
}
const get = (port, urlPath, timeoutMs) => request(port, urlPath, { timeoutMs });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function checkRuntime(jar, dockerfile, render, logFile) {
  const d = parseDockerfile(dockerfile);
  const objects = readObjects(render);
  const [pod] = podSpecs(objects);
  const container = proxyContainer(pod.spec);
  const rendered = proxyEnv(objects, pod.spec);
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: "C.UTF-8" };
  for (const [k, v] of Object.entries(d.env)) env[k] = v;
  for (const [k, v] of Object.entries(rendered)) if (typeof v === "string") env[k] = v;
  // Free loopback ports instead of the pod's own: the machine running the check may use 8080 and 9000.
  const traffic = await freePort();
  const management = await freePort();
  const simulator = await freePort();
  Object.assign(env, {
    ITCARE_PROXY_SERVER_PORT: String(traffic), ITCARE_PROXY_SERVER_HOST: "127.0.0.1",
    QUARKUS_MANAGEMENT_PORT: String(management), QUARKUS_MANAGEMENT_HOST: "127.0.0.1",
    ITCARE_PROXY_SIMULATOR_PORT: String(simulator),
  });
  // Without the simulator, a stand-in ITCare on loopback replaces the real one, which this machine cannot reach.
  let upstream = null;
  if (env.ITCARE_PROXY_SIMULATOR_ENABLED !== "true") {
    upstream = await standInUpstream();
    env.ITCARE_PROXY_UPSTREAM_URL = `http://127.0.0.1:${upstream.address().port}/itcare`;
  }
  const command = d.entrypoint.map((a) => (a === "/deployments/quarkus-run.jar" ? path.resolve(jar) : a));
  const log = fs.openSync(logFile, "w");
  const started = Date.now();
  const child = spawn(command[0], command.slice(1), { env, cwd: os.tmpdir(), stdio: ["ignore", log, log] });
  let exited = null;
  child.on("exit", (code, signal) => { exited = { code, signal, at: Date.now() }; });
  // Stopped from outside (the script's timeout): take the proxy down too.
  process.once("SIGTERM", () => { child.kill("SIGKILL"); process.exit(1); });
  const problems = [];
  try {
    const limitMs = container.startupProbe.periodSeconds * container.startupProbe.failureThreshold * 1000;
    let status = 0;
    while (!exited && Date.now() - started < limitMs && status !== 200) {
      status = await get(management, container.startupProbe.httpGet.path);
      if (status !== 200) await sleep(200);
    }
    if (status !== 200) {
      const why = fs.readFileSync(logFile, "utf8").split("\n").filter((l) => /ERROR|Caused by|Exception:|invalid/i.test(l) && !/^\s+at /.test(l)).slice(0, 5);
      throw new CheckFailed(`${exited ? `the proxy exited (${exited.code}) before passing its startup probe` : `the proxy did not pass its startup probe within ${limitMs / 1000}s`}; ${logFile}:\n  ${why.join("\n  ")}`);
    }
    const startSeconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const p = container[probe].httpGet.path;
      const s = await get(management, p);
      if (s !== 200) problems.push(`${probe} ${p} answered ${s}`);
    }
    const metrics = await get(management, "/q/metrics");
    if (metrics !== 200) problems.push(`/q/metrics answered ${metrics}`);
    const s = await get(traffic, "/compute/instances?size=1", 10000);
    if (s !== 200) problems.push(`GET /compute/instances through the traffic port answered ${s}`);
    let through = `, GET via ${upstream ? "stand-in upstream" : "simulator"} 200`;
    const output = fs.readFileSync(logFile, "utf8");
    if (!output.includes(`Picked up JAVA_TOOL_OPTIONS: ${d.env.JAVA_TOOL_OPTIONS}`)) problems.push("the JVM did not pick up the image's JAVA_TOOL_OPTIONS");
    if (env.JDK_JAVA_OPTIONS && !output.includes(`Picked up JDK_JAVA_OPTIONS: ${env.JDK_JAVA_OPTIONS}`)) problems.push("the JVM did not pick up jvm.options (JDK_JAVA_OPTIONS)");
    // Without the simulator (which stops with the JVM), a request held 3 s by the stand-in upstream is in flight at
    // SIGTERM: the drain must let it finish.
    let inFlight = null;
    if (upstream) {
      inFlight = request(traffic, "/compute/instances?holdMs=3000", { timeoutMs: 20000 });
      await sleep(500);
    }
    const termAt = Date.now();
    child.kill("SIGTERM");
    if (inFlight) {
      const s = await inFlight;
      if (s !== 200) problems.push(`a request in flight at SIGTERM answered ${s}, not 200: the drain did not protect it`);
      else through += ", a request in flight at SIGTERM drained with 200";
    }
    const graceMs = (pod.spec.terminationGracePeriodSeconds - (container.lifecycle ? Number(container.lifecycle.preStop.exec.command[1]) : 0)) * 1000;
    while (!exited && Date.now() - termAt < graceMs) await sleep(100);
    if (!exited) problems.push(`still running ${graceMs / 1000}s after SIGTERM: the kubelet would kill it`);
    else if (!(exited.code === 0 || exited.code === 143 || exited.signal === "SIGTERM")) problems.push(`exited with ${exited.code} after SIGTERM`);
    failIf(problems, `the packaged proxy with ${path.basename(render)}'s environment`);
    const stopSeconds = ((exited.at - termAt) / 1000).toFixed(1);
    return `${Object.keys(rendered).length} variables, up in ${startSeconds}s, 3 probes and /q/metrics 200${through}, down ${stopSeconds}s after SIGTERM`;
  } finally {
    if (!exited) child.kill("SIGKILL");
    fs.closeSync(log);
    if (upstream) upstream.close();
  }
}

/** An HTTP server on a free loopback port answering 200 with a JSON body, after ?holdMs= milliseconds if asked. */
function standInUpstream() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const hold = Number(new URL(req.url, "http://x").searchParams.get("holdMs") || 0);
      setTimeout(() => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"content":[],"totalElements":0}');
      }, Math.min(hold, 10000));
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------------------------

async function main([command, ...args]) {
  const commands = {
    dockerfile: () => checkDockerfile(...args),
    keys: () => checkKeys(args[0], args[1], args.slice(2)),
    "values-doc": () => checkValuesDoc(...args),
    "agree-gateway": () => checkAgreeGateway(...args),
    sidecar: () => checkSidecar(...args),
    credentials: () => checkCredentials(args),
    runtime: () => checkRuntime(...args),
  };
  if (!commands[command]) {
    console.error(`usage: checks.cjs ${Object.keys(commands).join("|")} ARGS...`);
    return 2;
  }
  try {
    console.log(await commands[command]());
    return 0;
  } catch (e) {
    console.log(e instanceof CheckFailed ? e.message : e.stack);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
