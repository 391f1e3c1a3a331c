// The SDK tiers as jest projects: `sdk` (in `npm test`) and `sdk-matrix` (`npm run test:sdk-matrix`), one project per
// `@pulumi/pulumi` version of scripts/sdk-matrix.js. jest.config.js adds them when TEST_TIERS names them; they are
// not run otherwise, since they run files of the unit tier again and install packages from the npm registry.
"use strict";
const path = require("node:path");
const { PINNED, everyRunVersions, matrixVersions } = require("../../scripts/sdk-matrix");
const { sdkModules } = require("../../scripts/provision-sdk");

/**
 * The unit-tier files that load `@pulumi/pulumi` at run time, directly or through `sdk/` and `gitops/`
 * (tests/sdk-matrix/sdk-loading-tests.test.ts checks the list). The others (the provider's lifecycle and state tests
 * among them) import only its types, so another SDK version cannot change their outcome; the engine scenario in
 * tests/sdk-matrix drives the provider through each version's dynamic-provider host instead.
 */
const SDK_LOADING_TESTS = [
  "<rootDir>/tests/doctor/doctor.test.ts",
  "<rootDir>/tests/provider/generated.test.ts",
  "<rootDir>/tests/provider/serialization.test.ts",
  "<rootDir>/tests/gitops/catalogue-declare.test.ts",
  "<rootDir>/tests/gitops/catalogue-load.test.ts",
  "<rootDir>/tests/gitops/catalogue-rules.test.ts",
  "<rootDir>/tests/gitops/cli.test.ts",
  "<rootDir>/tests/gitops/export.test.ts",
  "<rootDir>/tests/gitops/reports.test.ts",
];

/**
 * The SDK_LOADING_TESTS that `npm test` runs against the peer range's floor: those that register resources through
 * the SDK's runtime (Pulumi's mock monitor, `pulumi.runtime.setMocks`). The others load the SDK only as a module
 * `gitops/` or `sdk/typescript/catalogue` imports, and run in `npm run test:sdk-matrix`.
 */
const SDK_RUNTIME_TESTS = [
  "<rootDir>/tests/provider/serialization.test.ts",
  "<rootDir>/tests/gitops/catalogue-declare.test.ts",
];

/**
 * The versions each tier runs, and the unit files that run with them (besides tests/sdk-matrix).
 *
 * DECISION: `sdk` (in `npm test`) stays short: the floor runs SDK_RUNTIME_TESTS, and the pinned version
 * tests/sdk-matrix only, since the unit tier of the same run already runs every file against the pinned SDK (as
 * package-lock.json installs it). `sdk-matrix` runs all SDK_LOADING_TESTS for every version.
 */
const SDK_TIERS = {
  sdk: () =>
    everyRunVersions().map((version) => ({
      version,
      unitFiles: version === PINNED ? [] : SDK_RUNTIME_TESTS,
    })),
  "sdk-matrix": () => {
    const { versions, leftOut } = matrixVersions();
    for (const reason of leftOut) process.stderr.write(`sdk-matrix: not run: ${reason}\n`);
    return versions.map((version) => ({ version, unitFiles: SDK_LOADING_TESTS }));
  },
};

/**
 * One project per version, installed into the per-user cache by the global setup (scripts/provision-sdk.js). Every
 * `@pulumi/pulumi` import of the tests and of the sources they load resolves to that copy (`moduleNameMapper`), and
 * tests/sdk-matrix runs a real-engine scenario whose program's node_modules holds it.
 */
function sdkProject(shared, { version, unitFiles }, run) {
  const modules = sdkModules(version);
  return {
    ...shared,
    displayName: `sdk ${version}`,
    testMatch: ["<rootDir>/tests/sdk-matrix/**/*.test.ts", ...unitFiles],
    moduleNameMapper: { "^@pulumi/pulumi(/.*)?$": path.join(modules, "@pulumi", "pulumi") + "$1" },
    globalSetup: "<rootDir>/tests/setup/sdk-matrix.js",
    // Jest runs a global setup module once per run, with one project's config: each names every version of the run.
    globals: { sdkMatrix: { version, modules, run } },
  };
}

/** The projects of the SDK tiers among `names`, one per version (with the unit files any of the tiers runs). */
function sdkProjects(names, shared) {
  const byVersion = new Map();
  for (const entry of names.filter((name) => name in SDK_TIERS).flatMap((name) => SDK_TIERS[name]())) {
    const unitFiles = new Set([...(byVersion.get(entry.version)?.unitFiles ?? []), ...entry.unitFiles]);
    byVersion.set(entry.version, { version: entry.version, unitFiles: [...unitFiles] });
  }
  const run = [...byVersion.keys()];
  return [...byVersion.values()].map((entry) => sdkProject(shared, entry, run));
}

module.exports = {
  SDK_TIER_NAMES: Object.keys(SDK_TIERS),
  SDK_LOADING_TESTS,
  SDK_RUNTIME_TESTS,
  sdkProjects,
};
