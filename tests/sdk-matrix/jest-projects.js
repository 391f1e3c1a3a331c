// The SDK tiers as jest projects: `sdk` (in `npm test`) and `sdk-matrix` (`npm run test:sdk-matrix`), one project per
// `@pulumi/pulumi` version of scripts/sdk-matrix.js. jest.config.js adds them when TEST_TIERS names them; they are
// not run otherwise, since they run files of the unit tier again and install packages from the npm registry.
"use strict";
const path = require("node:path");
const { PINNED, everyRunVersions, matrixVersions } = require("../../scripts/sdk-matrix");

const ROOT = path.resolve(__dirname, "../..");

/**
 * The unit-tier files that load `@pulumi/pulumi` at run time: those that fail to load when `@pulumi/pulumi` is
 * mapped to a missing path. The others (the provider's lifecycle and state tests among them) import only its types,
 * so another SDK version cannot change their outcome; the engine scenario in tests/sdk-matrix drives the provider
 * through each version's dynamic-provider host instead.
 */
const SDK_LOADING_TESTS = [
  "<rootDir>/tests/provider/serialization.test.ts",
  "<rootDir>/tests/gitops/catalogue-declare.test.ts",
  "<rootDir>/tests/gitops/catalogue-load.test.ts",
  "<rootDir>/tests/gitops/catalogue-rules.test.ts",
  "<rootDir>/tests/gitops/cli.test.ts",
  "<rootDir>/tests/gitops/reports.test.ts",
];

/**
 * The versions each tier runs, and whether the unit files run with them.
 *
 * DECISION: in `sdk`, the pinned version runs tests/sdk-matrix only: the unit tier of the same `npm test` already runs
 * SDK_LOADING_TESTS against the pinned SDK (as package-lock.json installs it). `sdk-matrix` runs every file for every
 * version.
 */
const SDK_TIERS = {
  sdk: () => everyRunVersions().map((version) => ({ version, unitFiles: version !== PINNED })),
  "sdk-matrix": () => {
    const { versions, leftOut } = matrixVersions();
    for (const reason of leftOut) process.stderr.write(`sdk-matrix: not run: ${reason}\n`);
    return versions.map((version) => ({ version, unitFiles: true }));
  },
};

/**
 * One project per version, installed into .tools/sdk/<version> by the global setup. Every `@pulumi/pulumi` import of
 * the tests and of the sources they load resolves to that copy (`moduleNameMapper`), and tests/sdk-matrix runs a
 * real-engine scenario whose program's node_modules holds it.
 */
function sdkProject(shared, { version, unitFiles }, run) {
  const modules = path.join(ROOT, ".tools", "sdk", version, "node_modules");
  return {
    ...shared,
    displayName: `sdk ${version}`,
    testMatch: ["<rootDir>/tests/sdk-matrix/**/*.test.ts", ...(unitFiles ? SDK_LOADING_TESTS : [])],
    // The installed copies live under .tools/sdk, which the other tiers keep out of sight.
    modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/\\.tools/(?!sdk/)"],
    moduleNameMapper: { "^@pulumi/pulumi(/.*)?$": path.join(modules, "@pulumi", "pulumi") + "$1" },
    globalSetup: "<rootDir>/tests/setup/sdk-matrix.js",
    // Jest runs a global setup module once per run, with one project's config: each names every version of the run.
    globals: { sdkMatrix: { version, modules, run } },
  };
}

/** The projects of the SDK tiers among `names`, one per version (with the unit files when any tier runs them). */
function sdkProjects(names, shared) {
  const byVersion = new Map();
  for (const entry of names.filter((name) => name in SDK_TIERS).flatMap((name) => SDK_TIERS[name]())) {
    byVersion.set(entry.version, {
      ...entry,
      unitFiles: entry.unitFiles || byVersion.get(entry.version)?.unitFiles,
    });
  }
  const run = [...byVersion.keys()];
  return [...byVersion.values()].map((entry) => sdkProject(shared, entry, run));
}

module.exports = { SDK_TIER_NAMES: Object.keys(SDK_TIERS), sdkProjects };
