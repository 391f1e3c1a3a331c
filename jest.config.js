// The test tiers, as jest projects. The npm scripts choose tiers with TEST_TIERS (e.g. `TEST_TIERS=unit jest`), so
// that test paths given after `--` stay test paths (`--selectProjects` would take them for project names); `npm test`
// (scripts/test.js) runs unit, then e2e, reliability, go and sdk. Which file goes where is decided in
// tests/setup/tiers.js; CONTRIBUTING.md says what each tier needs and how long it takes.
const os = require("node:os");
const { SDK_TIER_NAMES, sdkProjects } = require("./tests/sdk-matrix/jest-projects");
const { RELIABILITY_WITHOUT_ENGINE, SCALE_TESTS, UNIT_FOLDERS, pathPattern } = require("./tests/setup/tiers");

const inRoot = (file) => `<rootDir>/${file}`;

const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.tools/"],
  testPathIgnorePatterns: ["/node_modules/", "/\\.work/"],
};

/** Tiers that drive the real Pulumi engine: dist/ built and the CLI provisioned once, before the workers start. */
const withEngine = { ...shared, globalSetup: "<rootDir>/tests/setup/pulumi-cli.js" };

/** @type {import('jest').Config['projects']} */
const tiers = [
  {
    // Everything that needs neither Go nor the Pulumi engine, wherever it lives: the inner loop (`npm run test:unit`).
    ...shared,
    displayName: "unit",
    testMatch: [
      ...UNIT_FOLDERS.map((folder) => inRoot(`${folder}/**/*.test.ts`)),
      ...RELIABILITY_WITHOUT_ENGINE.map(inRoot),
    ],
    // Tests elsewhere that drive the engine are named *.e2e.test.ts and belong to the e2e tier.
    testPathIgnorePatterns: [...shared.testPathIgnorePatterns, "\\.e2e\\.test\\.ts$"],
    globalSetup: "<rootDir>/tests/setup/build.js",
  },
  {
    ...withEngine,
    displayName: "e2e",
    testMatch: ["<rootDir>/tests/e2e/**/*.test.ts", "<rootDir>/tests/**/*.e2e.test.ts"],
  },
  {
    ...withEngine,
    displayName: "reliability",
    testMatch: ["<rootDir>/tests/reliability/**/*.test.ts"],
    testPathIgnorePatterns: [
      ...shared.testPathIgnorePatterns,
      "/tests/reliability/report/",
      ...RELIABILITY_WITHOUT_ENGINE.map(pathPattern),
    ],
  },
  // Opt-in (`npm run test:scale`): the size-parameterised tests at full size; their own tiers run them reduced.
  { ...withEngine, displayName: "scale", testMatch: SCALE_TESTS.map(inRoot), globals: { testScale: "full" } },
  { ...shared, displayName: "go", testMatch: ["<rootDir>/tests/go/**/*.test.ts"] },
  // Opt-in (`npm run test:soak`): not selected by `npm test`.
  { ...withEngine, displayName: "soak", testMatch: ["<rootDir>/tests/soak/**/*.test.ts"] },
  // Against a real tenant, only through `npm run test:live` (tests/live/run.js, which sweeps before and after).
  {
    ...withEngine,
    displayName: "live",
    testMatch: ["<rootDir>/tests/live/*.test.ts"],
    testPathIgnorePatterns: [...shared.testPathIgnorePatterns, "\\.e2e\\.test\\.ts$"],
  },
];

/**
 * The tiers TEST_TIERS names (comma-separated), or every tier but the SDK tiers (tests/sdk-matrix/jest-projects.js).
 */
function selectedTiers() {
  const names = (process.env.TEST_TIERS ?? "").split(",").filter(Boolean);
  if (names.length === 0) return tiers;
  const known = [...tiers.map((tier) => tier.displayName), ...SDK_TIER_NAMES];
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`TEST_TIERS names unknown tiers: ${unknown.join(", ")} (known: ${known.join(", ")})`);
  return [...tiers.filter((tier) => names.includes(tier.displayName)), ...sdkProjects(names, shared)];
}

/**
 * Workers: one per CPU (at least two) for the engine tiers, whose tests keep the CPUs busy with `pulumi`, Node.js
 * programs and providers; twice that for the unit tier alone, whose tests mostly wait (on servers, child processes
 * and timers), so that a waiting file does not hold a CPU's worth of the run.
 */
function workers(projects) {
  const cpus = Math.max(2, os.availableParallelism());
  return projects.every((project) => project.displayName === "unit") ? 2 * cpus : cpus;
}

const projects = selectedTiers();

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  maxWorkers: workers(projects),
  projects,
};
