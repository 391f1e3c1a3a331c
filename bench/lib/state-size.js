"use strict";
/**
 * What a stack's state costs: bytes per resource in `pulumi stack export` (JSON, 4-space indented as the CLI
 * prints it), split into inputs and outputs and per output property, with whether that output merely repeats the
 * input of the same name; and the number of JSON values per resource, which the engine's work follows as much
 * as the bytes.
 */
const { Buffer } = require("node:buffer");
const fs = require("node:fs");
const path = require("node:path");
const { round } = require("./stats");

const bytes = (value) => Buffer.byteLength(JSON.stringify(value, null, 4), "utf8");
const mean = (values) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);
const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Values in a JSON tree (objects and arrays count with their members): what the engine walks to copy or encode it. */
function valueCount(value) {
  if (value === null || typeof value !== "object") return 1;
  return 1 + Object.values(value).reduce((total, member) => total + valueCount(member), 0);
}

/** Mean bytes of each output property over `resources` (each property's `"key": value` as it is indented). */
function outputProperties(resources) {
  const keys = new Set(resources.flatMap((resource) => Object.keys(resource.outputs ?? {})));
  const properties = [];
  for (const key of keys) {
    const having = resources.filter((resource) => resource.outputs && key in resource.outputs);
    properties.push({
      key,
      bytes: round(
        mean(having.map((r) => Buffer.byteLength(`"${key}": ${JSON.stringify(r.outputs[key], null, 4)}`))),
        0,
      ),
      // The same value under the same key in inputs, on every resource: the output only repeats it.
      repeatsInput: having.every(
        (r) => r.inputs && key in r.inputs && sameValue(r.inputs[key], r.outputs[key]),
      ),
    });
  }
  return properties.sort((a, b) => b.bytes - a.bytes);
}

/** Sizes of one stack's resources of type `typeMatch` (a substring of the type token). */
async function stateSizes(handle, n, typeMatch) {
  const exported = await handle.stack.exportStack();
  const resources = (exported.deployment.resources ?? []).filter((resource) =>
    resource.type.includes(typeMatch),
  );
  const perResource = resources.map(bytes);
  const providerBytes = (resource) =>
    Buffer.byteLength(String(resource.inputs?.__provider ?? ""), "utf8") +
    Buffer.byteLength(String(resource.outputs?.__provider ?? ""), "utf8");
  const checkpoint = checkpointBytes(handle.root);
  return {
    n,
    resources: resources.length,
    bytesPerResource: {
      mean: round(mean(perResource), 0),
      max: perResource.length ? Math.max(...perResource) : null,
    },
    partsPerResource: {
      inputs: round(mean(resources.map((r) => bytes(r.inputs ?? {}))), 0),
      outputs: round(mean(resources.map((r) => bytes(r.outputs ?? {}))), 0),
    },
    valuesPerResource: round(mean(resources.map(valueCount)), 0),
    outputProperties: outputProperties(resources),
    providerBytesPerResource: {
      mean: round(mean(resources.map(providerBytes)), 0),
      inputs: resources[0] ? Buffer.byteLength(String(resources[0].inputs?.__provider ?? ""), "utf8") : null,
      outputs: resources[0]
        ? Buffer.byteLength(String(resources[0].outputs?.__provider ?? ""), "utf8")
        : null,
    },
    deploymentBytes: bytes(exported.deployment),
    deploymentBytesPerResource: round(bytes(exported.deployment) / Math.max(1, n), 0),
    checkpointFileBytesPerResource: checkpoint === null ? null : round(checkpoint / Math.max(1, n), 0),
  };
}

/** The stack's checkpoint file in a `file://` backend under `stackRoot` (bench/lib/pulumi.js's layout). */
function checkpointFile(stackRoot) {
  const stacksDir = path.join(stackRoot, "backend", ".pulumi", "stacks");
  try {
    const files = fs.readdirSync(stacksDir, { recursive: true, encoding: "utf8" });
    const file = files.find((name) => name.endsWith("bench.json"));
    return file ? path.join(stacksDir, file) : null;
  } catch {
    return null;
  }
}

function checkpointBytes(stackRoot) {
  const file = checkpointFile(stackRoot);
  return file ? fs.statSync(file).size : null;
}

module.exports = { stateSizes, checkpointFile };
