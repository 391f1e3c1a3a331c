/**
 * The live suite itself, run as a user runs it (`npm run test:live`, i.e. tests/live/run.js) against an emulator in
 * its documented-defaults mode, so the suite cannot rot unseen: the scenarios pass, the sweeps find what a killed
 * run left and nothing else, and an interrupted run leaves nothing behind.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulator, EmulatorControl, type RunningEmulator } from "../../emulator";
import { anyInstanceOf, textContaining } from "../helpers/matchers";
import { REQUIRED_VARIABLES, RUN_MARKER } from "./support/settings";

jest.setTimeout(900_000);

const LAUNCHER = path.resolve(__dirname, "run.js");
const PREFIX = "s3://live-acceptance/ci";
const SCOPE = `${PREFIX}/${RUN_MARKER}`;

interface LauncherRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without any Immuta setting of the developer's, plus `variables`. */
function environment(variables: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("IMMUTA_")));
  return { ...env, ...variables };
}

/** Starts the launcher; `onStdout` may interrupt it. */
function launch(env: NodeJS.ProcessEnv, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, [LAUNCHER], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    onStdout?.(stdout, child);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<LauncherRun>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function describeRun(run: LauncherRun): string {
  return `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

test("without the IMMUTA_LIVE_* variables it prints what to set, runs nothing and exits 0", async () => {
  const run = await launch(environment({})).done;
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
  expect(run.stdout.trim().split("\n")).toEqual([textContaining(REQUIRED_VARIABLES.join(", "))]);
});

describe("against an emulator with Immuta's documented behaviour", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: "live-suite-key-5b0e" });
    control = new EmulatorControl(emulator.url, emulator.adminToken);
    env = environment({
      IMMUTA_LIVE_URL: emulator.url,
      IMMUTA_LIVE_API_KEY: "live-suite-key-5b0e",
      IMMUTA_LIVE_INTEGRATION_ID: "1",
      IMMUTA_LIVE_PREFIX: PREFIX,
      // Two leaf tags of the emulator's default tag library, for the tag and description scenarios.
      IMMUTA_LIVE_TAGS: "Team.Research,Sensitivity.Internal",
    });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function sourcesUnder(scope: string) {
    return (await control.store()).dataSources.filter((s) => s.prefix.startsWith(`${scope}/`));
  }

  test("every scenario passes, the leftovers of a killed run are swept first, other sources are kept", async () => {
    // What a killed run left, and two sources the sweep must not touch: marker name elsewhere, no marker inside.
    const leftover = await control.seedDataSource({
      name: `${RUN_MARKER}-20260101-000000-dead-alpha`,
      prefix: `${SCOPE}/20260101-000000-dead/alpha`,
    });
    await control.seedDataSource({ name: `${RUN_MARKER}-elsewhere`, prefix: `${PREFIX}/elsewhere` });
    await control.seedDataSource({ name: "finance", prefix: `${SCOPE}/finance` });

    const run = await launch(env).done;

    expect({ code: run.code, run: describeRun(run) }).toEqual({ code: 0, run: anyInstanceOf(String) });
    expect(run.stdout).toContain(
      `Leftovers of earlier runs: removed 1 data source(s) under ${SCOPE}/ (two DELETEs each):\n` +
        `  ${leftover.id} "${leftover.name}" at ${leftover.prefix}\n`,
    );
    // jest reports on stderr.
    expect(run.stderr).toMatch(/Tests: +10 passed, 10 total/);
    expect(run.stdout).toContain(`After the run: nothing under ${SCOPE}/.`);
    expect(run.stdout).toMatch(/: every scenario passed; nothing left behind \(/);
    const kept = (await control.store()).dataSources.map((s) => s.name).sort();
    expect(kept).toEqual(["finance", `${RUN_MARKER}-elsewhere`]);
  });

  test("interrupted (SIGINT) once its first sources exist, the run sweeps them and exits 130", async () => {
    let interrupted = false;
    const { child, done } = launch(env);
    const poll = setInterval(() => {
      void sourcesUnder(SCOPE).then((created) => {
        if (created.some((s) => s.name.startsWith(`${RUN_MARKER}-`)) && !interrupted) {
          interrupted = true;
          child.kill("SIGINT");
        }
      });
    }, 250);
    const run = await done.finally(() => clearInterval(poll));

    expect({ interrupted, code: run.code, run: describeRun(run) }).toEqual({
      interrupted: true,
      code: 130,
      run: anyInstanceOf(String),
    });
    expect(run.stderr).toContain("SIGINT: stopping the live run.");
    expect(run.stdout).toMatch(/After the run: removed [1-9]\d* data source\(s\)/);
    expect(run.stdout).toMatch(/: interrupted; nothing left behind \(/);
    expect((await sourcesUnder(SCOPE)).map((s) => s.name)).toEqual(["finance"]);
  });
});
