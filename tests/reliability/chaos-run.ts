/**
 * A chaos run through the real Pulumi engine: `up`, `refresh` and `destroy` of many sources while the emulator
 * injects seeded transient faults and random latency into a share of all Immuta requests. Each phase is re-run, as
 * a user would, until it succeeds (bounded). Shared by tests/reliability/chaos.test.ts (in `npm test`) and the
 * longer tests/soak run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { FaultRule, RequestLogEntry, StoreSnapshot } from "../../emulator";
import { API_KEY, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { createTestStack, deploymentOf, immutaResources, type TestStack } from "../e2e/support/stack";
import type { ChaosData } from "./report/render";

export interface ChaosOptions {
  sources: number;
  /** Share (0..1) of Immuta requests that get one of the transient faults. */
  faultRate: number;
  /** Every request not faulted waits a random 0..latencyJitterMs ms first. */
  latencyJitterMs: number;
  seed: number;
  /** Runs allowed per phase (the first one included) before the chaos run counts as not converging. */
  maxRunsPerPhase: number;
  /** The provider's per-request timeout (stack config `immuta:requestTimeoutMs`); `slow` faults exceed it. */
  requestTimeoutMs: number;
}

export type Phase = "up" | "refresh" | "destroy";

export interface RunRecord {
  phase: Phase;
  run: number;
  succeeded: boolean;
  /** Resources whose operation failed in this run. */
  failedResources: number;
  durationMs: number;
  /** First line of each distinct error the engine reported, with how many resources showed it. */
  errors: Map<string, number>;
  /** Every error message the engine reported for a resource, in full. */
  messages: string[];
}

export interface PhaseRequests {
  total: number;
  /** POSTs to /native-s3/handler. */
  creates: number;
  faults: Record<string, number>;
  /** The faults injected into those POSTs. */
  createFaults: Record<string, number>;
}

export interface ChaosResult {
  options: ChaosOptions;
  runs: RunRecord[];
  /** Immuta requests per phase, and the faults injected into them. */
  requests: Record<Phase, PhaseRequests>;
  /** After the up phase converged. */
  afterUp: StoreSnapshot;
  /** Ids of the resources Pulumi's state holds after the up phase. */
  stateIdsAfterUp: number[];
  afterDestroy: StoreSnapshot;
  /** POSTs to /native-s3/handler that Immuta processed and answered (or would have answered) 200. */
  processedCreates: number;
  /** POSTs that found the name or prefix taken (a blind resend would show here). */
  conflictedCreates: number;
  /** Creates Immuta processed although the client saw a fault (dropped connection, held answer). */
  ambiguousCreates: number;
  totalMs: number;
}

/** The transient faults: answered with a status that says "try again", or cut off on the network. */
const TRANSIENT_KINDS = (requestTimeoutMs: number): Omit<FaultRule, "probability">[] => [
  { kind: "status", status: 429, retryAfter: "1" },
  { kind: "status", status: 503 },
  { kind: "status", status: 502, htmlBody: true },
  { kind: "reset" },
  { kind: "process-then-drop" },
  { kind: "slow", slowMs: requestTimeoutMs + 500 },
];

/**
 * Rules are tried in order and the first whose draw succeeds applies, so rule k gets probability
 * `share / (1 - (k-1)·share)`: every kind then hits `faultRate / kinds` of all requests, and the rest get latency.
 */
export function chaosRules(options: ChaosOptions): FaultRule[] {
  const kinds = TRANSIENT_KINDS(options.requestTimeoutMs);
  const share = options.faultRate / kinds.length;
  const rules: FaultRule[] = kinds.map((kind, index) => ({
    ...kind,
    probability: share / (1 - index * share),
  }));
  rules.push({ kind: "latency", latencyMs: 0, latencyJitterMs: options.latencyJitterMs });
  return rules;
}

export function declaredSources(count: number): Record<string, unknown> {
  const sources: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    sources[`chaos${index}`] = {
      integrationId: 1,
      prefix: `s3://chaos-${index}/raw/`,
      dataSourceName: `chaos-${index}`,
    };
  }
  return sources;
}

/** The first line of an error, with ids replaced, so that the same failure of different resources groups. */
function firstLine(message: string): string {
  // Go's multierror starts with "1 error occurred:"; the error itself is on a later line.
  const lines = message.split("\n").map((line) => line.replace(/^\s*\*\s*/, "").trim());
  return (lines.find((line) => line !== "" && !/^\d+ errors? occurred:?$/.test(line)) ?? "")
    .replace(/chaos-\d+/g, "chaos-N")
    .replace(/\bid \d+/g, "id N")
    .replace(/\/(dataSource|handler)\/\d+/g, "/$1/N")
    .slice(0, 240);
}

/** One engine command, re-run until it succeeds or the budget is spent. */
async function untilConverged(
  phase: Phase,
  maxRuns: number,
  command: (onEvent: (event: EngineEvent) => void) => Promise<unknown>,
  runs: RunRecord[],
): Promise<void> {
  for (let run = 1; run <= maxRuns; run++) {
    const failed = new Set<string>();
    const errors = new Map<string, number>();
    const messages: string[] = [];
    const onEvent = (event: EngineEvent) => {
      if (event.resOpFailedEvent) failed.add(event.resOpFailedEvent.metadata.urn);
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === "error" && diagnostic.urn?.includes("immuta:S3DataSource")) {
        messages.push(diagnostic.message);
        const line = firstLine(diagnostic.message);
        errors.set(line, (errors.get(line) ?? 0) + 1);
      }
    };
    const startedAt = Date.now();
    let succeeded = true;
    try {
      await command(onEvent);
    } catch {
      succeeded = false;
    }
    runs.push({
      phase,
      run,
      succeeded,
      failedResources: failed.size,
      durationMs: Date.now() - startedAt,
      errors,
      messages,
    });
    if (succeeded) return;
  }
  throw new Error(`${phase} did not converge within ${maxRuns} runs`);
}

function faultsOf(log: RequestLogEntry[]): Record<string, number> {
  const faults: Record<string, number> = {};
  for (const entry of log) {
    if (!entry.fault || entry.fault === "latency") continue;
    const kind = entry.fault === "status" ? String(entry.status) : entry.fault;
    faults[kind] = (faults[kind] ?? 0) + 1;
  }
  return faults;
}

const isCreate = (entry: RequestLogEntry) => entry.method === "POST" && entry.path === "/native-s3/handler";

function summarise(log: RequestLogEntry[]): PhaseRequests {
  const creates = log.filter(isCreate);
  return {
    total: log.length,
    creates: creates.length,
    faults: faultsOf(log),
    createFaults: faultsOf(creates),
  };
}

async function stateIds(test: TestStack): Promise<number[]> {
  return immutaResources(await deploymentOf(test.stack))
    .map((resource) => Number(resource.id))
    .sort((a, b) => a - b);
}

/**
 * Runs the three phases. The emulator and stack are created here and always disposed; assertions are left to the
 * caller, which gets everything it needs in the result.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const startedAt = Date.now();
  let immuta: TestEmulator | undefined;
  let test: TestStack | undefined;
  try {
    immuta = await startTestEmulator({ seed: options.seed });
    const emulator = immuta;
    test = await createTestStack({
      immutaUrl: emulator.emulator.url,
      apiKey: API_KEY,
      sources: declaredSources(options.sources),
    });
    const stack = test.stack;
    await stack.setConfig("immuta:requestTimeoutMs", { value: String(options.requestTimeoutMs) });
    await emulator.control.setFaults(chaosRules(options), { seed: options.seed });

    const runs: RunRecord[] = [];
    const requests = {} as ChaosResult["requests"];
    const phase = async (
      name: Phase,
      command: (onEvent: (event: EngineEvent) => void) => Promise<unknown>,
    ) => {
      await emulator.control.clearRequests();
      await untilConverged(name, options.maxRunsPerPhase, command, runs);
      // A held (`slow`) answer is logged when its hold ends: let the last one land in this phase's log.
      await sleep(options.requestTimeoutMs + 1_000);
      const log = await emulator.control.requests();
      requests[name] = summarise(log);
      return log;
    };

    const upLog = await phase("up", (onEvent) => stack.up({ onEvent }));
    const afterUp = await emulator.control.store();
    const stateIdsAfterUp = await stateIds(test);
    await phase("refresh", (onEvent) => stack.refresh({ onEvent }));
    await phase("destroy", (onEvent) => stack.destroy({ onEvent }));
    const afterDestroy = await emulator.control.store();

    const creates = upLog.filter(isCreate);
    return {
      options,
      runs,
      requests,
      afterUp,
      stateIdsAfterUp,
      afterDestroy,
      processedCreates: creates.filter((entry) => entry.status === 200).length,
      conflictedCreates: creates.filter((entry) => entry.status === 409).length,
      ambiguousCreates: creates.filter(
        (entry) => entry.status === 200 && (entry.fault === "process-then-drop" || entry.fault === "slow"),
      ).length,
      totalMs: Date.now() - startedAt,
    };
  } finally {
    await test?.dispose();
    await immuta?.emulator.close();
  }
}

/** The plain data the report renders (tests/reliability/report/render.ts). */
export function chaosData(result: ChaosResult): ChaosData {
  return {
    options: result.options,
    runs: result.runs.map(({ phase, run, succeeded, failedResources, durationMs, errors }) => ({
      phase,
      run,
      succeeded,
      failedResources,
      durationMs,
      errors: [...errors].map(([line, count]) => ({ line, count })),
    })),
    requests: result.requests,
    processedCreates: result.processedCreates,
    conflictedCreates: result.conflictedCreates,
    ambiguousCreates: result.ambiguousCreates,
    registered: result.afterUp.nextIds.dataSourceId - 1,
    afterUp: {
      sources: result.afterUp.dataSources.length,
      distinctNames: new Set(result.afterUp.dataSources.map((source) => source.name)).size,
      distinctPrefixes: new Set(result.afterUp.dataSources.map((source) => source.prefix)).size,
      stateResources: result.stateIdsAfterUp.length,
    },
    afterDestroySources: result.afterDestroy.dataSources.length,
    totalMs: result.totalMs,
  };
}
