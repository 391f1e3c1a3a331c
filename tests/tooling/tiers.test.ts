/**
 * Tests go to the tier their needs put them in (tests/setup/tiers.js, read by jest.config.js): a file that never
 * starts the engine runs in the unit tier wherever it lives, so `npm run test:unit` runs it without waiting for a
 * Pulumi CLI; a file of the reliability tier must need the engine. The engine is reached through
 * tests/e2e/support/pulumi-cli.ts (the Automation API's command), directly or through the other test helpers.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const tiers = createRequire(__filename)("../setup/tiers.js") as {
  RELIABILITY_WITHOUT_ENGINE: string[];
  SCALE_TESTS: string[];
  unitTestFiles(): string[];
};
const ENGINE = path.join(ROOT, "tests/e2e/support/pulumi-cli.ts");

/** This repository's modules a TypeScript file imports (statically, or with import()/require()). */
function localImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm),
    ...text.matchAll(/\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1]);
  return specifiers
    .filter((specifier) => specifier.startsWith("."))
    .flatMap((specifier) => {
      const base = path.resolve(path.dirname(file), specifier);
      const found = [`${base}.ts`, path.join(base, "index.ts"), base].find(
        (candidate) => candidate.endsWith(".ts") && fs.existsSync(candidate),
      );
      return found ? [found] : [];
    });
}

/** Whether loading `file` loads the module that starts the engine. */
function reachesEngine(file: string, seen = new Set<string>()): boolean {
  if (file === ENGINE) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  return localImports(file).some((imported) => reachesEngine(imported, seen));
}

const relative = (file: string) => path.relative(ROOT, file);

it("no unit-tier file reaches the engine", () => {
  const files = tiers.unitTestFiles();
  expect(files.length).toBeGreaterThan(50);
  expect(files.filter((file) => reachesEngine(path.join(ROOT, file)))).toEqual([]);
});

it("every reliability-tier file needs the engine; those that do not are unit tests", () => {
  const reliability = fs
    .readdirSync(path.join(ROOT, "tests/reliability"))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => path.join("tests/reliability", name));
  const withoutEngine = reliability.filter((file) => !reachesEngine(path.join(ROOT, file)));
  expect(withoutEngine.sort()).toEqual([...tiers.RELIABILITY_WITHOUT_ENGINE].sort());
  expect(tiers.unitTestFiles()).toEqual(expect.arrayContaining(tiers.RELIABILITY_WITHOUT_ENGINE));
});

it("the scale tier's files exist and take their size from tests/helpers/scale.ts", () => {
  for (const file of tiers.SCALE_TESTS) {
    expect(localImports(path.join(ROOT, file)).map(relative)).toContain("tests/helpers/scale.ts");
  }
});

it("finds the engine behind an import chain (the premise of the checks above)", () => {
  // shared-tenant -> tests/e2e/support/stack.ts -> pulumi-cli.ts; the fault matrix calls the provider directly.
  expect(reachesEngine(path.join(ROOT, "tests/reliability/shared-tenant.test.ts"))).toBe(true);
  expect(reachesEngine(path.join(ROOT, "tests/reliability/fault-matrix.test.ts"))).toBe(false);
});
