"use strict";
/**
 * The cells a run measures, and the order of the variants in each repetition.
 *
 * Every cell runs at least MIN_REPS interleaved repetitions and reports their median and range. Full matrix (the
 * engine's default parallelism is 4 × CPUs, 8 on 2 CPUs):
 *
 *   N      latency  parallel        reps  variants
 *   100    0 ms     default, 32     3     ours, floorA, floorB
 *   100    50 ms    default, 32     5     ours, before, nodeHttp, floorA, floorB  (target: the zero-overhead bound)
 *   500    0 ms     default         3     ours, noopSerialized, floorA, floorB    (target: ours / floor (a))
 *   500    0 ms     32              3     ours, floorA, floorB
 *   500    50 ms    default         3     ours, floorA, floorB
 *   1,000  0 ms     default         3     ours, floorA, floorB                    (provider memory; growth)
 *
 * N = 1,000 runs at the default parallelism and 0 ms only: its `up` and `destroy` take minutes per variant (the
 * engine rewrites the whole checkpoint at every step), and latency or parallelism change little there that the
 * N = 500 cells do not show. Quick: N ∈ {50, 100} at 50 ms and the default parallelism, 3 repetitions of ours,
 * floorA, floorB.
 */

/** The fewest repetitions of any cell: a median of fewer says nothing about noise. */
const MIN_REPS = 3;

const FULL = [
  { n: 100, latencyMs: 0, parallel: null, reps: 3 },
  { n: 100, latencyMs: 0, parallel: 32, reps: 3 },
  { n: 100, latencyMs: 50, parallel: null, reps: 5, extra: ["before", "nodeHttp"] },
  { n: 100, latencyMs: 50, parallel: 32, reps: 5, extra: ["before", "nodeHttp"] },
  { n: 500, latencyMs: 0, parallel: null, reps: 3, extra: ["noopSerialized"] },
  { n: 500, latencyMs: 0, parallel: 32, reps: 3 },
  { n: 500, latencyMs: 50, parallel: null, reps: 3 },
  { n: 1000, latencyMs: 0, parallel: null, reps: 3 },
];

const QUICK = [
  { n: 50, latencyMs: 50, parallel: null, reps: 3 },
  { n: 100, latencyMs: 50, parallel: null, reps: 3 },
];

/** Ours first, then the experiments, then the floors: the order of the first repetition. */
const VARIANT_ORDER = ["ours", "before", "nodeHttp", "noopSerialized", "floorA", "floorB"];

/** The cells to run: the full or quick matrix, without N above `maxN`, each with its variants. */
function matrix({ quick, maxN = Infinity }) {
  return (quick ? QUICK : FULL)
    .filter((cell) => cell.n <= maxN)
    .map(({ extra = [], ...cell }) => ({
      ...cell,
      reps: Math.max(MIN_REPS, cell.reps),
      variants: VARIANT_ORDER.filter((v) => ["ours", "floorA", "floorB", ...extra].includes(v)),
    }));
}

/** Rotates `items` by `by` (repetition r starts with a different variant), reversing every other repetition. */
function rotation(items, by) {
  const rotated = items.map((_, index) => items[(index + by) % items.length]);
  return by % 2 === 1 ? rotated.reverse() : rotated;
}

module.exports = { MIN_REPS, matrix, rotation };
