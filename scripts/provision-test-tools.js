#!/usr/bin/env node
// Provisions everything the engine tiers of `npm test` use, one after the other, through the provisioning scripts
// themselves (so each stays the one implementation of its tool): the Pulumi CLI, the SDK versions of the `sdk`
// tier, the Python venv and the YAML host of the native plugin's tests, and the second Pulumi release of
// tests/e2e/other-release.test.ts. scripts/test.js starts it in the background while build, typecheck, lint and
// the unit tier run; a test that needs a tool before it is ready waits on that tool's cache lock. Each line of
// output is prefixed with the step; the exit code is that of the first failed step (the others still run).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { everyRunVersions } = require("./sdk-matrix");
const { OTHER_RELEASE_WRAPPER, wrapperRelease } = require("./lib/wrappers");

const ROOT = path.resolve(__dirname, "..");
const node = (script, ...args) => [process.execPath, [path.join(ROOT, "scripts", script), ...args]];

const STEPS = [
  ["Pulumi CLI", ...node("provision-pulumi.js")],
  ["SDK versions of the sdk tier", ...node("provision-sdk.js", ...everyRunVersions())],
  ["Python venv", ...node("provision-languages.js", "python")],
  ["YAML language host", ...node("provision-languages.js", "yaml")],
  [
    "second Pulumi release",
    ...node("provision-pulumi.js", "--release", wrapperRelease(OTHER_RELEASE_WRAPPER)),
  ],
];

let status = 0;
for (const [label, command, args] of STEPS) {
  const started = Date.now();
  process.stdout.write(`[provision-test-tools] ${label} ...\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = result.status === 0;
  process.stdout.write(`[provision-test-tools] ${label}: ${ok ? "ready" : "FAILED"} (${seconds} s)\n`);
  if (!ok && status === 0) status = result.status ?? 1;
}
process.exit(status);
