"use strict";
/**
 * The targets BENCHMARKS.md checks, each met (pass: true) or missed with a one-line explanation built from the
 * measurements of the same run.
 */
const { GROWTH_LIMIT } = require("./growth");
const { round } = require("./stats");

const LIMITS = {
  /** ours / floor (a) at N = 500, 0 ms, the engine's default parallelism, for up, refresh and destroy. */
  ratioAtScale: 1.25,
  scaleN: 500,
  /** ours / floor (a) at N = 100, 50 ms, at most this far above the zero-overhead estimate. */
  zeroOverheadMargin: 0.05,
  /** State bytes per resource at most the floor's plus this. */
  stateOverFloorBytes: 200,
  /** Peak resident memory of the provider process at N = 1,000. */
  providerRssMiB: 250,
  providerRssN: 1000,
};

const s = (value, digits = 1) => (value == null ? "–" : value.toFixed(digits));
/** "+5.6" or "−0.4"; a value that rounds to zero is "±0.0". */
const signed = (value, digits = 1) => {
  if (value == null) return "–";
  const shown = Math.abs(value).toFixed(digits);
  if (Number(shown) === 0) return `±${shown}`;
  return `${value > 0 ? "+" : "−"}${shown}`;
};
const kinds = (byKind) =>
  Object.entries(byKind ?? {})
    .map(([kind, count]) => `${count} × ${kind}`)
    .join(", ");

/** Where ours spends more CPU than floor (a) in one cell, largest first: "engine +5.6 s (24.2 against 18.6), …". */
function extraCpu(run) {
  const ours = run.cpuSeconds.ours ?? {};
  const floor = run.cpuSeconds.floorA ?? {};
  const labels = {
    engine: "engine",
    provider: "provider",
    program: "program",
    languageHost: "language host",
  };
  return Object.keys(labels)
    .filter((kind) => ours[kind] != null && floor[kind] != null)
    .map((kind) => ({ kind, extra: ours[kind] - floor[kind], ours: ours[kind], floor: floor[kind] }))
    .sort((a, b) => b.extra - a.extra)
    .map(
      ({ kind, extra, ours: o, floor: f }) => `${labels[kind]} ${signed(extra)} s (${s(o)} against ${s(f)})`,
    )
    .join(", ");
}

/** What tags and a description cost; results recorded before this scenario existed have none. */
function governanceTargets(governed, calls, add) {
  add(
    `API calls: create with ${governed.tags} tags and a description`,
    "≤ 2 per resource more than without",
    `+${s(governed.createExtraPerResource)}`,
    governed.createExtraPerResource <= 2,
    () => `requests per resource: ${kinds(governed.createByKind)}`,
  );
  add(
    "API calls: read of a tagged, described source",
    "≤ 1 per resource more than without",
    `+${s(governed.readExtraPerResource)}`,
    governed.readExtraPerResource <= 1,
    () => `${s(governed.readPerResource)} requests per resource against ${s(calls.read.perResource)}`,
  );
  add(
    "API calls: up without change of a tagged, described stack",
    "0",
    governed.upWithoutChanges,
    governed.upWithoutChanges === 0,
    () => `${governed.upWithoutChanges} requests`,
  );
}

function apiCallTargets(calls, add) {
  add(
    "API calls: create",
    "≤ 2 per resource",
    calls.create.perResource,
    calls.create.perResource <= 2,
    () => `requests per ${calls.create.n} sources: ${kinds(calls.create.byKind)}`,
  );
  add(
    "API calls: read",
    "≤ 2 per resource, concurrent",
    `${calls.read.perResource}, ${calls.read.concurrent ? "concurrent" : "sequential"}`,
    calls.read.perResource <= 2 && calls.read.concurrent === true,
    () =>
      `requests: ${kinds(calls.read.byKind)}; one read took ${s(calls.read.evidence.direct.elapsedMs, 0)} ms for ` +
      `requests of ${calls.read.evidence.direct.durationsMs.join(" and ")} ms`,
  );
  add(
    "API calls: delete",
    "exactly 2 per live source",
    calls.delete.perSource,
    calls.delete.exactlyTwoEach,
    () => `requests per ${calls.delete.n} sources: ${kinds(calls.delete.byKind)}`,
  );
  add(
    "API calls: check and diff",
    "0",
    calls.checkDiff.total,
    calls.checkDiff.total === 0,
    () =>
      `preview ${calls.checkDiff.previewWithoutChanges.requests}, up without changes ` +
      `${calls.checkDiff.upWithoutChanges.requests}, replacing preview ${calls.checkDiff.previewReplacingAll.requests}`,
  );
  if (calls.governance) governanceTargets(calls.governance, calls, add);
  const lookUps = Math.max(calls.create.integrationLookUps.max, calls.read.integrationLookUps.max);
  add(
    "API calls: integration look-ups (up, refresh)",
    "≤ 1 per integration per run",
    lookUps,
    lookUps <= 1,
    () =>
      `up: ${JSON.stringify(calls.create.integrationLookUps.perIntegration)}, refresh: ` +
      JSON.stringify(calls.read.integrationLookUps.perIntegration),
  );
}

function targets(results) {
  const list = [];
  const add = (name, target, value, pass, explain) =>
    list.push({ name, target, value, pass, ...(pass === false ? { explanation: explain() } : {}) });
  apiCallTargets(results.apiCalls, add);

  for (const run of results.runs.filter(
    (r) => r.n === LIMITS.scaleN && r.latencyMs === 0 && r.parallel === "default",
  )) {
    const ratio = run.ratios.oursOverFloorA;
    add(
      `ours / floor (a), ${run.operation}, N=${run.n}, 0 ms, parallel ${run.parallelLabel}`,
      `≤ ${LIMITS.ratioAtScale}`,
      ratio,
      ratio !== null && ratio.median <= LIMITS.ratioAtScale,
      () => `CPU against floor (a): ${extraCpu(run)}`,
    );
  }

  for (const run of results.runs.filter((r) => r.n === 100 && r.latencyMs === 50)) {
    const ratio = run.ratios.oursOverFloorA;
    const bound = round(run.expectedRatioWithoutOverhead + LIMITS.zeroOverheadMargin, 3);
    add(
      `ours / floor (a), ${run.operation}, N=100, 50 ms, parallel ${run.parallelLabel}`,
      `≤ zero-overhead estimate ${run.expectedRatioWithoutOverhead} + ${LIMITS.zeroOverheadMargin}`,
      ratio,
      ratio !== null && ratio.median <= bound,
      () => {
        const over = ratio.median - run.expectedRatioWithoutOverhead;
        const provider = run.cpuSeconds.ours?.provider - run.cpuSeconds.floorA?.provider;
        return (
          `${signed(over, 2)} above the estimate; the provider's CPU is ${s((provider * 1000) / run.n, 1)} ms per ` +
          `resource above floor (a)'s; CPU against floor (a): ${extraCpu(run)}`
        );
      },
    );
  }

  const state = results.state.reduce((largest, s) => (!largest || s.n > largest.n ? s : largest), null);
  if (state) {
    const ours = state.ours.bytesPerResource.mean;
    const floor = state.floorA.bytesPerResource.mean;
    add(
      `state bytes per resource (mean), N=${state.n}`,
      `≤ floor (a) ${floor} + ${LIMITS.stateOverFloorBytes}`,
      ours,
      ours <= floor + LIMITS.stateOverFloorBytes,
      () => {
        // Outputs the floor stores too (it echoes its inputs) are no overhead of ours.
        const floorKeys = new Set(state.floorA.outputProperties.map((p) => p.key));
        const extra = state.ours.outputProperties.filter((p) => !floorKeys.has(p.key));
        const repeats = extra.filter((p) => p.repeatsInput);
        const rest = (side) =>
          side.bytesPerResource.mean - side.partsPerResource.inputs - side.partsPerResource.outputs;
        return (
          `${signed(ours - floor, 0)} B: inputs ${state.ours.partsPerResource.inputs} B against ` +
          `${state.floorA.partsPerResource.inputs}; outputs the floor has not: ` +
          (extra.map((p) => `${p.key} (${p.bytes} B)`).join(", ") || "none") +
          ` — what Immuta reported, which users read, plus tenant (delete and refresh receive only outputs) and ` +
          `schemaVersion (reads older state); outputs repeating an input: ` +
          (repeats.map((p) => `${p.key} (${p.bytes} B)`).join(", ") || "none") +
          `; URN, type and source position ${signed(rest(state.ours) - rest(state.floorA), 0)} B (the SDK's file in ` +
          `node_modules, where the floor's class is in the program)`
        );
      },
    );
  }

  const atN = results.runs.filter((r) => r.n === LIMITS.providerRssN && r.peakRssMiB.ours?.provider != null);
  if (atN.length) {
    const peak = Math.max(...atN.map((r) => r.peakRssMiB.ours.provider));
    const floorPeak = Math.max(...atN.map((r) => r.peakRssMiB.floorA?.provider ?? 0));
    const worst = atN.find((r) => r.peakRssMiB.ours.provider === peak);
    add(
      `provider peak RSS at N=${LIMITS.providerRssN} (MiB)`,
      `≤ ${LIMITS.providerRssMiB}`,
      peak,
      peak <= LIMITS.providerRssMiB,
      () => `peak during ${worst.operation}; floor (a)'s provider peaks at ${s(floorPeak)} MiB at the same N`,
    );
  }

  for (const row of results.growth.filter((g) => g.variant === "ours")) {
    const floor = results.growth.find(
      (g) =>
        g.variant === "floorA" &&
        g.operation === row.operation &&
        g.latencyMs === row.latencyMs &&
        g.parallel === row.parallel,
    );
    const small = row.points[0];
    const large = row.points[row.points.length - 1];
    add(
      `time per resource, N=${row.largestN} against N=${row.smallestN}, ${row.operation}, ${row.latencyMs} ms, parallel ${row.parallelLabel}`,
      `≤ ${GROWTH_LIMIT}×`,
      row.perResourceRatio,
      row.perResourceRatio <= GROWTH_LIMIT,
      () => {
        const perResource = `${s(large.msPerResource)} against ${s(small.msPerResource)} ms per resource`;
        if (!floor) return `${perResource}; floor (a) not measured`;
        const beyond = row.perResourceRatio / floor.perResourceRatio;
        return (
          `${perResource}; floor (a) ${floor.perResourceRatio}× over the same N` +
          (floor.perResourceRatio > GROWTH_LIMIT ? " (the engine's own growth)" : "") +
          (beyond > 1.05 ? `, ours ${beyond.toFixed(2)}× that` : ", ours no more")
        );
      },
    );
  }
  return list;
}

module.exports = { LIMITS, targets };
