/**
 * Interrupted runs: `pulumi up` of 50 sources is killed with SIGKILL at five different moments, and each time one
 * `pulumi-immuta-gitops recover` must converge: every declared source exactly once (Immuta's id counter advances by
 * one per declaration), none left out of state, nothing edited by hand, while a source registered by hand under a
 * declared name is still refused. No process the killed CLI started may outlive it by 60 s. Then the two-command
 * path for plain Pulumi, and what recover refuses or repairs. What each run found and did becomes the kill matrix
 * in docs/reliability.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { FaultRule, StoredDataSource } from "../../emulator";
import { killFamily, runPulumi, type StartedProcess } from "../e2e/support/cli-process";
import { pulumiToolchain } from "../e2e/support/pulumi-cli";
import { count, startTestEmulator, API_KEY, type TestEmulator } from "../e2e/support/emulator";
import { runGitops, type GitopsRun } from "../e2e/support/gitops-cli";
import { createTestStack, deploymentOf, type DeploymentState, type TestStack } from "../e2e/support/stack";
import { killUpWhen, pendingCreatesNow, processesEnded, type KilledRun } from "./kill-run";
import { SectionRecorder } from "./report/recorder";
import type { InterruptedData, InterruptedStep, StackCounts } from "./report/render";

jest.setTimeout(900_000);

const SOURCES = 50;
const BY_HAND = "byhand";
const BY_HAND_HOURS_BEFORE = 1;
const DATA_SOURCE_TYPE = "pulumi-nodejs:dynamic/immuta:S3DataSource";

interface Declaration {
  integrationId: number;
  prefix: string;
  dataSourceName: string;
}

// `byhand`: a source registered by hand holds its name and prefix, so its create is always refused.
const declarations: Record<string, Declaration> = {};
for (let index = 0; index < SOURCES; index++) {
  declarations[`cut${index}`] = {
    integrationId: 1,
    prefix: `s3://cut-${index}/raw`,
    dataSourceName: `cut-${index}`,
  };
}
declarations[BY_HAND] = { integrationId: 1, prefix: "s3://by-hand/raw", dataSourceName: "by-hand" };

const report = new SectionRecorder("interrupted-run", 8);
const observed: InterruptedData = {
  sources: SOURCES,
  byHand: BY_HAND,
  byHandHoursBefore: BY_HAND_HOURS_BEFORE,
  maxClockSkewSeconds: 60,
  moments: [],
  matrixMs: 0,
  plainPulumi: [],
  plainPulumiAfter: { stateSources: 0, immutaSources: 0, notInState: 0, idsUsed: 0 },
  refusals: [],
};
let immuta: TestEmulator;
const stacks: TestStack[] = [];
const killedRuns: KilledRun[] = [];
let matrixStartedAt = 0;

beforeAll(async () => {
  immuta = await startTestEmulator();
});

afterAll(async () => {
  for (const killed of killedRuns) killFamily(killed.family);
  for (const test of stacks) await test.dispose();
  await immuta?.emulator.close();
});

/** A fresh stack and an empty Immuta, except for the source registered by hand an hour before. */
async function freshStack(): Promise<{ test: TestStack; byHand: StoredDataSource }> {
  await immuta.control.reset();
  const byHand = await immuta.control.seedDataSource({
    name: declarations[BY_HAND].dataSourceName,
    prefix: declarations[BY_HAND].prefix,
    createdAt: new Date(Date.now() - BY_HAND_HOURS_BEFORE * 3_600_000).toISOString(),
  });
  const test = await createTestStack({
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
    sources: declarations,
  });
  stacks.push(test);
  return { test, byHand };
}

interface Checkpoint {
  /** Data sources in state: resource name → Immuta id. */
  sources: Map<string, number>;
  pendingCreates: string[];
}

function checkpointOf(deployment: DeploymentState): Checkpoint {
  const resources = deployment.resources ?? [];
  const pending = deployment.pending_operations ?? [];
  const name = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  return {
    sources: new Map(
      resources
        .filter((resource) => resource.type === DATA_SOURCE_TYPE)
        .map((resource) => [name(resource.urn), Number(resource.id)]),
    ),
    pendingCreates: pending
      .filter((operation) => operation.type === "creating")
      .map((op) => name(op.resource.urn)),
  };
}

async function checkpoint(test: TestStack): Promise<Checkpoint> {
  return checkpointOf(await deploymentOf(test.stack));
}

/** Sources of the stack in Immuta (the one by hand left out). */
async function stackSources(byHand: StoredDataSource): Promise<StoredDataSource[]> {
  return (await immuta.control.store()).dataSources.filter((source) => source.id !== byHand.id);
}

/**
 * The checkpoint after a kill, readable: a kill can cut the write of its metadata file, which recover repairs;
 * the test must read it before recover runs, so it repairs a copy's view the same way and says whether it did.
 */
async function checkpointAfterKill(test: TestStack): Promise<{ state: Checkpoint; cutMetadata: boolean }> {
  try {
    return { state: await checkpoint(test), cutMetadata: false };
  } catch (error) {
    expect(String(error)).toMatch(/failed to load checkpoint: EOF/);
    // Look at the checkpoint itself, leaving the emptied metadata file for recover to find and repair.
    const { latest } = (JSON.parse(test.stateFileText()) as { checkpoint: { latest: DeploymentState } })
      .checkpoint;
    return { state: checkpointOf(latest), cutMetadata: true };
  }
}

/** Where Immuta's in-flight work settles: its source count is unchanged for a second. */
async function immutaSettled(): Promise<void> {
  let last = -1;
  for (let stable = 0; stable < 10;) {
    const now = (await immuta.control.store()).dataSources.length;
    stable = now === last ? stable + 1 : 0;
    last = now;
    await sleep(100);
  }
}

/** Runs assertions about a recover run; a failure shows what recover printed. */
async function explainedBy<T>(run: GitopsRun, assertions: () => T | Promise<T>): Promise<T> {
  try {
    return await assertions();
  } catch (error) {
    if (error instanceof Error) {
      error.message += `\n\nrecover exited ${run.exitCode} and printed:\n${run.stdout}\n${run.stderr.slice(-3000)}`;
    }
    throw error;
  }
}

/** The cells of recover's report: the Found/Done rows. */
function reportRow(run: GitopsRun, found: RegExp): string | undefined {
  return run.stdout.split("\n").find((line) => line.startsWith("| ") && found.test(line));
}

function namesIn(cell: string | undefined): string[] {
  return [...(cell ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]);
}

/** Everything asserted after a recovery: converged, once each, nothing orphaned, the one by hand refused. */
async function expectConverged(
  test: TestStack,
  byHand: StoredDataSource,
): Promise<StackCounts & { idsUsed: number }> {
  const state = await checkpoint(test);
  const store = await immuta.control.store();
  const held = store.dataSources.filter((source) => source.id !== byHand.id);
  expect(state.pendingCreates).toEqual([]);
  // Every declaration but the one by hand is in state, with the id of a source Immuta holds under its name.
  expect([...state.sources.keys()].sort()).toEqual(
    Object.keys(declarations)
      .filter((key) => key !== BY_HAND)
      .sort(),
  );
  for (const [key, id] of state.sources) {
    expect(held.find((source) => source.id === id)?.name).toBe(declarations[key].dataSourceName);
  }
  expect(held).toHaveLength(SOURCES);
  // The source by hand is untouched: same id, same registration time, not in state.
  expect(store.dataSources.find((source) => source.id === byHand.id)).toEqual(byHand);
  // One id per declaration, the source by hand included: nothing was registered twice.
  expect(store.nextIds.dataSourceId - 1).toBe(SOURCES + 1);
  return {
    stateSources: state.sources.size,
    immutaSources: held.length,
    notInState: 0,
    idsUsed: store.nextIds.dataSourceId - 1,
  };
}

/** A source Immuta holds whose name is the declaration's of one of `keys`. */
const keysOf = (sources: StoredDataSource[]) =>
  sources.map((source) =>
    Object.keys(declarations).find((key) => declarations[key].dataSourceName === source.name)!,
  );

interface MomentSpec {
  moment: string;
  how: string;
  faults: FaultRule[];
  /** True once the kill should land. */
  when: (test: TestStack, byHand: StoredDataSource) => Promise<boolean>;
}

const heldAtLeast = (sources: number) => async (_test: TestStack, byHand: StoredDataSource) =>
  (await stackSources(byHand)).length >= sources;

const MOMENTS: MomentSpec[] = [
  {
    moment: "before any POST",
    how: "`GET /integrations/{id}` held for 120 s; killed once the checkpoint holds 4 pending creates",
    faults: [{ method: "GET", path: "/integrations/*", kind: "latency", latencyMs: 120_000 }],
    when: (test) => Promise.resolve(pendingCreatesNow(test) >= 4),
  },
  {
    moment: "POSTs sent, not yet processed",
    how: "every POST processed 600 ms after it arrives; killed once Immuta holds 10",
    faults: [{ method: "POST", path: "/native-s3/handler", kind: "latency", latencyMs: 600 }],
    when: heldAtLeast(10),
  },
  {
    moment: "between a POST and its answer",
    how: "every POST processed at once, its answer held 5 s (`slow`); killed once Immuta holds 12",
    faults: [{ method: "POST", path: "/native-s3/handler", kind: "slow", slowMs: 5_000 }],
    when: heldAtLeast(12),
  },
  {
    moment: "POST answered, read-back in flight",
    how: "`GET /dataSource/{id}` processed 2 s after it arrives; killed once Immuta holds 10",
    faults: [{ method: "GET", path: "/dataSource/*", kind: "latency", latencyMs: 2_000 }],
    when: heldAtLeast(10),
  },
  {
    moment: "late in the run",
    how: "every POST processed 600 ms after it arrives; killed once Immuta holds 45",
    faults: [{ method: "POST", path: "/native-s3/handler", kind: "latency", latencyMs: 600 }],
    when: heldAtLeast(45),
  },
];

/**
 * ASSUMPTION: every process a SIGKILLed `pulumi` started ends within 60 s: this package's provider watches the
 * engine and exits within 30 s (provider/engine-lifetime.ts); this project's minimal language host exits about 3 s
 * after the engine's port closes, after stopping its program (Go: TestHostExitsWhenEngineDies,
 * TestHostStopsItsProgramBeforeExitingWhenEngineDies). Pulumi's official host probes the engine only every 5
 * minutes, so with it (PULUMI_CLI_DIR, docs/official-cli.md) the host itself may outlive the engine: it alone is
 * left out of the check then, and killed in afterAll.
 */
const mayLinger = (process: StartedProcess) =>
  pulumiToolchain().languageHost.kind === "official" &&
  path.basename(process.command.split(" ")[0]) === "pulumi-language-nodejs";

/** Kills `up` at a moment and waits for everything it started to end (at most 60 s after the kill). */
async function killAt(spec: MomentSpec, test: TestStack, byHand: StoredDataSource) {
  await immuta.control.setFaults(spec.faults);
  const killed = await killUpWhen(test, () => spec.when(test, byHand));
  killedRuns.push(killed);
  // Faults are decided when a request arrives: the held ones stay held, no new request is faulted.
  await immuta.control.clearFaults();
  const ended = await processesEnded(killed, 60_000, mayLinger);
  expect(ended.survivors).toEqual([]);
  // Requests Immuta had received before the kill are still processed.
  await immutaSettled();
  return ended.endedAfterMs;
}

describe.each(MOMENTS.map((spec, index) => ({ ...spec, index })))("killed $moment", (spec) => {
  it(
    "one recover converges: the killed run's sources adopted, the rest created, the one by hand refused",
    report.gated(async () => {
      if (spec.index === 0) matrixStartedAt = Date.now();
      const { test, byHand } = await freshStack();
      const processesEndedAfterMs = await killAt(spec, test, byHand);

      const { state: atKill, cutMetadata } = await checkpointAfterKill(test);
      const heldAtKill = await stackSources(byHand);
      const inState = new Set(atKill.sources.values());
      const orphans = keysOf(heldAtKill.filter((source) => !inState.has(source.id))).sort();
      expect(atKill.pendingCreates.length).toBeGreaterThan(0);
      // A source the killed run registered is one whose create was pending: that is what makes it the stack's.
      for (const orphan of orphans) expect(atKill.pendingCreates).toContain(orphan);

      await immuta.clear();
      const recovered = await runGitops(test, ["recover"]);
      const posts = count(await immuta.calls(), "POST /native-s3/handler");

      const { adopted, after } = await explainedBy(recovered, async () => {
        // What recover reports it found and did.
        expect(recovered.exitCode).toBe(2); // the source by hand is refused
        expect(reportRow(recovered, /the process has ended \| removed \(`pulumi cancel`\)/)).toBeDefined();
        const pendingRow = reportRow(recovered, /creates? in flight when the run ended/);
        expect(namesIn(pendingRow?.split(" | ")[0]).sort()).toEqual([...atKill.pendingCreates].sort());
        expect(pendingRow).toContain("recorded, then cleared from the checkpoint");
        const adopted = namesIn(reportRow(recovered, /registered by those creates/)?.split(" | ")[1]).sort();
        expect(adopted).toEqual(orphans);
        expect(namesIn(reportRow(recovered, /refused, not adopted/)?.split(" | ")[1])).toEqual([BY_HAND]);
        expect(recovered.stdout).toMatch(
          new RegExp(
            `Creating data source "by-hand" \\(s3://by-hand/raw\\) failed: Immuta already holds .* Not adopted as a source of the interrupted run: (the interrupted run of stack e2e had no create of this declaration in flight|Immuta created it at ${byHand.createdAt}, before the interrupted run started at .*)\\.`,
          ),
        );
        expect(Boolean(reportRow(recovered, /checkpoint metadata file left empty by the kill/))).toBe(
          cutMetadata,
        );

        // Each declaration not in state got exactly one POST: a 409 for those adopted (and the one by hand), a
        // registration for the rest.
        expect(posts).toBe(SOURCES - atKill.sources.size + 1);
        const after = await expectConverged(test, byHand);
        return { adopted, after };
      });

      observed.moments.push({
        moment: spec.moment,
        how: spec.how,
        atKill: {
          stateSources: atKill.sources.size,
          immutaSources: heldAtKill.length,
          notInState: orphans.length,
          pendingCreates: atKill.pendingCreates.length,
          byHandPending: atKill.pendingCreates.includes(BY_HAND),
        },
        metadataRepaired: cutMetadata,
        recover: {
          exit: recovered.exitCode,
          lockRemoved: true,
          cleared: atKill.pendingCreates.length,
          adopted: adopted.length,
          created: SOURCES - atKill.sources.size - adopted.length,
          refused: [BY_HAND],
        },
        after,
        processesEndedAfterMs,
      });
      if (spec.index === MOMENTS.length - 1) observed.matrixMs = Date.now() - matrixStartedAt;
    }),
  );
});

const plainStep = (
  step: string,
  command: string,
  exit: number | string,
  printed: string,
  varies = false,
): InterruptedStep => ({ step, command, exit, printed, varies });

/** The line of a command's output a user acts on. */
function keyLine(output: string, pattern: RegExp): string {
  return (
    output
      .split("\n")
      .find((line) => pattern.test(line))
      ?.trim() ?? ""
  );
}

let plain: { test: TestStack; byHand: StoredDataSource } | undefined;

it(
  "plain Pulumi in two commands: recover --prepare-only, then pulumi up with the recovery file it names",
  report.gated(async () => {
    plain = await freshStack();
    const { test, byHand } = plain;
    // Slower creates than in the matrix, so that the run is still going when recover is refused.
    const faults: FaultRule[] = [
      { method: "POST", path: "/native-s3/handler", kind: "latency", latencyMs: 4_000 },
    ];

    // While the run is alive, recover refuses to touch its lock; then the run is killed as in the matrix.
    let refused: GitopsRun | undefined;
    await immuta.control.setFaults(faults);
    const killed = await killUpWhen(test, async () => {
      if ((await stackSources(byHand)).length < 3) return false;
      refused = await runGitops(test, ["recover"]);
      return true;
    });
    killedRuns.push(killed);
    await immuta.control.clearFaults();
    expect(refused!.exitCode).toBe(2);
    expect(refused!.stdout).toMatch(
      new RegExp(
        `The stack is locked by pulumi \\(pid ${killed.run.child.pid} on host ${os.hostname().replace(/[.]/g, "\\.")}, ` +
          `since [^)]+\\), and process ${killed.run.child.pid} is still running`,
      ),
    );
    observed.refusals.push(
      plainStep(
        "`pulumi up` still running on this host",
        "pulumi-immuta-gitops recover --stack <name>",
        refused!.exitCode,
        keyLine(refused!.stdout, /still running/)
          .replace(/^> \*\*Stopped:\*\* /, "")
          .replace(/ \(`[^`]*`\)/, "")
          .slice(0, 220) + "…",
        true,
      ),
    );
    expect((await processesEnded(killed, 60_000, mayLinger)).survivors).toEqual([]);
    await immutaSettled();

    const { state: atKill } = await checkpointAfterKill(test);
    const orphans = keysOf(
      (await stackSources(byHand)).filter((source) => ![...atKill.sources.values()].includes(source.id)),
    ).sort();

    // 1. recover --prepare-only: the lock and the pending creates handled, the recovery file written.
    const prepared = await runGitops(test, ["recover", "--prepare-only"]);
    expect(prepared.exitCode).toBe(0);
    const next =
      /^Next: run `(PULUMI_IMMUTA_RECOVERY_FILE=(\S+) pulumi up --stack e2e)` before (\S+)\. /m.exec(
        prepared.stdout,
      );
    expect(next).not.toBeNull();
    const [, command, file, validUntil] = next!;
    expect(Date.parse(validUntil) - Date.now()).toBeGreaterThan(55 * 60_000);
    expect((await checkpoint(test)).pendingCreates).toEqual([]);
    observed.plainPulumi.push(
      plainStep(
        "remove the lock (its process has ended), record and clear the interrupted creates",
        "npx pulumi-immuta-gitops recover --stack <name> --prepare-only",
        prepared.exitCode,
        "Next: run `PULUMI_IMMUTA_RECOVERY_FILE=<file> pulumi up --stack <name>` before <an hour later>. It creates " +
          "what is missing and adopts the sources the interrupted creates registered; then delete the file.",
      ),
    );

    // 2. The printed `pulumi up` (with --continue-on-error, so that the refused source does not stop the others).
    await immuta.clear();
    const up = await runPulumi(
      test,
      ["up", "--yes", "--skip-preview", "--continue-on-error", "--stack", "e2e"],
      {
        PULUMI_IMMUTA_RECOVERY_FILE: file,
      },
    );
    expect(command).toBe(`PULUMI_IMMUTA_RECOVERY_FILE=${file} pulumi up --stack e2e`);
    expect(up.code).toBe(1); // the source by hand
    const adopted = [
      ...up.output.matchAll(/Adopted data source "(cut-\d+)" \(s3:\/\/cut-\d+\/raw, id \d+\)/g),
    ].map((match) => match[1].replace("cut-", "cut"));
    expect([...new Set(adopted)].sort()).toEqual(orphans);
    expect(up.output).toContain(
      'Creating data source "by-hand" (s3://by-hand/raw) failed: Immuta already holds',
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    observed.plainPulumi.push(
      plainStep(
        "finish the update; the provider adopts what the interrupted creates registered",
        "PULUMI_IMMUTA_RECOVERY_FILE=<file> pulumi up --continue-on-error",
        up.code ?? "?",
        // One adoption, as the diagnostics at the end of the output list them; names, ids and times vary.
        keyLine(up.output, /^\s*Adopted data source/)
          .replace(/id \d+/, "id N")
          .replace(/cut-\d+/g, "cut-N")
          .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>"),
        true,
      ),
    );
    observed.plainPulumiAfter = await expectConverged(test, byHand);
  }),
);

it(
  "a lock taken on another host is refused, with the commands to run once that run is known to be gone",
  report.gated(async () => {
    const { test } = plain!;
    const locks = path.join(test.backendDir, ".pulumi", "locks", "organization", "immuta-e2e", "e2e");
    fs.mkdirSync(locks, { recursive: true });
    const takenAt = "2026-06-30T10:15:00Z";
    fs.writeFileSync(
      path.join(locks, "0f0c7c1e-elsewhere.json"),
      JSON.stringify({ pid: 4242, username: "ci", hostname: "ci-runner-7", timestamp: takenAt }),
    );
    const refused = await runGitops(test, ["recover"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toContain(
      `The stack is locked by pulumi (pid 4242 on host ci-runner-7, since ${takenAt}), and recover can only tell ` +
        `whether a process of this host (${os.hostname()}) is still running. If that run is gone, run ` +
        "`pulumi cancel --yes --stack e2e`, then `pulumi-immuta-gitops recover --stack e2e --run-started-at " +
        `${takenAt}\`.`,
    );
    expect(fs.readdirSync(locks)).toHaveLength(1); // kept
    observed.refusals.push(
      plainStep(
        "the lock was taken on another host (a CI runner that disappeared)",
        "pulumi-immuta-gitops recover --stack <name>",
        refused.exitCode,
        keyLine(refused.stdout, /recover can only tell/)
          .replace(/^> \*\*Stopped:\*\* /, "")
          .replace(/\(`?[\w.-]+`?\) is still running/, "(<this host>) is still running"),
      ),
    );

    const cancelled = await runPulumi(test, ["cancel", "--yes", "--stack", "e2e"]);
    expect(cancelled.code).toBe(0);
    const resumed = await runGitops(test, ["recover", "--run-started-at", takenAt, "--prepare-only"]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain(
      `| the interrupted run started at ${takenAt} (\`--run-started-at\`) | – |`,
    );
    observed.refusals.push(
      plainStep(
        "after `pulumi cancel`, with the time the refusal named",
        "pulumi-immuta-gitops recover --stack <name> --run-started-at <time>",
        resumed.exitCode,
        "the recovery goes on; with no lock left, the time given dates the interrupted run",
      ),
    );
  }),
);

it(
  "a checkpoint whose metadata write the kill cut: recover deletes the empty file and carries on",
  report.gated(async () => {
    const { test } = plain!;
    const stacksDir = path.join(test.backendDir, ".pulumi", "stacks");
    const attrs = fs
      .readdirSync(stacksDir, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith("e2e.json.attrs"));
    expect(attrs).toHaveLength(1);
    // What SIGKILL leaves when it lands between the checkpoint's rename and the write of its metadata.
    fs.writeFileSync(path.join(stacksDir, attrs[0]), "");
    const broken = await runPulumi(test, ["stack", "export", "--stack", "e2e"]);
    expect(broken.output).toMatch(/failed to load checkpoint: EOF/);

    const repaired = await runGitops(test, ["recover", "--prepare-only"]);
    await explainedBy(repaired, () => {
      expect(repaired.exitCode).toBe(0);
      expect(repaired.stdout).toContain(
        `| checkpoint metadata file left empty by the kill (\`${path.join(stacksDir, attrs[0])}\`) | deleted |`,
      );
    });
    expect((await runPulumi(test, ["preview", "--stack", "e2e"])).code).toBe(0);
    observed.refusals.push(
      plainStep(
        "the kill cut the write of the checkpoint's metadata: every command fails with `error: failed to load checkpoint: EOF`",
        "pulumi-immuta-gitops recover --stack <name>",
        repaired.exitCode,
        "found: checkpoint metadata file left empty by the kill (`.pulumi/stacks/<project>/<stack>.json.attrs`); " +
          "done: deleted; the recovery goes on",
      ),
    );
  }),
);

it("docs/reliability.md's interrupted run shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed);
});
