/**
 * A user's Pulumi CLI is rarely the release this project pins for its SDK. Here a second release, the one the
 * wrapper module tools/pulumi-cli-newer pins (3.260.0), is built into the per-user cache by the project's own
 * provisioning (`scripts/provision-pulumi.sh --release`) and installed into a folder of its own, as a user's CLI
 * would be. Pulumi's official Node.js language host cannot be fetched from the Go module proxy, so this project's
 * host is paired with it. With that CLI first on PATH: the provisioning takes it as it is instead of building the
 * pin, a real `pulumi up` of a program on `@pulumi/pulumi` 3.248.0 registers its sources and the next preview
 * changes nothing, and `pulumi-immuta-gitops` and `pulumi-immuta doctor` run it from PATH.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { API_KEY, emulatorForFile } from "./support/emulator";
import { stackEnvironment } from "./support/gitops-cli";
import { provisionToolchain, REPO_ROOT, type PulumiToolchain } from "./support/pulumi-cli";
import { createTestStack, opsOf, stepRecorder, type TestStack } from "./support/stack";

// The first build of the release compiles it from its Go module: minutes on a cold machine, seconds once cached.
jest.setTimeout(1_200_000);

const { wrapperRelease, OTHER_RELEASE_WRAPPER } = createRequire(__filename)(
  "../../scripts/lib/wrappers.js",
) as {
  wrapperRelease: (dir: string) => string;
  OTHER_RELEASE_WRAPPER: string;
};
const RELEASE = wrapperRelease(OTHER_RELEASE_WRAPPER);
const PINNED_SDK = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  }
).devDependencies["@pulumi/pulumi"];
const EXECUTABLES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

const immuta = emulatorForFile();
let built: PulumiToolchain;
let installed: string;
let userPath: string;

beforeAll(() => {
  built = provisionToolchain(["--release", RELEASE]);
  // Installed as a user has it: its own folder (links where the file system allows, else copies), not the cache.
  installed = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-user-cli-"));
  fs.mkdirSync(path.join(installed, "bin"));
  for (const name of EXECUTABLES) {
    const [from, to] = [path.join(built.binDir, name), path.join(installed, "bin", name)];
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
      fs.chmodSync(to, 0o755);
    }
  }
  userPath = `${path.join(installed, "bin")}${path.delimiter}${process.env.PATH}`;
});

afterAll(() => {
  if (installed) fs.rmSync(installed, { recursive: true, force: true });
});

it("is built from its own Go module into the cache, and is another release than the SDK's", () => {
  expect(RELEASE).not.toBe(PINNED_SDK);
  expect(built.source).toBe("build");
  expect(built.cli.version).toBe(RELEASE);
  expect(built.languageHost.kind).toBe("pulumi-immuta-minimal");
  expect(path.relative(REPO_ROOT, built.binDir).startsWith("..")).toBe(true);
});

it("on PATH, it is the CLI the provisioning chooses: used as it is, nothing built", () => {
  const chosen = provisionToolchain([], {
    PATH: userPath,
    PULUMI_CLI_DIR: "",
    PULUMI_PROVISION_IGNORE_PATH: "",
  });
  expect(chosen.source).toBe("path");
  expect(chosen.binDir).toBe(path.join(installed, "bin"));
  expect(chosen.cli.version).toBe(RELEASE);
});

describe("a program on the pinned SDK", () => {
  let test: TestStack;

  beforeAll(async () => {
    test = await createTestStack({
      immutaUrl: immuta.emulator.url,
      apiKey: API_KEY,
      sources: {
        research: {
          integrationId: 1,
          prefix: "s3://acme-release/research",
          dataSourceName: "release-research",
        },
        finance: { integrationId: 1, prefix: "s3://acme-release/finance", dataSourceName: "release-finance" },
      },
      pulumiBinDir: path.join(installed, "bin"),
    });
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it("pulumi up registers its sources, the next preview changes nothing, destroy purges them", async () => {
    expect(test.stack.workspace.pulumiVersion).toBe(RELEASE);
    const sdk = JSON.parse(
      fs.readFileSync(path.join(test.programDir, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ) as { version: string };
    expect(sdk.version).toBe(PINNED_SDK);

    const up = stepRecorder();
    await test.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toEqual({ create: 2 });
    const names = (await immuta.control.store()).dataSources.map((source) => source.name).sort();
    expect(names).toEqual(["release-finance", "release-research"]);

    await test.stack.preview({ expectNoChanges: true });
    await test.stack.destroy();
    expect((await immuta.control.store()).dataSources).toEqual([]);
  });
});

describe("the GitOps CLI and doctor, with this CLI on PATH", () => {
  let test: TestStack;

  beforeAll(async () => {
    await immuta.control.seedDataSource({ name: "by-hand", prefix: "s3://acme-release/by-hand" });
    test = await createTestStack({
      program: "gitops",
      immutaUrl: immuta.emulator.url,
      apiKey: API_KEY,
      pulumiBinDir: path.join(installed, "bin"),
    });
  });

  afterAll(async () => {
    await test?.dispose();
  });

  /** A command of the installed package, as a user runs it: no --pulumi-root, `pulumi` from PATH. */
  function run(cli: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(test.programDir, "node_modules/pulumi-immuta/dist", cli), ...args],
        {
          cwd: test.programDir,
          env: stackEnvironment(test, userPath),
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  it("export and up adopt the tenant's source through it; doctor reads the stack through it", async () => {
    const exported = await run("gitops/cli.js", [
      "export",
      "--stack",
      test.stack.name,
      "--out",
      path.join(test.programDir, "datasources.yaml"),
    ]);
    expect(exported.code).toBe(0);
    const up = await run("gitops/cli.js", ["up", "--stack", test.stack.name]);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain("1 source adopted, nothing created or deleted");

    const doctor = await run("doctor/cli.js", ["doctor", "--json", "--stack", test.stack.name]);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as {
      source: unknown;
      tenants: { checks: { verdict: string }[] }[];
    };
    expect(report.source).toEqual({ stack: test.stack.name });
    expect(report.tenants[0].checks.map((check) => check.verdict)).not.toContain("failed");
  });
});
