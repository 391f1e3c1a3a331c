"use strict";
/**
 * A V8 CPU profile (`.cpuprofile`) of a Node.js process (the dynamic-provider host, the program), split into
 * categories of work by the script of each sampled stack frame.
 *
 * A sample is charged to:
 *  1. `moduleLoading` when it is inside a `require` (Node.js's module loader on its stack) of a package: the
 *     loader's own work (resolving, reading, compiling) and the top-level code of the package being loaded, so
 *     loading ajv counts here, not under validation. The user's program is itself run by a `require` (Pulumi's
 *     `cmd/run` loads it); what it does at its top level is the program's work, not loading, and goes on to 2;
 *  2. otherwise the category of the innermost frame whose script belongs to a known package (below), so that
 *     axios's own time is HTTP and the JSON.parse it calls is JSON;
 *  3. otherwise (only Node.js's own scripts, or the program's own, on the stack: timers, streams, sockets) `other`.
 * `(garbage collector)` is `gc`; `(idle)` is no CPU at all and is left out; `(program)` (V8 and native code
 * outside JavaScript) is `other`.
 */

/** Display order and labels of the categories. */
const CATEGORIES = [
  ["moduleLoading", "module loading"],
  ["validation", "validation (ajv, input checks)"],
  ["http", "HTTP (axios, node:http, outgoing connections)"],
  ["json", "JSON"],
  ["grpc", "gRPC (grpc-js, protobuf)"],
  ["pulumiSdk", "Pulumi SDK (resources, property (de)serialization, dynamic-provider host)"],
  ["sourceMaps", "stack traces through source maps (source-map-support)"],
  ["ours", "our own code"],
  ["gc", "garbage collection"],
  ["other", "other (Node.js core, V8)"],
];

const LOADER = /^node:internal\/modules\//;

/**
 * Script URL patterns, tried in order. The provider's own files are matched by package (`pulumi-immuta/dist/`)
 * except the ones that validate, matched by file name: a rename there only moves time from `validation` to `ours`.
 */
const BY_URL = [
  [
    /\/node_modules\/(ajv|ajv-formats|fast-deep-equal|fast-uri|json-schema-traverse|require-from-string)\//,
    "validation",
  ],
  [/\/pulumi-immuta\/dist\/.*(inputs|schemas?|validat\w*|check\w*)\.js$/, "validation"],
  [
    /\/node_modules\/(axios|follow-redirects|form-data|proxy-from-env|combined-stream|mime-types|asynckit)\//,
    "http",
  ],
  [/^node:(_http_\w+|http|https|internal\/http)$/, "http"],
  [/\/node_modules\/(@grpc|google-protobuf|protobufjs|@protobufjs|long)\//, "grpc"],
  [/^node:internal\/http2\//, "grpc"],
  // The SDK installs source-map-support and records a stack trace for every promise it tracks
  // (runtime/debuggable.js): each is mapped through the source maps of the files on it.
  [/\/node_modules\/(source-map-support|source-map|buffer-from)\//, "sourceMaps"],
  [/\/node_modules\/@pulumi\//, "pulumiSdk"],
  [/\/pulumi-immuta\/dist\//, "ours"],
];

/**
 * Opening and closing outgoing TCP connections (node:net). The provider's only outgoing connections are its HTTP
 * requests (gRPC reaches it as a server); they run after an asynchronous hop, without axios on the stack.
 */
const OUTGOING_CONNECTION =
  /^(internalConnect|internalConnectMultiple|afterConnect|afterConnectMultiple|lookupAndConnect|connect)$/;

/** Built-in functions V8 shows as frames of their own, without a script. */
const JSON_BUILTINS = new Set(["parse", "stringify", "JSONParse", "JSONStringify"]);
/** Ajv compiles each schema into a function without a script, named validate0, validate10, ... */
const AJV_COMPILED = /^validate\d*$/;

function categoryOfFrame({ url, functionName }) {
  if (url === "") {
    if (JSON_BUILTINS.has(functionName)) return "json";
    if (AJV_COMPILED.test(functionName)) return "validation";
    return undefined;
  }
  for (const [pattern, category] of BY_URL) if (pattern.test(url)) return category;
  if (url === "node:net" && OUTGOING_CONNECTION.test(functionName)) return "http";
  return undefined;
}

/**
 * Milliseconds of samples per category, from a parsed `.cpuprofile`. Each sample counts the time until the next
 * one (`timeDeltas`), the last one the mean interval.
 */
function categorize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const memo = new Map();
  const categoryOf = (id) => {
    if (memo.has(id)) return memo.get(id);
    const leaf = byId.get(id);
    let category;
    const name = leaf.callFrame.functionName;
    if (name === "(idle)") category = null;
    else if (name === "(garbage collector)") category = "gc";
    else if (name === "(program)" || name === "(root)") category = "other";
    else {
      const stack = [];
      for (let current = id; current !== undefined; current = parent.get(current))
        stack.push(byId.get(current).callFrame);
      // Innermost first: the frames up to the innermost `require` are what that require runs.
      const loader = stack.findIndex((frame) => LOADER.test(frame.url));
      const required =
        loader < 0 ? [] : stack.slice(0, loader).filter((frame) => frame.url.startsWith("file:"));
      const loaded = required[required.length - 1];
      if (loader >= 0 && (!loaded || loaded.url.includes("/node_modules/"))) category = "moduleLoading";
      else {
        for (const frame of loader < 0 ? stack : stack.slice(0, loader)) {
          category = categoryOfFrame(frame);
          if (category) break;
        }
        category ??= "other";
      }
    }
    memo.set(id, category);
    return category;
  };
  const deltas = profile.timeDeltas ?? [];
  const meanDelta = deltas.length ? deltas.reduce((s, d) => s + d, 0) / deltas.length : 0;
  const microseconds = Object.fromEntries(CATEGORIES.map(([key]) => [key, 0]));
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const weight = index + 1 < deltas.length ? deltas[index + 1] : meanDelta;
    const category = categoryOf(id);
    if (category === null) idle += weight;
    else microseconds[category] += weight;
  });
  const busy = Object.values(microseconds).reduce((s, v) => s + v, 0);
  return {
    ms: Object.fromEntries(Object.entries(microseconds).map(([key, us]) => [key, us / 1000])),
    busyMs: busy / 1000,
    idleMs: idle / 1000,
  };
}

module.exports = { CATEGORIES, categorize, categoryOfFrame };
