"use strict";
/** bench/results.json: what a run measured, from which BENCHMARKS.md is rendered. */
const fs = require("node:fs");

/**
 * 2: every cell a median of ≥ 3 repetitions with its range, ratios paired per repetition, the load average at the
 * start and whether the run was allowed on a loaded machine, growth as time per resource.
 */
const RESULTS_SCHEMA = 2;

class StaleResultsError extends Error {}

function readResults(file) {
  const results = JSON.parse(fs.readFileSync(file, "utf8"));
  if (results.schema !== RESULTS_SCHEMA) {
    throw new StaleResultsError(
      `${file} has schema ${results.schema ?? "none"}, written by an earlier bench/run.js; this one renders schema ` +
        `${RESULTS_SCHEMA} only (medians of repeated cells, their range, the load average). Run the benchmark ` +
        "again: `npm run bench` (or `node bench/run.js --quick` for a smaller matrix).",
    );
  }
  return results;
}

module.exports = { RESULTS_SCHEMA, StaleResultsError, readResults };
