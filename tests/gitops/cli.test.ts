/**
 * `pulumi-immuta-gitops` arguments, environment and the offline `validate` command.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseGitopsArguments } from "../../gitops";
import { main } from "../../gitops/cli";
import { textContaining } from "../helpers/matchers";

describe("arguments", () => {
  it("reads the guard from flags, falling back to the environment", () => {
    expect(parseGitopsArguments(["summary", "--stack", "prod"], {})).toEqual({
      kind: "summary",
      stackName: "prod",
      workDir: ".",
      maxDestructive: 1,
      allowDestructive: false,
      refresh: true,
    });
    expect(
      parseGitopsArguments(["up", "-s", "prod", "-C", "infra"], {
        IMMUTA_GITOPS_MAX_DESTRUCTIVE: "5",
        IMMUTA_GITOPS_ALLOW_DESTRUCTIVE: "true",
      }),
    ).toMatchObject({ kind: "up", workDir: "infra", maxDestructive: 5, allowDestructive: true });
    expect(
      parseGitopsArguments(["up", "-s", "prod", "--max-destructive", "0", "--skip-refresh"], {
        IMMUTA_GITOPS_MAX_DESTRUCTIVE: "5",
        IMMUTA_GITOPS_ALLOW_DESTRUCTIVE: "no",
      }),
    ).toMatchObject({ maxDestructive: 0, allowDestructive: false, refresh: false });
  });

  it("refuses what it cannot honour", () => {
    const error = (argv: string[], env = {}) => parseGitopsArguments(argv, env);
    expect(error(["summary"])).toEqual({ kind: "error", message: "summary needs --stack <name>" });
    expect(error(["up", "-s", "p", "--max-destructive", "-1"])).toMatchObject({ kind: "error" });
    expect(error(["up", "-s", "p"], { IMMUTA_GITOPS_MAX_DESTRUCTIVE: "many" })).toEqual({
      kind: "error",
      message: 'IMMUTA_GITOPS_MAX_DESTRUCTIVE must be a whole number >= 0, got "many"',
    });
    expect(error(["drift", "-s", "p", "--allow-destructive"])).toEqual({
      kind: "error",
      message: "--allow-destructive does not apply to drift",
    });
    expect(error(["deploy", "-s", "p"])).toMatchObject({
      kind: "error",
      message: textContaining("unknown command"),
    });
  });
});

describe("recover's arguments", () => {
  it("takes the guard, the run's start, the clock skew and --prepare-only", () => {
    expect(parseGitopsArguments(["recover", "--stack", "prod"], {})).toEqual({
      kind: "recover",
      stackName: "prod",
      workDir: ".",
      maxDestructive: 1,
      allowDestructive: false,
      maxClockSkewSeconds: 60,
      prepareOnly: false,
    });
    expect(
      parseGitopsArguments(
        [
          "recover",
          "-s",
          "prod",
          "--run-started-at",
          "2026-06-30T10:15:00Z",
          "--max-clock-skew",
          "5",
          "--prepare-only",
          "--allow-destructive",
        ],
        {},
      ),
    ).toMatchObject({
      runStartedAt: "2026-06-30T10:15:00Z",
      maxClockSkewSeconds: 5,
      prepareOnly: true,
      allowDestructive: true,
    });
  });

  it("refuses what it cannot honour", () => {
    const error = (argv: string[]) => parseGitopsArguments(argv, {});
    expect(error(["recover", "-s", "p", "--run-started-at", "yesterday"])).toEqual({
      kind: "error",
      message: '--run-started-at must be a time such as 2026-06-30T10:15:00Z, got "yesterday"',
    });
    expect(error(["recover", "-s", "p", "--max-clock-skew", "1.5"])).toEqual({
      kind: "error",
      message: '--max-clock-skew must be a whole number of seconds >= 0, got "1.5"',
    });
    expect(error(["recover", "-s", "p", "--skip-refresh"])).toEqual({
      kind: "error",
      message: "--skip-refresh does not apply to recover",
    });
    expect(error(["up", "-s", "p", "--prepare-only"])).toEqual({
      kind: "error",
      message: "--prepare-only applies to recover only",
    });
    expect(error(["recover"])).toEqual({ kind: "error", message: "recover needs --stack <name>" });
  });
});

describe("the CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-cli-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await main(argv, {}, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    return { exitCode, stdout: out.join(""), stderr: err.join("") };
  }

  it("validate prints every problem and exits 2, or confirms a valid catalogue and exits 0", async () => {
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(
      bad,
      "integrations: {}\nsources:\n  a:\n    integration: main\n    prefix: s3://acme-a\n",
    );
    const report = path.join(dir, "report.txt");
    const failed = await run(["validate", bad, "--output", report]);
    expect(failed).toEqual({
      exitCode: 2,
      stdout:
        `${bad}:3:3 sources.a.dataSourceName: is required\n` +
        `${bad}:4:18 sources.a.integration: "main" is not declared under integrations\n`,
      stderr: "",
    });
    expect(fs.readFileSync(report, "utf8")).toBe(failed.stdout);

    const good = path.join(dir, "good.json");
    fs.writeFileSync(
      good,
      JSON.stringify({
        integrations: { main: { integrationId: 1 } },
        sources: { a: { integration: "main", prefix: "s3://acme-a", dataSourceName: "a" } },
      }),
    );
    expect(await run(["validate", good])).toEqual({
      exitCode: 0,
      stdout: `${good}: valid, 1 source\n`,
      stderr: "",
    });
  });

  it("prints usage on a bad argument with exit 2, and on --help with exit 0", async () => {
    const bad = await run(["summary", "--stack"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("Usage: pulumi-immuta-gitops <command> [options]");
    const help = await run(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain(
      "Exit codes: 0 success (drift: nothing drifted), 1 drift found, 2 error, 3 guard tripped",
    );
  });
});
