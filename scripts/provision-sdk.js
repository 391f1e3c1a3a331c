#!/usr/bin/env node
// Installs another `@pulumi/pulumi` for the SDK matrix (docs/compatibility.md), as a user's TypeScript program has
// it: `npm install --prefix .tools/sdk/<version>` (git-ignored) of that SDK with this package's runtime dependencies
// and the TypeScript toolchain of a `pulumi new typescript` project, resolved by npm from the registry. Installed
// once, then reused while the requested set of packages is the same; an interrupted install leaves nothing behind.
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

const ROOT = path.resolve(__dirname, "..");
const SDK_ROOT = path.join(ROOT, ".tools", "sdk");
/** Written last, holding the manifest installed: a directory without it is an unfinished install. */
const DONE = ".installed";

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

function sdkDirectory(version) {
  return path.join(SDK_ROOT, version);
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
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
      `Installing @pulumi/pulumi into ${path.relative(ROOT, prefix)} failed (npm install: ${why}; npm's ` +
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
    throw new Error(
      `${path.relative(ROOT, pulumiDir)} holds @pulumi/pulumi ${installed.version}, not ${version}`,
    );
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
 * Installs `version` when it is not installed yet (or was installed from another set of packages), and returns
 * `{ version, modules, nodeRange, nodeSatisfied }`.
 */
function provisionSdk(version) {
  if (!EXACT_VERSION.test(version)) throw new Error(`not an exact @pulumi/pulumi version: ${version}`);
  const directory = sdkDirectory(version);
  const wanted = `${JSON.stringify(manifestFor(version), null, 2)}\n`;
  if (readIfExists(path.join(directory, DONE)) !== wanted) {
    // Install beside the final place, then rename: a concurrent or interrupted run never sees half an install.
    fs.mkdirSync(SDK_ROOT, { recursive: true });
    const staging = fs.mkdtempSync(path.join(SDK_ROOT, `.${version}-`));
    try {
      fs.writeFileSync(path.join(staging, "package.json"), wanted);
      process.stderr.write(
        `[provision-sdk] installing @pulumi/pulumi ${version} into ${path.relative(ROOT, directory)} ...\n`,
      );
      npmInstall(staging);
      fs.writeFileSync(path.join(staging, DONE), wanted);
      fs.rmSync(directory, { recursive: true, force: true });
      fs.renameSync(staging, directory);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const found = describeInstall(version, path.join(directory, "node_modules"));
  if (!found.nodeSatisfied)
    process.stderr.write(
      `[provision-sdk] warning: @pulumi/pulumi ${version} declares Node.js ${found.nodeRange}; running on ` +
        `Node.js ${process.versions.node} anyway.\n`,
    );
  return found;
}

function main() {
  const versions = process.argv.slice(2);
  for (const version of versions.length > 0 ? versions : matrixVersions().versions) {
    const found = provisionSdk(version);
    process.stdout.write(`${found.version} ${found.modules} node ${found.nodeRange}\n`);
  }
}

module.exports = { provisionSdk, sdkDirectory, manifestFor };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`[provision-sdk] error: ${error.message}\n`);
    process.exit(1);
  }
}
