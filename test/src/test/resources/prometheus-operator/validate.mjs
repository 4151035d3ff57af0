// Validates Kubernetes objects of monitoring.coreos.com/v1 against the prometheus-operator API schema
// that @kubernetes-models/prometheus-operator ships (generated from the operator's Go API types, the
// source its CRDs are generated from). Usage: node validate.mjs <package root> < objects.json
// (a JSON array); prints one JSON line per object: {"kind", "name", "valid", "errors"}.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const root = process.argv[2];
const kinds = { ServiceMonitor: "ServiceMonitor", PodMonitor: "PodMonitor" };
const objects = JSON.parse(readFileSync(0, "utf8"));
for (const o of objects) {
  const model = kinds[o.kind];
  if (!model || o.apiVersion !== "monitoring.coreos.com/v1") {
    console.log(JSON.stringify({ kind: o.kind, name: o.metadata?.name, valid: false, errors: ["not a monitoring.coreos.com/v1 monitor"] }));
    continue;
  }
  const mod = await import(pathToFileURL(`${root}/monitoring.coreos.com/v1/${model}.js`).href);
  try {
    new mod[model](o).validate();
    console.log(JSON.stringify({ kind: o.kind, name: o.metadata?.name, valid: true, errors: [] }));
  } catch (e) {
    console.log(JSON.stringify({ kind: o.kind, name: o.metadata?.name, valid: false, errors: [String(e.message)] }));
  }
}
