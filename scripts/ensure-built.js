#!/usr/bin/env node
// Builds dist/ (`npm run build`) when it is missing or older than the sources it is compiled from, so that the demo
// and the tests that load the package by name (`pulumi-immuta`, `pulumi-immuta/provider`) never run stale code.
// Used by scripts/demo.js and by the test tiers' global setup (tests/setup/); `npm test` always builds.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
/** What tsconfig.build.json compiles (its `include`). */
const SOURCE_DIRS = ["provider", "sdk", "emulator", "gitops", "doctor", "cli"];
/** Under SOURCE_DIRS but not compiled: the generated Node.js SDK of the native plugin (its own package). */
const NOT_COMPILED = [path.join("sdk", "generated")];
const BUILD_INPUTS = ["tsconfig.json", "tsconfig.build.json", "package-lock.json"];

function* filesUnder(directory) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/** Each source with the file tsc writes for it. */
function expectedOutputs() {
  const pairs = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of filesUnder(path.join(ROOT, dir))) {
      if (!file.endsWith(".ts") || file.endsWith(".d.ts") || file.endsWith(".test.ts")) continue;
      if (NOT_COMPILED.some((skipped) => path.relative(ROOT, file).startsWith(skipped + path.sep))) continue;
      const relative = path.relative(ROOT, file).replace(/\.ts$/, ".js");
      pairs.push([file, path.join(ROOT, "dist", relative)]);
    }
  }
  return pairs;
}

const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** Why dist/ must be rebuilt, or undefined when every output exists and is newer than its source. */
function staleReason() {
  const inputsChanged = Math.max(...BUILD_INPUTS.map((file) => mtime(path.join(ROOT, file)) ?? 0));
  for (const [source, output] of expectedOutputs()) {
    const built = mtime(output);
    if (built === undefined) return `${path.relative(ROOT, output)} is missing`;
    if (built < mtime(source)) return `${path.relative(ROOT, source)} changed since the last build`;
    if (built < inputsChanged) return "the TypeScript configuration or the installed packages changed";
  }
  return undefined;
}

/** Builds when needed; progress goes to stderr so that callers' stdout stays theirs. */
function ensureBuilt() {
  const reason = staleReason();
  if (!reason) return false;
  process.stderr.write(`Building dist/ (npm run build): ${reason}\n`);
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
  });
  return true;
}

module.exports = { ensureBuilt, staleReason };

if (require.main === module) ensureBuilt();
