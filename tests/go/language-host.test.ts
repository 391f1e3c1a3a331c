/**
 * The Go module under tools/pulumi-cli (the wrapper that pins the Pulumi CLI, the SDK generator, and this
 * project's Node.js language host): `go vet` and `go test` must pass. A failure shows Go's own output. Needs Go,
 * not the Pulumi CLI: the host's `pulumi install` test runs the CLI an engine tier of the same run provisioned
 * (`npm test`), or PULUMI_CLI_DIR's, and skips without either.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const MODULE_DIR = path.resolve(__dirname, "../../tools/pulumi-cli");
/** A cold Go build cache compiles the module's dependencies first. */
const GO_TIMEOUT_MS = 15 * 60_000;

jest.setTimeout(GO_TIMEOUT_MS + 10_000);

/** The bin directory of the CLI this run's engine tiers use (tests/setup/pulumi-cli.js), else PULUMI_CLI_DIR. */
function pulumiCliDir(): string | undefined {
  const toolchain = process.env.PULUMI_IMMUTA_TOOLCHAIN?.trim();
  return toolchain ? toolchain.split("\n").at(-1) : process.env.PULUMI_CLI_DIR;
}

/** Runs `go <args>` in the module and returns its output; throws with everything Go printed on failure. */
function go(args: string[]): string {
  const command = `go ${args.join(" ")}`;
  // GOFLAGS as the caller has them, without -mod=mod: a test must never rewrite go.mod or go.sum.
  const result = spawnSync("go", args, {
    cwd: MODULE_DIR,
    encoding: "utf8",
    timeout: GO_TIMEOUT_MS,
    env: { ...process.env, PULUMI_CLI_DIR: pulumiCliDir() },
  });
  if (result.error) {
    // DECISION: without Go this tier fails (it does not skip): a skipped check would read as a passing one.
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? `\`${command}\` could not start: Go is not installed. The go tier needs Go >= 1.25 (https://go.dev/doc/install).`
        : `\`${command}\` in tools/pulumi-cli failed to run: ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    throw new Error(
      `\`${command}\` in tools/pulumi-cli failed (exit ${result.status ?? result.signal}):\n` +
        `${result.stdout}${result.stderr}`.trim(),
    );
  }
  return result.stdout;
}

it("go vet ./... reports nothing in tools/pulumi-cli", () => {
  go(["vet", "./..."]);
});

it("go test -count=1 ./... passes in tools/pulumi-cli", () => {
  const output = go(["test", "-count=1", "-v", "./..."]);
  // Tests really ran: a package with tests reports `ok`, one without reports `[no test files]`.
  expect(output).toMatch(/^ok\s+pulumi-immuta\/tools\/pulumi-cli\/language-nodejs\s/m);
  // The SDK generator's tests, among them the one that fails when the committed SDKs are stale.
  expect(output).toMatch(/^ok\s+pulumi-immuta\/tools\/pulumi-cli\/gen-sdk\s/m);
  // Given a CLI, the host's `pulumi install` test must run with it, not skip.
  if (pulumiCliDir()) expect(output).toMatch(/^--- PASS: TestPulumiInstallWithThisHost\s/m);
});
