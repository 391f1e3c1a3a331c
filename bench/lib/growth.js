"use strict";
/**
 * Growth with N: time per resource at the largest N of a parameter set against the smallest, per variant. A cost
 * that grows linearly with N keeps its time per resource; fixed costs (starting the engine, the language host and
 * the provider) only lower it as N grows, so a ratio above 1 means some cost grows faster than N. Judged on the
 * medians of interleaved repetitions, unlike a least-squares fit of three single points, which noise alone could
 * fail.
 */
const { round } = require("./stats");

/** The largest accepted time per resource at the largest N, as a multiple of that at the smallest N. */
const GROWTH_LIMIT = 1.25;

const GROWTH_VARIANTS = ["ours", "floorA"];

function growth(runs) {
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.operation}|${run.latencyMs}|${run.parallel}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(run);
  }
  const rows = [];
  for (const group of groups.values()) {
    if (new Set(group.map((run) => run.n)).size < 2) continue;
    const { operation, latencyMs, parallel, parallelLabel } = group[0];
    for (const variant of GROWTH_VARIANTS) {
      const points = group
        .filter((run) => run.seconds[variant]?.median != null)
        .sort((a, b) => a.n - b.n)
        .map((run) => ({
          n: run.n,
          seconds: run.seconds[variant].median,
          msPerResource: round((run.seconds[variant].median * 1000) / run.n, 2),
          providerMiB: run.peakRssMiB[variant]?.provider ?? null,
        }));
      if (points.length < 2) continue;
      const smallest = points[0];
      const largest = points[points.length - 1];
      rows.push({
        operation,
        latencyMs,
        parallel,
        parallelLabel,
        variant,
        points,
        smallestN: smallest.n,
        largestN: largest.n,
        perResourceRatio: round(largest.msPerResource / smallest.msPerResource, 3),
      });
    }
  }
  return rows;
}

module.exports = { GROWTH_LIMIT, growth };
