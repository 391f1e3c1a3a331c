"use strict";
/** Starts bench/lib/emulator-main.js as a child process and returns its URL, key and control client. */
const { spawn } = require("node:child_process");
const path = require("node:path");
const { EmulatorControl } = require("../../dist/emulator");

const API_KEY = "bench-api-key-5c1e0a";
const ADMIN_TOKEN = "bench-admin-token-93b7";

async function startEmulatorProcess(options = {}) {
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, "emulator-main.js"),
      JSON.stringify({ apiKey: API_KEY, adminToken: ADMIN_TOKEN, ...options }),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const ready = await new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString("utf8");
      const newline = output.indexOf("\n");
      if (newline >= 0) resolve(JSON.parse(output.slice(0, newline)));
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code} before it was ready`)));
  });
  const control = new EmulatorControl(ready.url, ready.adminToken);
  return {
    url: ready.url,
    apiKey: ready.apiKey,
    pid: child.pid,
    control,
    /** Every Immuta API request since the last clear (method, path, status, durationMs). */
    async requests() {
      return control.requests();
    },
    /** Latency on every Immuta API request (the control API is never faulted); 0 removes it. */
    async setLatency(latencyMs) {
      if (latencyMs > 0) await control.setFaults([{ kind: "latency", latencyMs }]);
      else await control.clearFaults();
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

module.exports = { startEmulatorProcess, API_KEY };
