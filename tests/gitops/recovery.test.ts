/**
 * The pieces of `recover` that need no engine: reading the locks a backend reports, deciding whether their
 * processes are gone, reading pending creates from a checkpoint, and the report. The command itself runs against
 * the real CLI in tests/reliability/interrupted.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { dataSourcesOf, pendingOperationsOf } from "../../gitops/checkpoint";
import { renderRecovery } from "../../gitops/recovery-report";
import type { RecoveryFindings } from "../../gitops/recover";
import { judgeLock, localProcesses, locksIn, type ProcessProbe } from "../../gitops/stack-lock";
import { PROVIDER_KEY } from "../../provider/core/constants";
import { TYPE_TOKEN } from "../../provider/core/resource-kind";
import { textContaining } from "../helpers/matchers";

/** What `pulumi refresh` printed for a stack an interrupted `up` left locked (file backend), twice as it does. */
const lockedOutput = [
  "Command failed with exit code 1: pulumi refresh --skip-preview --yes --stack e2e --non-interactive",
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  "  file:///tmp/backend/.pulumi/locks/organization/immuta-e2e/e2e/98268a68.json?no_tmp_dir=true: created by root@vm (pid 8763) at 2026-11-29T10:33:54Z",
  " err?: Error: Command failed with exit code 1",
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  "  file:///tmp/backend/.pulumi/locks/organization/immuta-e2e/e2e/98268a68.json?no_tmp_dir=true: created by root@vm (pid 8763) at 2026-11-29T10:33:54Z",
].join("\n");

describe("locks", () => {
  it("are read from the backend's message, one per lock file", () => {
    expect(locksIn(lockedOutput)).toEqual({
      kind: "locks",
      locks: [
        {
          where:
            "file:///tmp/backend/.pulumi/locks/organization/immuta-e2e/e2e/98268a68.json?no_tmp_dir=true",
          user: "root",
          host: "vm",
          pid: 8763,
          takenAt: "2026-11-29T10:33:54Z",
        },
      ],
    });
  });

  it("a lock without a holder (Pulumi Cloud), and no lock at all, are told apart", () => {
    expect(locksIn("error: [409] Conflict: Another update is currently in progress.")).toEqual({
      kind: "unattributed",
    });
    expect(locksIn("error: failed to load checkpoint: EOF")).toEqual({ kind: "none" });
  });

  it("may be removed only when they are this host's and their process has ended", () => {
    const lock = { where: "x", user: "ci", host: "runner-1", pid: 4242, takenAt: "2026-11-29T10:33:54Z" };
    const host = (running: boolean): ProcessProbe => ({
      host: "runner-1",
      running: () => (running ? { running: true, command: "pulumi up" } : { running: false }),
    });
    expect(judgeLock(lock, host(false))).toEqual({ lock, holder: "gone" });
    expect(judgeLock(lock, host(true))).toEqual({ lock, holder: "running", command: "pulumi up" });
    expect(judgeLock({ ...lock, host: "runner-2" }, host(false))).toEqual({
      lock: { ...lock, host: "runner-2" },
      holder: "elsewhere",
    });
  });

  it("this host's processes: a running one, with its command, and one that has ended", () => {
    const processes = localProcesses(os.hostname());
    expect(processes.running(process.pid)).toMatchObject({
      running: true,
      command: textContaining("node"),
    });
    const ended = spawnSync(process.execPath, ["-e", ""]).pid;
    expect(processes.running(ended)).toEqual({ running: false });
  });
});

describe("the checkpoint", () => {
  const resource = (name: string, inputs: Record<string, unknown>, id?: string) => ({
    urn: `urn:pulumi:e2e::immuta-e2e::${TYPE_TOKEN}::${name}`,
    type: TYPE_TOKEN,
    ...(id === undefined ? {} : { id }),
    inputs: { [PROVIDER_KEY]: "ref", disabled: false, ...inputs },
  });
  const deployment = {
    resources: [
      { urn: "urn:pulumi:e2e::immuta-e2e::pulumi:pulumi:Stack::immuta-e2e-e2e", type: "pulumi:pulumi:Stack" },
      resource(
        "done",
        { integrationId: 1, dataSourceName: "done", prefix: "s3://done/raw", tenant: "default" },
        "7",
      ),
    ],
    pending_operations: [
      {
        type: "creating",
        resource: resource("cut", {
          integrationId: 1,
          dataSourceName: "cut",
          prefix: "s3://cut/raw",
          tenant: "prod",
        }),
      },
      // A checkpoint written by a release that did not record the tenant yet: the default tenant.
      {
        type: "creating",
        resource: resource("old", { integrationId: 2, dataSourceName: "old", prefix: "s3://old" }),
      },
      { type: "updating", resource: resource("done", {}, "7") },
    ],
  };

  it("pending creates carry the declaration they were creating; other pending operations are named", () => {
    expect(pendingOperationsOf(deployment)).toEqual({
      creates: [
        {
          urn: `urn:pulumi:e2e::immuta-e2e::${TYPE_TOKEN}::cut`,
          tenant: "prod",
          integrationId: 1,
          dataSourceName: "cut",
          prefix: "s3://cut/raw",
        },
        {
          urn: `urn:pulumi:e2e::immuta-e2e::${TYPE_TOKEN}::old`,
          tenant: "default",
          integrationId: 2,
          dataSourceName: "old",
          prefix: "s3://old",
        },
      ],
      others: ["updating done"],
    });
    expect(pendingOperationsOf({ resources: [] })).toEqual({ creates: [], others: [] });
  });

  it("data sources in state by Immuta id", () => {
    expect(dataSourcesOf(deployment)).toEqual(new Map([[7, "done"]]));
  });
});

describe("the report", () => {
  const base: RecoveryFindings = {
    stackName: "prod",
    repairedMetadata: [],
    locks: [],
    lockRemoved: false,
    maxClockSkewSeconds: 60,
    pendingCreates: [],
    otherPendingOperations: [],
    pendingCleared: false,
    adopted: [],
    refused: [],
  };
  const lock = { where: "x", user: "ci", host: "vm", pid: 8763, takenAt: "2026-11-29T10:33:54Z" };

  it("says what was found and done", () => {
    expect(
      renderRecovery({
        ...base,
        repairedMetadata: ["/b/.pulumi/stacks/p/prod.json.attrs"],
        locks: [{ lock, holder: "gone" }],
        lockRemoved: true,
        runStartedAt: lock.takenAt,
        runStartSource: "lock",
        pendingCreates: ["b", "a"],
        pendingCleared: true,
        adopted: [{ name: "b", dataSourceId: 9 }],
        refused: ["squat"],
      }),
    ).toBe(
      [
        "### Immuta data sources: recovery of stack `prod`",
        "",
        "| Found | Done |",
        "| --- | --- |",
        "| checkpoint metadata file left empty by the kill (`/b/.pulumi/stacks/p/prod.json.attrs`) | deleted |",
        "| lock of pulumi (pid 8763 on host vm), taken at 2026-11-29T10:33:54Z; the process has ended | removed (`pulumi cancel`); the interrupted run started then |",
        "| 2 creates in flight when the run ended: `b`, `a` | recorded, then cleared from the checkpoint (`pulumi refresh --clear-pending-creates`) |",
        "| 1 source registered by those creates | adopted: `b` (id 9) |",
        "| 1 source in Immuta with a declared name or prefix that the interrupted run did not register | refused, not adopted: `squat` (see the errors below) |",
        "",
      ].join("\n"),
    );
  });

  it("says why it stopped, and what to run next after --prepare-only", () => {
    expect(
      renderRecovery({ ...base, locks: [{ lock, holder: "running" }], stopped: "Wait.\nThen again." }),
    ).toContain(
      "| lock of pulumi (pid 8763 on host vm), taken at 2026-11-29T10:33:54Z; the process still runs | kept |\n\n" +
        "> **Stopped:** Wait.\n> Then again.\n",
    );
    expect(renderRecovery(base)).toContain("| no lock, no interrupted operation | – |");
    expect(
      renderRecovery({
        ...base,
        next: "PULUMI_IMMUTA_RECOVERY_FILE=/tmp/r.json pulumi up --stack prod",
        recoveryFile: "/tmp/r.json",
        validUntil: "2026-11-29T11:40:00.000Z",
      }),
    ).toContain(
      "Next: run `PULUMI_IMMUTA_RECOVERY_FILE=/tmp/r.json pulumi up --stack prod` before 2026-11-29T11:40:00.000Z.",
    );
  });
});
