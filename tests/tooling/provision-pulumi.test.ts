/**
 * Which Pulumi CLI scripts/provision-pulumi.sh chooses, and what it says, with stand-in executables that report a
 * version (the real CLIs run in the e2e tier: tests/e2e/other-release.test.ts). No Go, no engine: a stand-in `go`
 * that fails keeps the script from building.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT = path.resolve(__dirname, "../../scripts/provision-pulumi.sh");
let work: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-provision-test-"));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function executable(file: string, script: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
}

/**
 * A CLI release as Pulumi ships it: `pulumi` reporting `version`, the official Node.js host (no `-identify` flag)
 * reporting `hostVersion`, and the dynamic-provider launcher.
 */
function officialRelease(dir: string, version: string, hostVersion = version): string {
  executable(path.join(dir, "pulumi"), `[ "$1" = version ] && echo "${version}"`);
  executable(
    path.join(dir, "pulumi-language-nodejs"),
    `case "$1" in -version) echo "${hostVersion}" ;; *) echo "flag provided but not defined: $1" >&2; exit 2 ;; esac`,
  );
  executable(path.join(dir, "pulumi-resource-pulumi-nodejs"), "exit 0");
  return fs.realpathSync(dir);
}

/** Runs the script with PATH = `pathDirs`, /usr/bin and /bin (where node and sh are), and a `go` that fails. */
function provision(pathDirs: string[], env: Record<string, string> = {}) {
  const noGo = path.join(work, "no-go");
  executable(path.join(noGo, "go"), "exit 1");
  const result = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: {
      HOME: process.env.HOME,
      PATH: [...pathDirs, noGo, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
      PULUMI_IMMUTA_CACHE_DIR: path.join(work, "cache"),
      ...env,
    },
  });
  const lines = result.stdout.trim().split("\n");
  return {
    status: result.status,
    stderr: result.stderr,
    values: Object.fromEntries(
      lines.filter((line) => line.includes("=")).map((line) => line.split(/=(.*)/s, 2) as [string, string]),
    ) as Record<string, string>,
    bin: lines[lines.length - 1],
  };
}

describe("a Pulumi CLI on PATH", () => {
  it("of a release newer than the pin is used as it is, and the message says why", () => {
    const dir = officialRelease(path.join(work, "pulumi-3.260.0"), "v3.260.0");
    const found = provision([dir]);
    expect(found.status).toBe(0);
    expect(found.values).toEqual({
      PULUMI_CLI: path.join(dir, "pulumi"),
      PULUMI_CLI_VERSION: "3.260.0",
      PULUMI_CLI_SOURCE: "path",
      PULUMI_LANGUAGE_HOST: path.join(dir, "pulumi-language-nodejs"),
      PULUMI_LANGUAGE_HOST_VERSION: "3.260.0",
      PULUMI_LANGUAGE_HOST_KIND: "official",
    });
    expect(found.bin).toBe(dir);
    expect(found.stderr).toContain(
      "[provision-pulumi] using the Pulumi CLI on PATH: it is 3.260.0, at or above the SDK floor 3.216.0\n",
    );
  });

  it("at the SDK floor is used too", () => {
    const dir = officialRelease(path.join(work, "floor"), "v3.216.0");
    expect(provision([dir]).values.PULUMI_CLI_SOURCE).toBe("path");
  });

  it("older than the SDK floor is not used: the script says why, then builds (here: fails, with no Go)", () => {
    const dir = officialRelease(path.join(work, "old"), "v3.100.0");
    const found = provision([dir]);
    expect(found.status).toBe(1);
    expect(found.stderr).toContain(
      `[provision-pulumi] not using the pulumi on PATH: ${dir}/pulumi: it is 3.100.0, older than 3.216.0, the ` +
        "lowest @pulumi/pulumi this project supports\n",
    );
    expect(found.stderr).toContain("and Go is not installed to build Pulumi 3.248.0. Either:");
    expect(found.stderr).toContain("install the Pulumi CLI, any release >= 3.216.0");
  });

  it("without its Node.js language host beside it is not used", () => {
    const dir = officialRelease(path.join(work, "no-host"), "v3.260.0");
    fs.rmSync(path.join(dir, "pulumi-language-nodejs"));
    const found = provision([dir]);
    expect(found.status).toBe(1);
    expect(found.stderr).toContain(
      `not using the pulumi on PATH: ${dir} has no pulumi-language-nodejs beside pulumi`,
    );
  });
});

describe("PULUMI_CLI_DIR", () => {
  it("accepts a pre-release above the floor, and exposes a folder not named bin as links in the cache", () => {
    const dir = officialRelease(path.join(work, "dev-build"), "v3.270.0-alpha.1");
    const found = provision([], { PULUMI_CLI_DIR: dir });
    expect(found.status).toBe(0);
    expect(found.values.PULUMI_CLI_VERSION).toBe("3.270.0-alpha.1");
    expect(found.values.PULUMI_CLI_SOURCE).toBe("cli-dir");
    expect(found.stderr).toContain("it is 3.270.0-alpha.1, a pre-release at or above the SDK floor 3.216.0");
    expect(found.bin.startsWith(path.join(work, "cache", "cli-dir") + path.sep)).toBe(true);
    expect(path.basename(found.bin)).toBe("bin");
    for (const name of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"])
      expect(fs.readlinkSync(path.join(found.bin, name))).toBe(path.join(dir, name));
  });

  it.each([
    ["older than the floor", "v3.215.0", "v3.215.0", "it is 3.215.0, older than 3.216.0"],
    ["unparsable", "dev", "dev", "it reports 'dev', which is not a version"],
    [
      "an official host of another release",
      "v3.260.0",
      "3.248.0",
      "holds a mixed set: pulumi reports '3.260.0' but pulumi-language-nodejs reports '3.248.0'",
    ],
  ])("refuses a CLI %s, never building instead", (_what, version, hostVersion, reason) => {
    const dir = officialRelease(path.join(work, "given"), version, hostVersion);
    const found = provision([], { PULUMI_CLI_DIR: dir });
    expect(found.status).toBe(1);
    expect(found.stderr).toContain(`[provision-pulumi] error: PULUMI_CLI_DIR: `);
    expect(found.stderr).toContain(reason);
    expect(found.stderr).not.toContain("building");
  });
});
