"use strict";
/**
 * One cell of the matrix (N, latency, parallelism) and one operation, summarized from its samples: every figure a
 * median over the repetitions with its range, and every ratio paired per repetition (the two variants ran next to
 * each other, so slow drift of the machine cancels out) before the median is taken.
 */
const { round, summary } = require("./stats");

/** Sequential round trips per resource: create is POST then GET, read two concurrent GETs, delete two DELETEs. */
const ROUND_TRIPS = { up: 2, refresh: 1, destroy: 2 };

/** Ratios reported per cell: [name, numerator, denominator]. */
const RATIOS = [
  ["oursOverFloorA", "ours", "floorA"],
  ["oursOverFloorB", "ours", "floorB"],
  ["beforeOverFloorA", "before", "floorA"],
  ["beforeOverOurs", "before", "ours"],
  ["noopSerializedOverFloorA", "noopSerialized", "floorA"],
  ["nodeHttpOverFloorA", "nodeHttp", "floorA"],
  ["nodeHttpOverOurs", "nodeHttp", "ours"],
];

/** `GET /dataSource/{id}` for `GET /dataSource/12`: request kinds without their ids. */
function requestKind(entry) {
  return `${entry.method} ${entry.path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
}

function summarizeRequests(entries, n) {
  const byKind = {};
  for (const entry of entries) byKind[requestKind(entry)] = (byKind[requestKind(entry)] ?? 0) + 1;
  return {
    total: entries.length,
    perResource: n > 0 ? round(entries.length / n, 3) : null,
    byKind,
    failed: entries.filter((entry) => entry.status === 0 || entry.status >= 400).length,
  };
}

const maxOf = (values) => {
  const numbers = values.filter((v) => typeof v === "number");
  return numbers.length ? Math.max(...numbers) : null;
};

/** a / b of each repetition in which both ran. */
function pairedRatios(samples, a, b) {
  const ratios = [];
  for (const rep of new Set(samples.map((s) => s.rep))) {
    const x = samples.find((s) => s.rep === rep && s.variant === a);
    const y = samples.find((s) => s.rep === rep && s.variant === b);
    if (x && y && y.seconds > 0) ratios.push(x.seconds / y.seconds);
  }
  return ratios;
}

function cellResult(cell, parallel, parallelLabel, operation, allSamples) {
  const samples = allSamples.filter((s) => s.operation === operation);
  const ofVariant = (variant) => samples.filter((s) => s.variant === variant);
  const seconds = {};
  const perRep = {};
  const peakRssMiB = {};
  const cpuSeconds = {};
  const apiCallsPerResource = {};
  for (const variant of cell.variants) {
    const mine = ofVariant(variant);
    seconds[variant] = summary(mine.map((s) => s.seconds));
    perRep[variant] = mine.map((s) => round(s.seconds, 3));
    if (variant !== "floorB") {
      peakRssMiB[variant] = {
        provider: maxOf(mine.map((s) => s.processes?.provider)),
        engine: maxOf(mine.map((s) => s.processes?.engine)),
        program: maxOf(mine.map((s) => s.processes?.program)),
      };
      // CPU time does not stretch when other work competes for the CPUs, unlike wall time.
      const cpu = (kind) =>
        summary(
          mine.map((s) => s.processes?.cpuSeconds?.[kind]),
          2,
        )?.median ?? null;
      cpuSeconds[variant] = {
        provider: cpu("provider"),
        engine: cpu("engine"),
        program: cpu("program"),
        languageHost: cpu("languageHost"),
        tree:
          summary(
            mine.map((s) => s.treeCpuSeconds),
            2,
          )?.median ?? null,
      };
    }
    if (variant !== "floorA" && variant !== "noopSerialized")
      apiCallsPerResource[variant] = mine[0]?.requests.perResource ?? null;
  }
  const ratios = {};
  for (const [name, a, b] of RATIOS)
    if (seconds[a] && seconds[b]) ratios[name] = summary(pairedRatios(samples, a, b), 3);
  // No provider can beat the API's round trips: ceil(N / P) waves of ROUND_TRIPS sequential requests each.
  const latencySeconds = (Math.ceil(cell.n / parallel) * ROUND_TRIPS[operation] * cell.latencyMs) / 1000;
  const floorA = seconds.floorA?.median;
  return {
    n: cell.n,
    latencyMs: cell.latencyMs,
    parallel: cell.parallel ?? "default",
    parallelLabel: String(parallelLabel),
    operation,
    reps: cell.reps,
    seconds,
    perRep,
    ratios,
    roundTripSeconds: latencySeconds,
    // What a provider without any overhead would take relative to floor (a), if the engine's own work did not
    // overlap the API's round trips (it partly does, so ours can come in under it): the target's reach.
    expectedRatioWithoutOverhead: floorA ? round((floorA + latencySeconds) / floorA, 3) : null,
    apiCallsPerResource,
    requestsByKind: ofVariant("ours")[0]?.requests.byKind ?? {},
    failedRequests: samples.reduce((t, s) => t + s.requests.failed, 0),
    peakRssMiB,
    cpuSeconds,
    loadAverage: samples.map((s) => s.loadAverage),
  };
}

module.exports = { ROUND_TRIPS, cellResult, summarizeRequests };
