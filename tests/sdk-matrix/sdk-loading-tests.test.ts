/**
 * The SDK tiers run the unit-tier files that load `@pulumi/pulumi` at run time (SDK_LOADING_TESTS in
 * tests/sdk-matrix/jest-projects.js; `npm test` only the SDK_RUNTIME_TESTS among them, at the floor). A new unit test
 * that loads it, directly or through `sdk/` or `gitops/`, must join that list, or the matrix would silently skip it;
 * a file that stopped loading it must leave.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const { SDK_LOADING_TESTS, SDK_RUNTIME_TESTS } = createRequire(__filename)("./jest-projects.js") as {
  SDK_LOADING_TESTS: string[];
  SDK_RUNTIME_TESTS: string[];
};
const relative = (entries: string[]) => entries.map((entry) => entry.replace("<rootDir>/", "")).sort();

/** The unit tier's test files (tests/setup/tiers.js, as jest.config.js builds the tier): relative to the root. */
const { unitTestFiles } = createRequire(__filename)("../setup/tiers.js") as { unitTestFiles: () => string[] };

/**
 * What a TypeScript file imports at run time: static imports and re-exports other than `import type`/`export type`
 * and, for a test file, also its dynamic `import()` and `require()` calls (its tests run them). A source's dynamic
 * imports are lazy: provider/engine-log.ts loads the SDK's gRPC modules only in the engine's dynamic-provider host,
 * which the engine scenario covers. Imports used only as types but not marked so are counted: an overestimate that
 * at worst runs a file once too often.
 */
function runtimeSpecifiers(file: string, isTest: boolean): string[] {
  const text = fs.readFileSync(file, "utf8");
  const statements = /^\s*(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm;
  const calls = /\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(statements), ...(isTest ? text.matchAll(calls) : [])].map((match) => match[1]);
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, path.join(base, "index.ts")].find(
    (candidate) => candidate.endsWith(".ts") && fs.existsSync(candidate),
  );
}

/** Whether the test file `file` (loaded, its tests run) loads `@pulumi/pulumi`, following this repository's modules. */
function loadsSdk(file: string, isTest = true, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  return runtimeSpecifiers(file, isTest).some((specifier) => {
    if (specifier === "@pulumi/pulumi" || specifier.startsWith("@pulumi/pulumi/")) return true;
    if (!specifier.startsWith(".")) return false;
    const target = resolveRelative(file, specifier);
    return target !== undefined && loadsSdk(target, false, seen);
  });
}

it("SDK_LOADING_TESTS lists exactly the unit-tier files that load @pulumi/pulumi", () => {
  const loading = unitTestFiles()
    .filter((file) => loadsSdk(path.join(ROOT, file)))
    .sort();
  expect(relative(SDK_LOADING_TESTS)).toEqual(loading);
});

it("SDK_RUNTIME_TESTS, which npm test runs at the floor, lists exactly those that use Pulumi's mock monitor", () => {
  const usingMocks = relative(SDK_LOADING_TESTS).filter((file) =>
    fs.readFileSync(path.join(ROOT, file), "utf8").includes("pulumi.runtime.setMocks("),
  );
  expect(usingMocks.length).toBeGreaterThan(0);
  expect(relative(SDK_RUNTIME_TESTS)).toEqual(usingMocks);
});

it("finds the SDK behind an import chain, and not behind type-only or lazy imports", () => {
  // The premise of the check above, on files whose imports are known: serialization imports the SDK directly;
  // cli.test reaches it through gitops/cli -> commands -> workspace; lifecycle imports only its types (and
  // provider/engine-log.ts, which loads the SDK's gRPC modules lazily).
  expect(loadsSdk(path.join(ROOT, "tests/provider/serialization.test.ts"))).toBe(true);
  expect(loadsSdk(path.join(ROOT, "tests/gitops/cli.test.ts"))).toBe(true);
  expect(loadsSdk(path.join(ROOT, "tests/provider/lifecycle.test.ts"))).toBe(false);
});
