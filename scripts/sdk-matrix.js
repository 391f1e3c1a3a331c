// The `@pulumi/pulumi` versions the SDK tiers run the SDK-dependent tests against (docs/compatibility.md records
// what passed). `npm test` runs the `sdk` tier: the floor of the peer range and the pinned version. `npm run
// test:sdk-matrix` runs every version below that this Node.js can run; SDK_VERSIONS=3.230.0,3.240.0 runs those
// instead, whatever Node.js they declare. Node built-ins only: jest.config.js loads it.
"use strict";
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const manifest = require(path.join(ROOT, "package.json"));

const PINNED = manifest.devDependencies["@pulumi/pulumi"];

/**
 * Each version, why it is in the matrix, and the lowest Node.js major its `engines.node` accepts (`>=20`, `>=22`);
 * scripts/provision-sdk.js checks that against the installed package.
 */
const VERSIONS = [
  // The floor of peerDependencies (`>=3.216.0`): the newest 3.216.x release.
  { version: "3.216.0", role: "lowest", nodeMajor: 20 },
  // The devDependency and the CLI's version; also the newest release that declares Node.js >= 20 (3.249.0 and later
  // declare >= 22).
  { version: PINNED, role: "pinned", nodeMajor: 20 },
  // The newest release when this list was last updated. It runs only where Node.js satisfies it.
  { version: "3.276.0", role: "newest", nodeMajor: 22 },
];

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The versions of the `sdk` tier (`npm test`): the peer range's floor and the pinned version. */
function everyRunVersions() {
  return VERSIONS.filter((entry) => entry.role === "lowest" || entry.role === "pinned").map((e) => e.version);
}

/**
 * The versions of the `sdk-matrix` tier: SDK_VERSIONS when set, else every listed version this Node.js satisfies.
 * Returns the versions and, for each one left out, why.
 */
function matrixVersions(env = process.env, nodeVersion = process.versions.node) {
  const requested = (env.SDK_VERSIONS ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (requested.length > 0) {
    const bad = requested.filter((version) => !EXACT_VERSION.test(version));
    if (bad.length > 0)
      throw new Error(`SDK_VERSIONS must list exact versions (e.g. 3.230.0), got: ${bad.join(", ")}`);
    return { versions: [...new Set(requested)], leftOut: [] };
  }
  const nodeMajor = Number(nodeVersion.split(".")[0]);
  const runnable = VERSIONS.filter((entry) => entry.nodeMajor <= nodeMajor);
  const leftOut = VERSIONS.filter((entry) => entry.nodeMajor > nodeMajor).map(
    (entry) =>
      `@pulumi/pulumi ${entry.version} (${entry.role}) declares Node.js >= ${entry.nodeMajor}; this is ` +
      `Node.js ${nodeVersion}. Run it anyway with SDK_VERSIONS=${entry.version} npm run test:sdk-matrix.`,
  );
  return { versions: [...new Set(runnable.map((entry) => entry.version))], leftOut };
}

/** The listed Node.js major a version declares, or undefined for a version not in the list. */
function declaredNodeMajor(version) {
  return VERSIONS.find((entry) => entry.version === version)?.nodeMajor;
}

module.exports = { VERSIONS, PINNED, EXACT_VERSION, everyRunVersions, matrixVersions, declaredNodeMajor };
