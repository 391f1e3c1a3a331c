// The test tiers, as jest projects. Run one with `npx jest --selectProjects <name>` (or its npm script); `npm test`
// runs unit, e2e, reliability and go. CONTRIBUTING.md says what each tier needs and how long it takes.
const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.tools/"],
  testPathIgnorePatterns: ["/node_modules/", "/\\.work/"],
};

/** Tiers that drive the real Pulumi engine: dist/ built and the CLI provisioned once, before the workers start. */
const withEngine = { ...shared, globalSetup: "<rootDir>/tests/setup/pulumi-cli.js" };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    {
      // Everything that needs neither Go nor the Pulumi engine: the inner loop (`npm run test:unit`).
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/tests/{client,provider,emulator,gitops}/**/*.test.ts"],
      // Tests elsewhere that drive the engine are named *.e2e.test.ts and belong to the e2e tier.
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, "\\.e2e\\.test\\.ts$"],
      globalSetup: "<rootDir>/tests/setup/build.js",
    },
    {
      ...withEngine,
      displayName: "e2e",
      testMatch: ["<rootDir>/tests/e2e/**/*.test.ts", "<rootDir>/tests/**/*.e2e.test.ts"],
    },
    { ...withEngine, displayName: "reliability", testMatch: ["<rootDir>/tests/reliability/**/*.test.ts"] },
    { ...shared, displayName: "go", testMatch: ["<rootDir>/tests/go/**/*.test.ts"] },
    // Opt-in (`npm run test:soak`): not selected by `npm test`.
    { ...withEngine, displayName: "soak", testMatch: ["<rootDir>/tests/soak/**/*.test.ts"] },
  ],
};
