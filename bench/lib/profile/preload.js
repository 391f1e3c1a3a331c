"use strict";
/**
 * Preloaded (NODE_OPTIONS=--require) into every Node.js process the engine starts during a profiled operation.
 * In the dynamic-provider host and in the program's process it records a V8 CPU profile from before the first
 * module loads, and the process's own CPU time and peak RSS when it ends, into BENCH_PROFILE_DIR: exact, unlike
 * sampling /proc, which misses what a process does after its last sample.
 */
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.BENCH_PROFILE_DIR;
const script = process.argv[1] ?? "";
const role = script.includes("dynamic-provider") ? "provider" : /cmd[/\\]run/.test(script) ? "program" : null;

if (dir && role) {
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", {
    interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 1000),
  });
  session.post("Profiler.start");
  let recorded = false;
  const record = () => {
    if (recorded) return;
    recorded = true;
    const usage = process.resourceUsage();
    const base = path.join(dir, `${role}-${process.pid}`);
    // The in-process inspector session answers synchronously, so this works inside an `exit` listener.
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(result.profile));
    });
    fs.writeFileSync(
      `${base}.json`,
      JSON.stringify({
        role,
        pid: process.pid,
        userSeconds: usage.userCPUTime / 1e6,
        systemSeconds: usage.systemCPUTime / 1e6,
        maxRssKiB: usage.maxRSS,
      }),
    );
  };
  process.on("exit", record);
  // Pulumi ends a plugin with SIGINT to its process group (SIGKILL 5 s later); Node.js's default is to die at once,
  // which would record nothing. Exiting here instead changes nothing else: the process was ending anyway.
  process.once("SIGINT", () => {
    record();
    process.exit(130);
  });
}
