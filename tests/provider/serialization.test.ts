/**
 * What Pulumi state stores for the provider: the `__provider` input a real ImmutaS3DataSource registers, captured
 * through Pulumi's mock monitor, and what the engine's dynamic-provider host does with it.
 */
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { anyInstanceOf } from "../helpers/matchers";

const SECRET_KEY = "sk-serialization-test-4f9d2c";
const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  process.env.IMMUTA_API_KEY = SECRET_KEY;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: "42", state: args.inputs as Record<string, unknown> };
      },
      call: () => ({}),
    },
    "serialization-test",
    "dev",
    false,
  );
});

afterAll(async () => {
  delete process.env.IMMUTA_API_KEY;
  const { discardedSerializationsSettled } = await import("../../sdk/typescript/provider-reference");
  await discardedSerializationsSettled();
});

async function register() {
  // Loaded after setMocks, as a user's program loads it after the runtime is set up.
  const sdk = await import("../../sdk/typescript");
  const resource = new sdk.ImmutaS3DataSource("research", {
    integrationId: 1,
    prefix: "s3://acme-research/raw",
    dataSourceName: "research",
  });
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  return { sdk, resource };
}

describe("constructing a resource", () => {
  it("restores Error.stackTraceLimit, also when a transformation throws", async () => {
    const sdk = await import("../../sdk/typescript");
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 17;
    try {
      new sdk.ImmutaS3DataSource("limit", {
        integrationId: 1,
        prefix: "s3://acme-limit/raw",
        dataSourceName: "l",
      });
      expect(Error.stackTraceLimit).toBe(17);
      const failing = () => {
        throw new Error("transformation refused it");
      };
      expect(
        () =>
          new sdk.ImmutaS3DataSource(
            "refused",
            { integrationId: 1, prefix: "s3://acme-limit/raw", dataSourceName: "r" },
            { transformations: [failing] },
          ),
      ).toThrow("transformation refused it");
      expect(Error.stackTraceLimit).toBe(17);
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});

describe("the provider reference in state", () => {
  it("is a small delegating reference with no credential and no machine path", async () => {
    const { sdk, resource } = await register();
    expect(resource).toBeInstanceOf(pulumi.dynamic.Resource);
    const args = registered.find((r) => r.name === "research")!;
    expect(args.type).toBe("pulumi-nodejs:dynamic/immuta:S3DataSource");
    const reference = (args.inputs as Record<string, unknown>).__provider as string;
    expect(reference).toBe(sdk.PROVIDER_REFERENCE);
    expect(Buffer.byteLength(reference)).toBeLessThanOrEqual(1024);
    expect(reference).not.toContain(SECRET_KEY);
    for (const machinePath of [process.cwd(), os.homedir(), os.tmpdir(), path.resolve(__dirname, "../..")]) {
      expect(reference).not.toContain(machinePath);
    }
    expect(reference).toContain('require("pulumi-immuta/provider")');
  });

  it("registers the declaration and the output properties, nothing else", async () => {
    await register();
    const args = registered.find((r) => r.name === "research")!;
    expect(args.inputs).toEqual({
      __provider: anyInstanceOf(String),
      integrationId: 1,
      prefix: "s3://acme-research/raw",
      dataSourceName: "research",
    });
  });

  it("loads the installed provider by package name, as the engine's dynamic-provider host does", async () => {
    // The host evaluates the reference with require-from-string (a dependency of @pulumi/pulumi), resolving modules
    // from its working directory: the program's.
    const programRequire = createRequire(path.resolve(__dirname, "../../package.json"));
    const requireFromString = programRequire("require-from-string") as (code: string) => {
      handler(): unknown;
    };
    const { PROVIDER_REFERENCE } = await import("../../sdk/typescript");
    const cwd = process.cwd();
    try {
      process.chdir(path.resolve(__dirname, "../.."));
      const loaded = requireFromString(PROVIDER_REFERENCE).handler() as Record<string, unknown>;
      for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        expect(typeof loaded[method]).toBe("function");
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
