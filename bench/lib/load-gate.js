"use strict";
/**
 * The load average a measurement starts at. Timings taken while other work competes for the CPUs cannot tell a
 * regression from noise, so a run refuses to start above LOAD_LIMIT unless told to measure anyway, and then says
 * so next to every ratio it reports.
 */
const os = require("node:os");
const { round } = require("./stats");

/** The highest 1-minute load average at which a run starts without --allow-load. */
const LOAD_LIMIT = 1.5;

class LoadTooHighError extends Error {}

/** `{ loadAverage: [1, 5, 15 min], limit, loaded }`, or LoadTooHighError when loaded and not allowed. */
function loadAtStart({ allowLoad, command }) {
  const loadAverage = os.loadavg().map((value) => round(value, 2));
  const loaded = loadAverage[0] > LOAD_LIMIT;
  if (loaded && !allowLoad) {
    throw new LoadTooHighError(
      `The 1-minute load average is ${loadAverage[0]} (5 and 15 min: ${loadAverage[1]}, ${loadAverage[2]}), above ` +
        `${LOAD_LIMIT}: other work on this machine would distort the timings. Start again when it is quieter ` +
        `(see \`uptime\`), or measure anyway with \`${command} --allow-load\`: every ratio is then marked as ` +
        "measured on a loaded machine.",
    );
  }
  return { loadAverage, limit: LOAD_LIMIT, loaded };
}

module.exports = { LOAD_LIMIT, LoadTooHighError, loadAtStart };
