/**
 * The SDK tiers' premise: the tests of this project, and the sources they load, run on the `@pulumi/pulumi` version
 * under test, one copy of it, and the versions cover the peer range.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { sdkUnderTest } from "./sdk-under-test";

const { version, modules } = sdkUnderTest();
const ROOT = path.resolve(__dirname, "../..");

function manifestAt(directory: string): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(directory, "package.json"), "utf8")) as { version: string };
}

it("tests load the version under test, from its install in the cache", () => {
  const entry = require.resolve("@pulumi/pulumi");
  expect(path.relative(modules, entry).startsWith("..")).toBe(false);
  const directory = path.join(modules, "@pulumi", "pulumi");
  expect(manifestAt(directory).version).toBe(version);
});

it("the SDK's resource class extends that same copy's pulumi.dynamic.Resource", async () => {
  const { ImmutaS3DataSource } = await import("../../sdk/typescript");
  expect(ImmutaS3DataSource.prototype).toBeInstanceOf(pulumi.dynamic.Resource);
});

it("the version under test is inside the peer range, and the sdk tier runs the range's floor", () => {
  const matrix = createRequire(__filename)("../../scripts/sdk-matrix.js") as { everyRunVersions(): string[] };
  const range = manifestAt(ROOT).peerDependencies?.["@pulumi/pulumi"] ?? "";
  const bounds = /^>=(\d+\.\d+\.\d+) <(\d+\.\d+\.\d+)$/.exec(range);
  expect(bounds).not.toBeNull();
  const [, floor, ceiling] = bounds!;
  expect(matrix.everyRunVersions()).toContain(floor);
  expect(compareVersions(version, floor)).toBeGreaterThanOrEqual(0);
  expect(compareVersions(version, ceiling)).toBeLessThan(0);
});

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
