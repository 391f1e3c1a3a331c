"use strict";
const { performance } = require("node:perf_hooks");

/** Times the CLI process of one Automation API operation (its first `runPulumiCmd`). */
async function timedOperation(stack, operation, opts) {
  const original = stack.runPulumiCmd;
  let cliSeconds;
  stack.runPulumiCmd = async function (...args) {
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      cliSeconds ??= (performance.now() - started) / 1000;
    }
  };
  const started = performance.now();
  try {
    await stack[operation](opts);
  } finally {
    stack.runPulumiCmd = original;
  }
  return { seconds: cliSeconds, automationSeconds: (performance.now() - started) / 1000 };
}

module.exports = { timedOperation };
