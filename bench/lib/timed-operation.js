"use strict";
const { performance } = require("node:perf_hooks");
const { childrenCpuSeconds } = require("./proc-sampler");

/**
 * Times the CLI process of one Automation API operation (its first `runPulumiCmd`): wall seconds, and the exact
 * CPU seconds of that `pulumi` process with everything it started (language host, program, providers), which it
 * has waited for by the time it exits.
 */
async function timedOperation(stack, operation, opts) {
  const original = stack.runPulumiCmd;
  let cliSeconds;
  let treeCpuSeconds;
  stack.runPulumiCmd = async function (...args) {
    const first = cliSeconds === undefined;
    const cpuBefore = first ? childrenCpuSeconds() : null;
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      if (first) {
        cliSeconds = (performance.now() - started) / 1000;
        const cpuAfter = childrenCpuSeconds();
        treeCpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      }
    }
  };
  const started = performance.now();
  try {
    await stack[operation](opts);
  } finally {
    stack.runPulumiCmd = original;
  }
  return { seconds: cliSeconds, treeCpuSeconds, automationSeconds: (performance.now() - started) / 1000 };
}

module.exports = { timedOperation };
