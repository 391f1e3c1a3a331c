/**
 * A Go program (an Automation API inline program using the generated SDK, sdk/go/immuta, built from
 * tools/pulumi-cli/inline-program-go) drives the native plugin through the real engine against the emulator. The
 * plugin comes from PATH, as npm's bin puts it there for a Node.js project.
 */
import * as path from "node:path";
import { API_KEY, startTestEmulator, type TestEmulator } from "./support/emulator";
import { describeInlineLifecycle, type StepResult } from "./support/inline-lifecycle";
import {
  engineEnvironment,
  expectSuccess,
  pluginOnPath,
  run,
  temporaryFolder,
} from "./support/native-plugin";
import { pulumiBinDir, REPO_ROOT } from "./support/pulumi-cli";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let program: string;
let env: Record<string, string>;

beforeAll(async () => {
  work = temporaryFolder("go");
  program = path.join(work.dir, "inline-program-go");
  // GOFLAGS as the caller has them, without -mod=mod: a test must never rewrite go.mod or go.sum.
  expectSuccess(
    "go build ./inline-program-go",
    await run("go", ["build", "-o", program, "./inline-program-go"], {
      cwd: path.join(REPO_ROOT, "tools/pulumi-cli"),
      env: process.env,
      timeoutMs: 540_000,
    }),
  );
  immuta = await startTestEmulator();
  env = engineEnvironment({
    backendDir: path.join(work.dir, "backend"),
    pulumiHome: path.join(work.dir, "pulumi-home"),
    path: [pluginOnPath(work.dir)],
  });
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

async function step(name: string, declared: Record<string, unknown>): Promise<StepResult> {
  const result = expectSuccess(
    `inline-program-go ${name}`,
    await run(program, [name], {
      env: {
        ...env,
        E2E_WORK_DIR: work.dir,
        E2E_PULUMI_ROOT: path.dirname(pulumiBinDir()),
        E2E_IMMUTA_URL: immuta.emulator.url,
        E2E_IMMUTA_API_KEY: API_KEY,
        E2E_SOURCES: JSON.stringify(declared),
      },
    }),
  );
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as StepResult;
}

describeInlineLifecycle(() => immuta, step);
