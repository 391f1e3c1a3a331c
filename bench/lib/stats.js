"use strict";
/** Small statistics for the report: median, spread and rounding. */

const numbers = (values) => values.filter((v) => typeof v === "number" && Number.isFinite(v));

function median(values) {
  const sorted = numbers(values).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of `values` with their range, each rounded to `digits`: what a cell of the report shows. */
function summary(values, digits = 3) {
  const present = numbers(values);
  if (present.length === 0) return null;
  return {
    median: round(median(present), digits),
    min: round(Math.min(...present), digits),
    max: round(Math.max(...present), digits),
    n: present.length,
  };
}

function round(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

module.exports = { median, summary, round };
