#!/usr/bin/env node
// Installs another `@pulumi/pulumi` for the SDK matrix (docs/compatibility.md), as a user's TypeScript program has
// it: `npm install` of that SDK with this package's runtime dependencies and the TypeScript toolchain of a `pulumi new
// typescript` project, resolved by npm from the registry, into the per-user cache (scripts/lib/tool-cache.js:
// <cache>/pulumi-sdk/<version>-<hash of the package list>). Installed once per machine, then reused by every clone
// while the set of packages is the same; an interrupted install leaves nothing behind.
//
//   node scripts/provision-sdk.js                 the versions of `npm run test:sdk-matrix` (scripts/sdk-matrix.js)
//   node scripts/provision-sdk.js 3.230.0 ...     these versions
//
// Prints one line per version on stdout: `<version> <node_modules directory> node <engines.node>`; progress and
// npm's output go to stderr. Node built-ins only (plus the installed SDK's own `semver`).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { EXACT_VERSION, declaredNodeMajor, matrixVersions } = require("./sdk-matrix");
const { cacheRoot, entryDirectory, hashInputs, provisionEntry } = require("./lib/tool-cache");

const ROOT = path.resolve(__dirname, "..");
const KIND = "pulumi-sdk";

/** The package.json of the install: the SDK under test, what `pulumi-immuta` needs at run time, TypeScript. */
function manifestFor(version) {
  const own = require(path.join(ROOT, "package.json"));
  return {
    name: `pulumi-immuta-sdk-${version}`,
    private: true,
    description: `@pulumi/pulumi ${version} with pulumi-immuta's dependencies, for the SDK matrix`,
    dependencies: {
      "@pulumi/pulumi": version,
      ...own.dependencies,
      typescript: own.devDependencies.typescript,
      "@types/node": own.devDependencies["@types/node"],
    },
  };
}

/** The cache entry of `version`: the same for every clone whose package list is the same. */
function sdkDirectory(version) {
  const manifest = `${JSON.stringify(manifestFor(version), null, 2)}\n`;
  return entryDirectory(cacheRoot(), KIND, version, hashInputs([manifest]));
}

/** The node_modules folder the install of `version` has (or will have, once provisioned). */
function sdkModules(version) {
  return path.join(sdkDirectory(version), "node_modules");
}

/** `npm install` with the npm that runs this script when there is one; its output goes to stderr. */
function npmInstall(prefix) {
  const npmCli = process.env.npm_execpath;
  const args = ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error"];
  const [command, argv] =
    npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ["npm", args];
  const result = spawnSync(command, argv, { cwd: prefix, stdio: ["ignore", 2, 2] });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status}`;
    throw new Error(
      `Installing @pulumi/pulumi into ${prefix} failed (npm install: ${why}; npm's ` +
        "messages are above). Check that the npm registry is reachable and that the version exists " +
        "(npm view @pulumi/pulumi versions), then run the command again.",
    );
  }
}

/** What the installed SDK declares, and whether this Node.js satisfies it. */
function describeInstall(version, modules) {
  const pulumiDir = path.join(modules, "@pulumi", "pulumi");
  const installed = JSON.parse(fs.readFileSync(path.join(pulumiDir, "package.json"), "utf8"));
  if (installed.version !== version)
    throw new Error(`${pulumiDir} holds @pulumi/pulumi ${installed.version}, not ${version}`);
  const nodeRange = installed.engines?.node ?? "*";
  const semver = require(require.resolve("semver", { paths: [pulumiDir] }));
  const nodeSatisfied = semver.satisfies(process.versions.node, nodeRange);
  const listed = declaredNodeMajor(version);
  const lowestMajorAccepted = (major) =>
    semver.satisfies(`${major}.999.999`, nodeRange) && !semver.satisfies(`${major - 1}.999.999`, nodeRange);
  if (listed !== undefined && !lowestMajorAccepted(listed))
    throw new Error(
      `@pulumi/pulumi ${version} declares Node.js ${nodeRange}, but scripts/sdk-matrix.js lists it for Node.js ` +
        `${listed}: correct the list.`,
    );
  return { version, modules, nodeRange, nodeSatisfied };
}

/**
 * Installs `version` when the cache has no intact install of it (for this set of packages), and returns
 * `{ version, modules, nodeRange, nodeSatisfied }`.
 */
async function provisionSdk(version) {
  if (!EXACT_VERSION.test(version)) throw new Error(`not an exact @pulumi/pulumi version: ${version}`);
  const manifest = `${JSON.stringify(manifestFor(version), null, 2)}\n`;
  const { dir } = await provisionEntry({
    kind: KIND,
    version,
    inputsHash: hashInputs([manifest]),
    // Thousands of files: their sizes are checked on every use, their content only when installed.
    verify: "size",
    log: (message) => process.stderr.write(`[provision-sdk] ${message}\n`),
    build: (staging) => {
      fs.writeFileSync(path.join(staging, "package.json"), manifest);
      process.stderr.write(
        `[provision-sdk] installing @pulumi/pulumi ${version} into ${sdkDirectory(version)} ...\n`,
      );
      npmInstall(staging);
      return Promise.resolve();
    },
  });
  const found = describeInstall(version, path.join(dir, "node_modules"));
  if (!found.nodeSatisfied)
    process.stderr.write(
      `[provision-sdk] warning: @pulumi/pulumi ${version} declares Node.js ${found.nodeRange}; running on ` +
        `Node.js ${process.versions.node} anyway.\n`,
    );
  return found;
}

async function main() {
  const versions = process.argv.slice(2);
  for (const version of versions.length > 0 ? versions : matrixVersions().versions) {
    const found = await provisionSdk(version);
    process.stdout.write(`${found.version} ${found.modules} node ${found.nodeRange}\n`);
  }
}

module.exports = { provisionSdk, sdkDirectory, sdkModules, manifestFor };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`[provision-sdk] error: ${error.message}\n`);
    process.exit(1);
  });
}
