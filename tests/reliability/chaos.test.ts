/**
 * Chaos through the real engine: `up`, `refresh` and `destroy` of 100 sources while 20% of Immuta's answers are
 * transient faults and the rest arrive after random latency. Every phase converges within a bounded number of
 * re-runs; Immuta never holds a duplicate, ends empty, and registered each declaration exactly once.
 * A bigger, slower run sits behind `npm run test:soak` (tests/soak).
 */
import { chaosData, declaredSources, runChaos, type ChaosOptions, type ChaosResult } from "./chaos-run";
import { SectionRecorder } from "./report/recorder";

jest.setTimeout(360_000);

const OPTIONS: ChaosOptions = {
  sources: 100,
  faultRate: 0.2,
  latencyJitterMs: 40,
  seed: 11,
  maxRunsPerPhase: 5,
  requestTimeoutMs: 1_500,
};

const report = new SectionRecorder("chaos", 3);
let result: ChaosResult | undefined;

beforeAll(async () => {
  result = await runChaos(OPTIONS);
});

it(
  "each phase converges within the bounded number of runs, and faults were really injected",
  report.gated(() => {
    const { runs, requests } = result!;
    for (const phase of ["up", "refresh", "destroy"] as const) {
      const ofPhase = runs.filter((run) => run.phase === phase);
      expect(ofPhase.length).toBeLessThanOrEqual(OPTIONS.maxRunsPerPhase);
      expect(ofPhase[ofPhase.length - 1].succeeded).toBe(true);
      const { total, faults } = requests[phase];
      const injected = Object.values(faults).reduce((sum, count) => sum + count, 0);
      // The seeded 20% is a rate over many requests: allow sampling noise, not a run without faults.
      expect(injected / total).toBeGreaterThan(0.12);
      expect(injected / total).toBeLessThan(0.28);
      expect(Object.keys(faults).sort()).toEqual(["429", "502", "503", "process-then-drop", "reset", "slow"]);
    }
    // The creates themselves were faulted too (each fault kind's share of ~100 POSTs is ~3%).
    const createFaults = Object.values(requests.up.createFaults).reduce((sum, count) => sum + count, 0);
    expect(createFaults / requests.up.creates).toBeGreaterThan(0.08);
  }),
);

it(
  "up registers every declared source exactly once: no duplicate ever existed",
  report.gated(() => {
    const { afterUp, stateIdsAfterUp, processedCreates } = result!;
    const declared = Object.values(declaredSources(OPTIONS.sources)) as { dataSourceName: string }[];
    expect(afterUp.dataSources.map((source) => source.name).sort()).toEqual(
      declared.map((source) => source.dataSourceName).sort(),
    );
    expect(afterUp.dataSources.every((source) => !source.deleted)).toBe(true);
    expect(new Set(afterUp.dataSources.map((source) => source.prefix)).size).toBe(OPTIONS.sources);
    // Immuta's id counter: every source it ever registered, purged ones included.
    expect(afterUp.nextIds.dataSourceId - 1).toBe(OPTIONS.sources);
    // Every POST Immuta processed created one of these sources: none was processed twice for one declaration.
    expect(processedCreates).toBe(OPTIONS.sources);
    expect(stateIdsAfterUp).toEqual(afterUp.dataSources.map((source) => source.id).sort((a, b) => a - b));
  }),
);

it(
  "refresh and destroy create nothing, and destroy leaves Immuta empty",
  report.gated(() => {
    const { afterDestroy, requests } = result!;
    expect(requests.refresh.creates).toBe(0);
    expect(requests.destroy.creates).toBe(0);
    expect(afterDestroy.dataSources).toEqual([]);
    expect(afterDestroy.nextIds.dataSourceId - 1).toBe(OPTIONS.sources);
  }),
);

it("docs/reliability.md's chaos run shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => chaosData(result!));
});
