// Which tier a test file belongs to, by what it needs (jest.config.js builds the tiers from this; tests/tooling/
// tiers.test.ts checks every file against it). Node built-ins only.
//
// - unit: needs neither Go nor the Pulumi engine (it may start the emulator, an HTTP server or the emulator's CLI).
// - e2e: starts `pulumi` (the Automation API, tests/e2e/support): in tests/e2e, or named *.e2e.test.ts elsewhere.
// - reliability: tests/reliability files that start `pulumi`; those that need no engine are unit tests.
// - scale: the tests whose size is a parameter, at full size (`npm run test:scale`); `npm test` runs them reduced.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");

/** Folders whose test files (other than *.e2e.test.ts) are unit tests. */
const UNIT_FOLDERS = [
  "tests/client",
  "tests/provider",
  "tests/emulator",
  "tests/gitops",
  "tests/doctor",
  "tests/tooling",
  // The tooling that renders docs/reliability.md and checks it for staleness.
  "tests/reliability/report",
];

/** tests/reliability files that need no engine: the provider or the emulator alone, over real HTTP. */
const RELIABILITY_WITHOUT_ENGINE = [
  "tests/reliability/fault-matrix.test.ts",
  "tests/reliability/emulator-fuzz.test.ts",
  "tests/reliability/bad-input.test.ts",
];

/** Tests with a size parameter (tests/helpers/scale.ts): reduced in their own tier, full size in `scale`. */
const SCALE_TESTS = ["tests/gitops/onboarding.e2e.test.ts", "tests/reliability/shared-tenant.test.ts"];

/** The unit tier's test files, relative to the repository root. */
function unitTestFiles(root = ROOT) {
  const under = (folder) =>
    fs
      .readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".test.ts") && !name.endsWith(".e2e.test.ts"))
      .map((name) => path.join(folder, name));
  return [...UNIT_FOLDERS.flatMap(under), ...RELIABILITY_WITHOUT_ENGINE].sort();
}

/** A regular expression matching exactly the path `file` (relative to the root) at the end of a test path. */
const pathPattern = (file) => `/${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;

module.exports = { UNIT_FOLDERS, RELIABILITY_WITHOUT_ENGINE, SCALE_TESTS, unitTestFiles, pathPattern };
