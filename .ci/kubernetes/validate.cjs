#!/usr/bin/env node
// Validates rendered Kubernetes manifests, as the API server would, before they ever reach one:
//   1. every document parses as YAML (duplicate keys are errors) and names an apiVersion and kind;
//   2. every object's apiVersion/kind is known to the schemas (Kubernetes and prometheus-operator), and an unknown one
//      fails: a typo in a kind or an API version removed from Kubernetes must not pass silently;
//   3. every object matches its OpenAPI schema (kubernetes-models: types, enums, required fields);
//   4. no object has a field its schema does not know ("strict" field validation, what `kubectl apply` does by
//      default since Kubernetes 1.27). The OpenAPI schemas accept unknown fields, so this step type-checks each object
//      against the models' TypeScript interfaces, whose excess-property check catches a misspelt or mis-indented key
//      (`readOnlyRootFileSystem`, a probe one level too deep).
//
// Usage: NODE_PATH=target/k8s-tools/node/node_modules node validate.cjs --work DIR FILE.yaml...
//   DIR: where the type-check file goes; it must lie under target/k8s-tools/node so that the models resolve.
// Prints one line per file; exits 1 when any object fails.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const YAML = require("yaml");

// API groups served by a CRD package rather than by kubernetes-models.
const CRD_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modulePath(apiVersion) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = CRD_PACKAGES[group] || "kubernetes-models";
  return `${pkg}/${apiVersion}`;
}

/** The model class of apiVersion/kind, or an error message. */
function modelOf(apiVersion, kind) {
  let mod;
  try {
    mod = require(modulePath(apiVersion));
  } catch (e) {
    return { error: `unknown apiVersion ${apiVersion}` };
  }
  const Model = mod[kind];
  if (typeof Model !== "function" || Model.kind !== kind || Model.apiVersion !== apiVersion) {
    return { error: `unknown kind ${kind} in ${apiVersion}` };
  }
  return { Model };
}

function describe(obj) {
  const m = (obj && obj.metadata) || {};
  return `${obj.kind || "?"}/${m.name || "?"}`;
}

function main(argv) {
  let work = null;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--work") work = argv[++i];
    else files.push(argv[i]);
  }
  if (files.length === 0 || !work) {
    console.error("usage: validate.cjs --work DIR FILE.yaml...");
    return 2;
  }
  fs.mkdirSync(work, { recursive: true });

  const problems = new Map(files.map((f) => [f, []]));
  const counts = new Map(files.map((f) => [f, []]));
  const typed = []; // objects for the strict-field type check: {file, label, typeName, module, json}

  for (const file of files) {
    if (!fs.existsSync(file)) {
      problems.get(file).push("missing (it did not render)");
      continue;
    }
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"), { uniqueKeys: true, strict: true });
    const seen = new Set();
    docs.forEach((doc, index) => {
      if (doc.errors.length) {
        doc.errors.forEach((e) => problems.get(file).push(`document ${index + 1}: ${e.message.split("\n")[0]}`));
        return;
      }
      const obj = doc.toJS();
      if (obj === null || obj === undefined) return; // an empty document between two ---
      const where = `document ${index + 1} (${describe(obj)})`;
      if (typeof obj !== "object" || Array.isArray(obj) || !obj.apiVersion || !obj.kind) {
        problems.get(file).push(`${where}: not a Kubernetes object (no apiVersion or kind)`);
        return;
      }
      if (!obj.metadata || !obj.metadata.name) {
        problems.get(file).push(`${where}: metadata.name is missing`);
      }
      const key = `${obj.apiVersion} ${obj.kind} ${(obj.metadata || {}).namespace || ""}/${(obj.metadata || {}).name}`;
      if (seen.has(key)) problems.get(file).push(`${where}: defined twice`);
      seen.add(key);
      const { Model, error } = modelOf(obj.apiVersion, obj.kind);
      if (error) {
        problems.get(file).push(`${where}: ${error}`);
        return;
      }
      try {
        new Model(obj).validate();
      } catch (e) {
        problems.get(file).push(`${where}: ${String(e.message).replace(/\s+/g, " ").trim()}`);
        return;
      }
      counts.get(file).push(obj.kind);
      typed.push({ file, label: where, typeName: `I${obj.kind}`, module: `${modulePath(obj.apiVersion)}/${obj.kind}`, obj });
    });
  }

  strictFields(typed, work, problems);

  let failed = 0;
  let objects = 0;
  for (const file of files) {
    objects += counts.get(file).length;
    const p = problems.get(file);
    const kinds = counts.get(file);
    if (p.length) {
      failed++;
      console.log(`validate: FAIL ${file}`);
      p.forEach((line) => console.log(`validate:   ${line}`));
    } else if (kinds.length === 0) {
      failed++;
      console.log(`validate: FAIL ${file}: no Kubernetes object in it`);
    } else {
      console.log(`validate: ok   ${file}: ${kinds.length} objects (${summary(kinds)})`);
    }
  }
  console.log(`validate: ${files.length - failed} of ${files.length} files valid, ${objects} objects checked against the Kubernetes and prometheus-operator schemas, unknown fields included`);
  return failed ? 1 : 0;
}

function summary(kinds) {
  const c = new Map();
  kinds.forEach((k) => c.set(k, (c.get(k) || 0) + 1));
  return [...c].map(([k, n]) => (n > 1 ? `${n} ${k}` : k)).join(", ");
}

/** Type-checks every object against its model's interface; unknown fields become problems of their file. */
function strictFields(typed, work, problems) {
  if (typed.length === 0) return;
  const imports = new Map();
  const lines = [];
  const lineOwner = [];
  typed.forEach((t) => {
    if (!imports.has(t.module)) imports.set(t.module, { alias: `T${imports.size}`, typeName: t.typeName });
  });
  const header = [...imports].map(([mod, { alias, typeName }]) => `import type { ${typeName} as ${alias} } from "${mod}";`);
  header.forEach((h) => { lines.push(h); lineOwner.push(null); });
  typed.forEach((t, i) => {
    const { alias } = imports.get(t.module);
    // One object per line, so that the compiler's line number names the object.
    lines.push(`export const o${i}: ${alias} = ${JSON.stringify(t.obj)};`);
    lineOwner.push(t);
  });
  const source = path.resolve(work, "objects.ts");
  fs.writeFileSync(source, lines.join("\n") + "\n");
  const tsc = require.resolve("typescript/lib/tsc.js");
  let output = "";
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--pretty", "false",
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2020", source],
      { cwd: path.dirname(require.resolve("typescript/package.json")), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    output = `${e.stdout || ""}${e.stderr || ""}`;
    if (!output.trim()) output = `type check failed: ${e.message}`;
  }
  for (const line of output.split("\n").filter((l) => l.trim())) {
    const m = /objects\.ts\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(line);
    const owner = m ? lineOwner[Number(m[1]) - 1] : null;
    if (owner) {
      problems.get(owner.file).push(`${owner.label}: ${fieldMessage(m[3], lines[Number(m[1]) - 1], Number(m[2]))}`);
    } else {
      // A failure that belongs to no object (a broken install of the models) must still fail the run.
      problems.get(typed[0].file).push(`type check: ${line}`);
    }
  }
}

/** Turns the compiler's message into the field's place: `unknown field "x" at spec.template.spec.containers[0]`. */
function fieldMessage(message, line, column) {
  const m = /'"?([^'"]+)"?' does not exist in type/.exec(message);
  if (!m) return message;
  const json = line.slice(line.indexOf(" = ") + 3);
  const at = pathAt(json, column - 1 - (line.length - json.length));
  return `unknown field "${m[1]}" at ${at === null ? "?" : at || "(top level)"}`;
}

/** The path of the object holding the key that starts at offset in a JSON text, or null. */
function pathAt(json, offset) {
  const stack = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    const top = stack[stack.length - 1];
    if (c === "{") stack.push({ object: true, key: null });
    else if (c === "[") stack.push({ object: false, index: 0 });
    else if (c === "}" || c === "]") stack.pop();
    else if (c === "," && top && !top.object) top.index++;
    else if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === "\\" ? 2 : 1;
      if (top && top.object && json[j + 1] === ":") {
        if (i === offset) {
          return stack.map((s, n) => (s.object ? (n === stack.length - 1 ? "" : s.key) : `[${s.index}]`))
            .reduce((acc, part) => (part.startsWith("[") ? acc + part : part ? (acc ? `${acc}.${part}` : part) : acc), "");
        }
        top.key = JSON.parse(json.slice(i, j + 1));
      }
      i = j;
    }
  }
  return null;
}

process.exitCode = main(process.argv.slice(2));
