/**
 * The fault matrix: create, read, update and delete, each against every kind of failure Immuta (or the network in
 * front of it) can produce, once and persistently. Each cell asserts what a user would notice — the requests Immuta
 * received, whether the operation converged or the message it failed with, what Pulumi keeps in state and what
 * Immuta holds — and the observations become the tables of docs/reliability.md (`npm run docs`).
 *
 * The provider's methods are called as the engine calls them (tests/provider/support.ts), against the emulator over
 * real HTTP, with a clock whose waits return at once (backoff and Retry-After are recorded, not slept) and the
 * backoff's jitter fixed, so that the recorded waits are the same in every run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  EmulatorControl,
  startEmulator,
  type FaultRule,
  type RequestLogEntry,
  type RunningEmulator,
  type StoredDataSource,
} from "../../emulator";
import type { Clock, ImmutaClientOptions, RetryEvent } from "../../provider/client";
import { PartialFailureError } from "../../provider/core/errors";
import { createProvider } from "../../provider/resource-provider";
import { Engine, expectCredentialFree, type Props } from "../provider/support";
import { SectionRecorder } from "./report/recorder";
import {
  OPERATIONS,
  type FaultMatrixData,
  type FaultMatrixRow,
  type Operation,
  type Outcome,
} from "./report/render";

jest.setTimeout(60_000);

const API_KEY = "fault-matrix-key-5b0e7c21d9";
/** Per-request timeout of the providers under test; a `slow` answer is held longer than this. */
const REQUEST_TIMEOUT_MS = 2_000;
const SLOW_MS = 2_600;

/** The request each operation's faults are aimed at (`{id}`: the source's id). */
const TARGET: Record<Operation, { method: string; path: string; label: string }> = {
  create: { method: "POST", path: "/native-s3/handler", label: "`POST /native-s3/handler`" },
  read: { method: "GET", path: "/dataSource/{id}", label: "`GET /dataSource/{id}`" },
  update: { method: "PUT", path: "/dataSource/{id}", label: "`PUT /dataSource/{id}` (restore)" },
  delete: { method: "DELETE", path: "/dataSource/{id}", label: "`DELETE /dataSource/{id}`" },
};

interface FaultCase {
  key: string;
  label: string;
  /** The rule's fault part; method, path and `times` are added per operation. Absent: expired bearer tokens. */
  rule?: Omit<FaultRule, "method" | "path">;
}

const FAULTS: FaultCase[] = [
  {
    key: "429",
    label: "429 with `Retry-After: 1`",
    rule: { kind: "status", status: 429, retryAfter: "1" },
  },
  { key: "503", label: "503", rule: { kind: "status", status: 503 } },
  { key: "502", label: "502 with an HTML body", rule: { kind: "status", status: 502, htmlBody: true } },
  { key: "reset", label: "connection reset before the response", rule: { kind: "reset" } },
  { key: "drop", label: "processed, then connection dropped", rule: { kind: "process-then-drop" } },
  {
    key: "slow",
    label: `processed, answer after ${SLOW_MS} ms (timeout ${REQUEST_TIMEOUT_MS} ms)`,
    rule: { kind: "slow", slowMs: SLOW_MS },
  },
  { key: "invalid-json", label: "200 with truncated JSON", rule: { kind: "invalid-json" } },
  { key: "schema", label: "200 with schema-violating JSON", rule: { kind: "schema-violation" } },
  { key: "401", label: "401: bearer token expired (`expireTokens`)" },
];

/** What each cell must show. `target`: statuses of the faulted endpoint's requests, in order. */
interface Expectation {
  succeeds: boolean;
  target: string[];
  /** The error message must match (failures only). */
  message?: RegExp;
  /** Further requests that must appear, e.g. the look-up after an ambiguous POST. */
  alsoSent?: string[];
  /** A wait the client must have asked for (Retry-After), in ms. */
  waited?: number;
  /** What Immuta must hold for the declaration afterwards; default: what the operation's success or failure implies. */
  holds?: Holds;
}

type Holds = "enabled" | "disabled" | "none";

function defaultHolds(operation: Operation, succeeded: boolean): Holds {
  switch (operation) {
    case "create":
      return succeeded ? "enabled" : "none";
    case "read":
      return "enabled";
    case "update":
      return succeeded ? "enabled" : "disabled";
    case "delete":
      return succeeded ? "none" : "enabled";
  }
}

const ok = (target: string[], extra: Omit<Expectation, "succeeds" | "target"> = {}): Expectation => ({
  succeeds: true,
  target,
  ...extra,
});
const fails = (target: string[], message: RegExp, holds?: Holds): Expectation => ({
  succeeds: false,
  target,
  message,
  ...(holds ? { holds } : {}),
});

const INVALID_BODY = /unexpected response from .*(not JSON|must be)/s;
const LOOKED_UP = ["GET /dataSource/name/{name} 404"];

const EXPECTED: Record<Operation, Record<string, Expectation>> = {
  create: {
    "429": ok(["429", "200"], { waited: 1_000 }),
    "503": ok(["503", "200"]),
    "502": ok(["502", "200"], { alsoSent: LOOKED_UP }),
    reset: ok(["reset", "200"], { alsoSent: LOOKED_UP }),
    drop: ok(["200 dropped"], { alsoSent: ["GET /dataSource/name/{name} 200"] }),
    slow: ok(["200 held"], { alsoSent: ["GET /dataSource/name/{name} 200"] }),
    "invalid-json": ok(["200 invalid-json"], { alsoSent: ["GET /dataSource/name/{name} 200"] }),
    schema: ok(["200 schema-violation"], { alsoSent: ["GET /dataSource/name/{name} 200"] }),
    "401": ok(["401", "200"], { alsoSent: ["POST /bim/apikey/authenticate 200"] }),
  },
  read: {
    "429": ok(["429", "200"], { waited: 1_000 }),
    "503": ok(["503", "200"]),
    "502": ok(["502", "200"]),
    reset: ok(["reset", "200"]),
    drop: ok(["200 dropped", "200"]),
    slow: ok(["200", "200 held"]),
    "invalid-json": fails(
      ["200 invalid-json"],
      new RegExp(`Refreshing data source .*${INVALID_BODY.source}`, "s"),
    ),
    schema: fails(
      ["200 schema-violation"],
      new RegExp(`Refreshing data source .*${INVALID_BODY.source}`, "s"),
    ),
    "401": ok(["401", "200"], { alsoSent: ["POST /bim/apikey/authenticate 200"] }),
  },
  update: {
    "429": ok(["429", "200"], { waited: 1_000 }),
    "503": ok(["503", "200"]),
    "502": ok(["502", "200"]),
    reset: ok(["reset", "200"]),
    drop: ok(["200 dropped", "200"]),
    slow: ok(["200", "200 held"]),
    // The PUT was processed (the source is restored); only its answer was unusable.
    "invalid-json": fails(
      ["200 invalid-json"],
      new RegExp(`Updating data source .*${INVALID_BODY.source}`, "s"),
      "enabled",
    ),
    schema: fails(
      ["200 schema-violation"],
      new RegExp(`Updating data source .*${INVALID_BODY.source}`, "s"),
      "enabled",
    ),
    "401": ok(["401", "200"], { alsoSent: ["POST /bim/apikey/authenticate 200"] }),
  },
  delete: {
    "429": ok(["429", "200", "200"], { waited: 1_000 }),
    "503": ok(["503", "200", "200"]),
    "502": ok(["502", "200", "200"]),
    reset: ok(["reset", "200", "200"]),
    drop: ok(["200 dropped", "200"]),
    slow: ok(["200", "200 held"]),
    // The first DELETE was processed (the source is disabled); only its answer was unusable.
    "invalid-json": fails(
      ["200 invalid-json"],
      new RegExp(`Deleting data source .*${INVALID_BODY.source}`, "s"),
      "disabled",
    ),
    schema: fails(
      ["200 schema-violation"],
      new RegExp(`Deleting data source .*${INVALID_BODY.source}`, "s"),
      "disabled",
    ),
    "401": ok(["401", "200", "200"], { alsoSent: ["POST /bim/apikey/authenticate 200"] }),
  },
};

/** Faults on every attempt: the budget runs out and the operation must fail with a message saying what to do. */
const PERSISTENT: FaultCase[] = [
  { key: "503", label: "503 on every attempt", rule: { kind: "status", status: 503 } },
  { key: "500", label: "500 on every attempt", rule: { kind: "status", status: 500 } },
  { key: "reset", label: "reset on every attempt", rule: { kind: "reset" } },
];

const PERSISTENT_EXPECTED: Record<Operation, Record<string, { target: string[]; message: RegExp }>> = {
  create: {
    "503": { target: Array<string>(5).fill("503"), message: /HTTP 503 .*Gave up after 5 attempts/s },
    "500": {
      target: ["500", "500"],
      message:
        /failed twice with an ambiguous outcome .*HTTP 500.*Nothing was left behind; run pulumi up again/s,
    },
    reset: {
      target: ["reset", "reset"],
      message:
        /failed twice with an ambiguous outcome .*ECONNRESET.*Nothing was left behind; run pulumi up again/s,
    },
  },
  read: {
    "503": {
      target: Array<string>(5).fill("503"),
      message: /Refreshing data source .*HTTP 503 .*Gave up after 5 attempts/s,
    },
    "500": { target: ["500"], message: /Refreshing data source .*HTTP 500 .*retry later/s },
    reset: {
      target: Array<string>(5).fill("reset"),
      message: /Refreshing data source .*ECONNRESET.*Gave up after 5 attempts/s,
    },
  },
  update: {
    "503": {
      target: Array<string>(5).fill("503"),
      message: /Updating data source .*HTTP 503 .*Gave up after 5 attempts/s,
    },
    "500": { target: ["500"], message: /Updating data source .*HTTP 500 .*retry later/s },
    reset: {
      target: Array<string>(5).fill("reset"),
      message: /Updating data source .*ECONNRESET.*Gave up after 5 attempts/s,
    },
  },
  delete: {
    "503": {
      target: Array<string>(5).fill("503"),
      message: /Deleting data source .*HTTP 503 .*Gave up after 5 attempts/s,
    },
    "500": { target: ["500"], message: /Deleting data source .*HTTP 500 .*retry later/s },
    reset: {
      target: Array<string>(5).fill("reset"),
      message: /Deleting data source .*ECONNRESET.*Gave up after 5 attempts/s,
    },
  },
};

/** Waits are recorded and skipped, so Retry-After and backoff cost no real time. */
class FastClock implements Clock {
  private offsetMs = 0;
  readonly waits: number[] = [];
  now(): number {
    return Date.now() + this.offsetMs;
  }
  sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.offsetMs += ms;
    return Promise.resolve();
  }
}

/** Every cell: the operations times (faults once + persistent faults), plus the edge cases. */
const report = new SectionRecorder(
  "fault-matrix",
  OPERATIONS.length * (FAULTS.length + PERSISTENT.length) + 3,
);
let emulator: RunningEmulator;
let control: EmulatorControl;
const observed: FaultMatrixData = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  targets: {
    create: TARGET.create.label,
    read: TARGET.read.label,
    update: TARGET.update.label,
    delete: TARGET.delete.label,
  },
  once: [],
  persistent: [],
  edgeCases: [],
};

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY });
  control = new EmulatorControl(emulator.url, emulator.adminToken);
});

afterAll(async () => {
  await emulator?.close();
});

interface Cell {
  engine: Engine;
  clock: FastClock;
  retries: RetryEvent[];
  close(): void;
}

function newProvider(bearer: boolean, overrides: Partial<ImmutaClientOptions> = {}): Cell {
  const clock = new FastClock();
  const retries: RetryEvent[] = [];
  const provider = createProvider({
    env: {
      IMMUTA_URL: emulator.url,
      IMMUTA_API_KEY: API_KEY,
      IMMUTA_AUTH_MODE: bearer ? "bearer" : "apiKey",
    },
    clientOptions: {
      clock,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      onRetry: (event) => retries.push(event),
      // The middle of the jitter range: the same backoff in every run, so the table's waits do not vary.
      random: () => 0.5,
      ...overrides,
    },
  });
  return { engine: new Engine(provider), clock, retries, close: () => provider.close() };
}

const declaration = (tag: string): Props => ({
  integrationId: 1,
  prefix: `s3://matrix-${tag}/raw`,
  dataSourceName: `matrix ${tag}`,
});

/** `POST 200 dropped`, `GET /dataSource/name/{name} 404`: one request as the tables show it. */
function describeRequest(entry: RequestLogEntry, withPath: boolean): string {
  const status = entry.status === 0 ? "reset" : String(entry.status);
  const fault =
    entry.fault === "process-then-drop"
      ? " dropped"
      : entry.fault === "slow"
        ? " held"
        : entry.fault === "invalid-json" || entry.fault === "schema-violation"
          ? ` ${entry.fault}`
          : "";
  if (!withPath) return `${status}${fault}`;
  const path = entry.path
    .replace(/^\/dataSource\/name\/.*/, "/dataSource/name/{name}")
    .replace(/^\/dataSource\/\d+$/, "/dataSource/{id}")
    .replace(/^\/native-s3\/handler\/\d+$/, "/native-s3/handler/{handlerId}");
  return `${entry.method} ${path}${entry.query ? "?…" : ""} ${status}${fault}`;
}

const isTarget = (operation: Operation, entry: RequestLogEntry, dataSourceId: number | undefined) =>
  entry.method === TARGET[operation].method &&
  entry.path === TARGET[operation].path.replace("{id}", String(dataSourceId));

/** A `slow` answer is logged when its hold ends: wait for it, so it cannot land in the next cell's log. */
async function settled(rule: FaultCase["rule"]): Promise<RequestLogEntry[]> {
  const giveUpAt = Date.now() + SLOW_MS + 5_000;
  for (;;) {
    const log = await control.requests();
    if (rule?.kind !== "slow" || log.some((entry) => entry.fault === "slow") || Date.now() > giveUpAt)
      return log;
    await sleep(50);
  }
}

function describeSources(sources: StoredDataSource[]): string {
  if (sources.length === 0) return "no source";
  return sources.map((source) => `id ${source.id}, ${source.deleted ? "disabled" : "enabled"}`).join("; ");
}

type Observation = Omit<FaultMatrixRow, "operation" | "faultKey" | "fault">;

/** A port varies between runs, and is not what a message is about. */
const withoutPorts = (text: string) => text.replace(/(127\.0\.0\.1|localhost):\d+/g, "$1:<port>");

const failed = (error: Error): Outcome => ({ converged: false, message: withoutPorts(error.message) });

/**
 * Runs one operation against one fault: sets up the source the operation needs, installs the fault, runs the
 * operation as the engine would, then (after a failure) runs it again as the user's next `pulumi` command would.
 */
async function runCell(
  operation: Operation,
  fault: FaultCase,
  tag: string,
  times: number | undefined,
  expectation: Expectation,
): Promise<Observation> {
  await control.reset();
  const bearer = fault.rule === undefined;
  const cell = newProvider(bearer);
  try {
    const { engine } = cell;
    const inputs = await engine.check(declaration(tag));
    let id: string | undefined;
    let outs: Props | undefined;
    if (operation === "create") {
      // Bearer mode: a first request gives the provider the token that will expire.
      if (bearer) await engine.create(await engine.check(declaration(`${tag}-warm-up`)));
    } else {
      ({ id, outs } = await engine.create(inputs));
    }
    if (operation === "update") {
      await control.mutateDataSource(Number(id), { deleted: true });
      outs = (await engine.read(id!, outs!)).props!;
      expect(outs.disabled).toBe(true);
    }
    const dataSourceId = id === undefined ? undefined : Number(id);
    const before = await control.store();
    await control.clearRequests();
    if (fault.rule) {
      const target = TARGET[operation];
      await control.setFaults([
        {
          method: target.method,
          path: target.path.replace("{id}", String(dataSourceId)),
          ...(times === undefined ? {} : { times }),
          ...fault.rule,
        },
      ]);
    } else {
      await control.expireTokens();
    }

    const run = async (): Promise<Props | undefined> => {
      switch (operation) {
        case "create": {
          const created = await engine.create(inputs);
          id = created.id;
          return created.outs;
        }
        case "read":
          return (await engine.read(id!, outs!)).props;
        case "update":
          return engine.update(id!, outs!, inputs);
        case "delete":
          await engine.delete(id!, outs!);
          return undefined;
      }
    };
    let result: Props | undefined;
    let failure: (Error & Record<string, unknown>) | undefined;
    try {
      result = await run();
    } catch (error) {
      failure = error as Error & Record<string, unknown>;
    }
    const log = await settled(fault.rule);
    await control.clearFaults();
    const after = await control.store();
    const mine = after.dataSources.filter((source) => source.name === inputs.dataSourceName);

    // What a user notices, asserted.
    const target = log.filter((entry) => isTarget(operation, entry, dataSourceId ?? Number(id)));
    expect(target.map((entry) => describeRequest(entry, false))).toEqual(expectation.target);
    for (const request of expectation.alsoSent ?? []) {
      expect(log.map((entry) => describeRequest(entry, true))).toContain(request);
    }
    if (expectation.waited !== undefined) {
      expect(cell.clock.waits).toContain(expectation.waited);
      expect(cell.retries[0]?.reason).toMatch(/^HTTP 429/);
    }
    if (expectation.succeeds) {
      expect(failure).toBeUndefined();
    } else {
      expect(failure).toBeInstanceOf(Error);
      expect(failure!.message).toMatch(expectation.message!);
      expectCredentialFree(failure, API_KEY);
    }
    // Never two sources for one declaration, and never more than one registered by this operation.
    expect(mine.length).toBeLessThanOrEqual(1);
    const registered = after.nextIds.dataSourceId - before.nextIds.dataSourceId;
    expect(registered).toBe(
      operation === "create" && (failure === undefined || failure instanceof PartialFailureError) ? 1 : 0,
    );

    let state: string;
    let rerun: Observation["rerun"];
    switch (operation) {
      case "create":
        if (failure instanceof PartialFailureError)
          state = `resource kept with id ${failure.id} (partial failure)`;
        else if (failure) state = "no resource";
        else {
          expect(mine).toHaveLength(1);
          expect(result).toMatchObject({
            dataSourceId: mine[0].id,
            handlerId: mine[0].handlerId,
            disabled: false,
          });
          state = `resource id ${id} = Immuta's source`;
        }
        break;
      case "read":
        if (failure) state = "previous state kept (the refresh fails)";
        else {
          expect(result).toMatchObject({ dataSourceId: dataSourceId, disabled: false, status: "passed" });
          state = "refreshed, no drift";
        }
        break;
      case "update":
        if (failure) state = "previous state kept (`disabled: true`)";
        else {
          expect(result).toMatchObject({ disabled: false });
          state = "`disabled: false`";
        }
        break;
      case "delete":
        if (failure) state = "resource kept";
        else state = "resource removed";
        break;
    }
    const holds = expectation.holds ?? defaultHolds(operation, failure === undefined);
    expect(mine.map((source) => (source.deleted ? "disabled" : "enabled"))).toEqual(
      holds === "none" ? [] : [holds],
    );
    const immuta = describeSources(mine);

    if (failure) {
      // The user runs the same pulumi command again, Immuta healthy: it must converge.
      await control.clearRequests();
      await run();
      const healed = (await control.store()).dataSources.filter((s) => s.name === inputs.dataSourceName);
      const expectedAfterRerun = operation === "delete" ? [] : [expect.objectContaining({ deleted: false })];
      expect(healed).toEqual(expectedAfterRerun);
      const rerunLog = await control.requests();
      rerun = {
        received: rerunLog.map((entry) => describeRequest(entry, true)),
        immuta: describeSources(healed),
      };
    }

    return {
      received: log.map((entry) => describeRequest(entry, true)),
      outcome: failure
        ? failed(failure)
        : {
            converged: true,
            retries: cell.retries.map((retry) => ({ delayMs: retry.delayMs, reason: retry.reason })),
          },
      state,
      immuta,
      ...(rerun ? { rerun } : {}),
    };
  } finally {
    cell.close();
  }
}

describe.each(OPERATIONS)("%s", (operation) => {
  it.each(FAULTS.map((fault) => [fault.label, fault] as const))(
    "once: %s",
    report.gated(async (_label, fault) => {
      const cell = await runCell(
        operation,
        fault,
        `${operation}-${fault.key}`,
        1,
        EXPECTED[operation][fault.key],
      );
      observed.once.push({ operation, faultKey: fault.key, fault: fault.label, ...cell });
    }),
  );

  it.each(PERSISTENT.map((fault) => [fault.label, fault] as const))(
    "persistently: %s",
    report.gated(async (_label, fault) => {
      const expected = PERSISTENT_EXPECTED[operation][fault.key];
      const cell = await runCell(operation, fault, `${operation}-always-${fault.key}`, undefined, {
        succeeds: false,
        target: expected.target,
        message: expected.message,
      });
      observed.persistent.push({ operation, faultKey: fault.key, fault: fault.label, ...cell });
    }),
  );
});

describe("ambiguous create, edge cases", () => {
  it(
    "Immuta renames sources (names: generate) and the answer is dropped: found by prefix and adopted",
    report.gated(async () => {
      await control.reset();
      await control.setModes({ names: "generate" });
      const cell = newProvider(false);
      try {
        const inputs = await cell.engine.check(declaration("generated"));
        await control.setFaults([
          { method: "POST", path: "/native-s3/handler", kind: "process-then-drop", times: 1 },
        ]);
        const { id, outs } = await cell.engine.create(inputs);
        const stored = (await control.store()).dataSources;
        expect(stored).toHaveLength(1);
        expect(stored[0].name).toBe("s3://matrix-generated/raw (123*****9012/us-east-2)");
        expect(outs).toMatchObject({
          dataSourceId: stored[0].id,
          immutaName: stored[0].name,
        });
        const log = await control.requests();
        expect(log.filter((entry) => entry.method === "POST")).toHaveLength(1);
        expect(log.some((entry) => entry.path === "/dataSource" && entry.query?.includes("searchText"))).toBe(
          true,
        );
        observed.edgeCases.push({
          situation: "processed, then dropped, while Immuta names sources itself (`names: generate`)",
          received: log.map((entry) => describeRequest(entry, true)),
          outcome: {
            converged: true,
            retries: [],
            note: "not found by name, found by a search for the prefix, adopted",
          },
          stateAndImmuta: `resource id ${id}; ${describeSources(stored)}`,
        });
      } finally {
        cell.close();
      }
    }),
  );

  it(
    "another source holds the declared name with another prefix: fails, saying how to resolve it, creates nothing",
    report.gated(async () => {
      await control.reset();
      const holder = await control.seedDataSource({
        name: "matrix squatter",
        prefix: "s3://someone-else/data",
      });
      const cell = newProvider(false);
      try {
        const inputs = await cell.engine.check({
          ...declaration("squatter"),
          dataSourceName: "matrix squatter",
        });
        await control.setFaults([
          { method: "POST", path: "/native-s3/handler", kind: "status", status: 502, times: 1 },
        ]);
        const error = await cell.engine.create(inputs).then(
          () => undefined,
          (failure: Error) => failure,
        );
        expect(error?.message).toMatch(
          new RegExp(
            `ambiguous outcome, and Immuta now holds a source with that name that is not the declared one \\(id ${holder.id}\\).*prefix: Immuta has s3://someone-else/data.*Rename the declaration, or delete that source in Immuta`,
            "s",
          ),
        );
        const log = await control.requests();
        expect(log.filter((entry) => entry.method === "POST")).toHaveLength(1);
        const stored = (await control.store()).dataSources;
        expect(stored).toEqual([
          expect.objectContaining({ id: holder.id, prefix: "s3://someone-else/data" }),
        ]);
        observed.edgeCases.push({
          situation: "502 while another source holds the declared name (another prefix)",
          received: log.map((entry) => describeRequest(entry, true)),
          outcome: failed(error!),
          stateAndImmuta: `no resource; ${describeSources(stored)} (the other source, untouched)`,
        });
      } finally {
        cell.close();
      }
    }),
  );

  it(
    "the read-back after a successful POST fails: a partial failure keeps the id, the next up finishes it",
    report.gated(async () => {
      await control.reset();
      const cell = newProvider(false);
      try {
        const inputs = await cell.engine.check(declaration("partial"));
        await control.setFaults([{ method: "GET", path: "/dataSource/*", kind: "status", status: 500 }]);
        const error = (await cell.engine.create(inputs).then(
          () => undefined,
          (failure: Error) => failure,
        )) as PartialFailureError;
        expect(error).toBeInstanceOf(PartialFailureError);
        const stored = (await control.store()).dataSources;
        expect(stored).toHaveLength(1);
        expect(error.id).toBe(String(stored[0].id));
        expect(error.message).toMatch(
          /was created in Immuta, but reading it back failed: .*HTTP 500.*run pulumi up again to finish/s,
        );
        const log = await control.requests();
        await control.clearFaults();
        const finished = await cell.engine.update(
          error.id,
          { ...error.properties, __provider: "ref" },
          inputs,
        );
        expect(finished).toMatchObject({
          dataSourceId: stored[0].id,
          handlerId: stored[0].handlerId,
          status: "passed",
        });
        expect((await control.store()).dataSources).toHaveLength(1);
        observed.edgeCases.push({
          situation: "`GET /dataSource/{id}` (read-back) answers 500 after the POST succeeded",
          received: log.map((entry) => describeRequest(entry, true)),
          outcome: failed(error),
          stateAndImmuta: `resource kept with id ${error.id} (partial failure); the next up completes it through update (GETs only)`,
        });
      } finally {
        cell.close();
      }
    }),
  );
});

it("docs/reliability.md's fault matrix shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed);
});
