"use strict";
// The profiler's split of a CPU profile, on a made-up profile: `node --test bench/test`.
const assert = require("node:assert/strict");
const { test } = require("node:test");
const { categorize } = require("../lib/profile/cpu-categories");

test("a CPU profile is split by the script of each sample's frames", () => {
  const frame = (id, functionName, url, children = []) => ({
    id,
    callFrame: { functionName, url },
    children,
  });
  const profile = {
    nodes: [
      frame(1, "(root)", "", [2, 4, 7, 8, 9, 10, 11]),
      frame(2, "Module._load", "node:internal/modules/cjs/loader", [3]),
      frame(3, "", "file:///p/node_modules/ajv/dist/ajv.js"), // loading ajv: module loading, not validation
      frame(4, "request", "file:///p/node_modules/axios/lib/axios.js", [5, 6]),
      frame(5, "parse", ""), // JSON.parse called by axios
      frame(6, "onread", "node:net"), // Node.js core under axios: HTTP
      frame(7, "validate12", ""),
      frame(8, "(idle)", ""),
      frame(9, "read", "file:///p/node_modules/pulumi-immuta/dist/provider/operations/read.js"),
      frame(10, "internalConnect", "node:net"), // an HTTP request's connection, after an asynchronous hop
      // The user's program, run by a require: its own top-level code is not module loading.
      frame(11, "Module._load", "node:internal/modules/cjs/loader", [12]),
      frame(12, "", "file:///prog/index.js", [13]),
      frame(13, "registerResource", "file:///prog/node_modules/@pulumi/pulumi/runtime/resource.js"),
    ],
    samples: [3, 3, 5, 6, 7, 9, 10, 12, 13, 8],
    timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };
  const { ms, idleMs } = categorize(profile);
  assert.equal(ms.moduleLoading, 2);
  assert.equal(ms.json, 1);
  assert.equal(ms.http, 2);
  assert.equal(ms.validation, 1);
  assert.equal(ms.ours, 1);
  assert.equal(ms.pulumiSdk, 1);
  assert.equal(ms.other, 1); // the program's own loop
  assert.ok(idleMs > 0);
});
