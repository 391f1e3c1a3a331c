/**
 * The long chaos run: more sources, more faults, more latency than tests/reliability/chaos.test.ts. It runs only
 * under `npm run test:soak` (or with IMMUTA_SOAK=1), not in `npm test`; its observations are the `soak` section of
 * docs/reliability.md (`npm run docs` after a soak run).
 */
import { chaosData, runChaos, type ChaosOptions, type ChaosResult } from "../reliability/chaos-run";
import { SectionRecorder } from "../reliability/report/recorder";

const SOAK = process.env.npm_lifecycle_event === "test:soak" || process.env.IMMUTA_SOAK === "1";

const report = new SectionRecorder("soak", 2);
const OPTIONS: ChaosOptions = {
  sources: 400,
  faultRate: 0.3,
  latencyJitterMs: 150,
  seed: 2026,
  maxRunsPerPhase: 10,
  requestTimeoutMs: 1_500,
};

(SOAK ? describe : describe.skip)(
  `soak: ${OPTIONS.sources} sources, ${OPTIONS.faultRate * 100}% transient faults (npm run test:soak)`,
  () => {
    let result: ChaosResult | undefined;

    beforeAll(async () => {
      result = await runChaos(OPTIONS);
    }, 3_600_000);

    it(
      "converges in every phase within the bounded runs",
      report.gated(() => {
        for (const phase of ["up", "refresh", "destroy"] as const) {
          const runs = result!.runs.filter((run) => run.phase === phase);
          expect(runs.length).toBeLessThanOrEqual(OPTIONS.maxRunsPerPhase);
          expect(runs[runs.length - 1].succeeded).toBe(true);
        }
      }),
    );

    it(
      "registers every declaration exactly once and ends with Immuta empty",
      report.gated(() => {
        const { afterUp, afterDestroy, processedCreates, stateIdsAfterUp, requests } = result!;
        expect(afterUp.dataSources).toHaveLength(OPTIONS.sources);
        expect(new Set(afterUp.dataSources.map((source) => source.name)).size).toBe(OPTIONS.sources);
        expect(afterUp.nextIds.dataSourceId - 1).toBe(OPTIONS.sources);
        expect(processedCreates).toBe(OPTIONS.sources);
        expect(stateIdsAfterUp).toEqual(afterUp.dataSources.map((source) => source.id).sort((a, b) => a - b));
        expect(requests.refresh.creates + requests.destroy.creates).toBe(0);
        expect(afterDestroy.dataSources).toEqual([]);
      }),
    );

    it("docs/reliability.md's soak section shows what this run observed (else run `npm run docs`)", () => {
      report.verify(() => chaosData(result!));
    });
  },
);
