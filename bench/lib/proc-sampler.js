"use strict";
/**
 * Peak memory of the processes the engine starts for us, read from /proc (Linux). Only descendants of this
 * process count, so other people's Pulumi runs on the same machine are never measured.
 *
 * Every `intervalMs` it scans /proc, keeps the descendants, and reads VmHWM (the kernel's own peak RSS, so a
 * spike between two samples is not missed) and CPU time of:
 *  - provider: the node process of the dynamic-provider plugin (`.../cmd/dynamic-provider`),
 *  - providerLauncher: the shell script that starts it (`pulumi-resource-pulumi-nodejs`, with its `node -e`),
 *  - program: the node process running the Pulumi program (`.../cmd/run`),
 *  - languageHost: `pulumi-language-nodejs`,
 *  - engine: the `pulumi` CLI running `up`, `refresh`, `destroy` or `preview`;
 *  - cli: any other `pulumi` command (the Automation API's `stack output`, `stack history` after an operation).
 * A process's last reading is at most one interval before it exits, so CPU time may miss up to one interval of
 * each process's work; `childrenCpuSeconds` is the exact total of everything this process has waited for.
 */
const fs = require("node:fs");
const { setInterval, clearInterval } = require("node:timers");

function readProc(pid, file) {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Fields of /proc/<pid>/stat after `pid (comm)`: [0] state, [1] ppid, ..., [11] utime, [12] stime, [13] cutime,
 * [14] cstime (ticks).
 */
function statFields(pid) {
  const stat = readProc(pid, "stat");
  // comm may hold spaces and parentheses, so split after the last ')'.
  return stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : undefined;
}

/** Clock ticks per second of utime/stime: 100 on every Linux configuration Node.js supports. */
const CLOCK_TICKS = 100;

const ENGINE_COMMANDS = new Set(["up", "update", "refresh", "destroy", "preview"]);

function kindOf(cmdline) {
  const argv = cmdline.split("\0");
  if (argv.includes("-e") && cmdline.includes("cmd/dynamic-provider")) return "providerLauncher";
  if (cmdline.includes("cmd/dynamic-provider")) return "provider";
  if (/node\0.*@pulumi\/pulumi\/cmd\/run/.test(cmdline) || cmdline.includes("/cmd/run/index.js"))
    return "program";
  if (argv.some((arg) => arg.endsWith("/pulumi-resource-pulumi-nodejs"))) return "providerLauncher";
  if (argv[0].endsWith("/pulumi-language-nodejs")) return "languageHost";
  if (argv[0].endsWith("/pulumi") || argv[0] === "pulumi")
    return argv.slice(1).some((arg) => ENGINE_COMMANDS.has(arg)) ? "engine" : "cli";
  return undefined;
}

/** User + system CPU seconds of every child this process has waited for, and of theirs (`cutime + cstime`). */
function childrenCpuSeconds() {
  const fields = statFields("self");
  return fields ? (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS : null;
}

function kib(status, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

class ProcSampler {
  constructor(intervalMs = 200) {
    this.intervalMs = intervalMs;
    this.root = process.pid;
    this.timer = undefined;
    this.peaks = new Map(); // pid -> {kind, hwmKiB, cpuTicks}
  }

  available() {
    return fs.existsSync("/proc/self/status");
  }

  start() {
    this.peaks.clear();
    if (!this.available()) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /**
   * Peak RSS (MiB) per kind over every process of that kind seen since `start`, and `cpuSeconds`: user + system
   * CPU time per kind (summed over its processes, as last read).
   */
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.available()) this.sample();
    const peak = { provider: null, program: null, engine: null, cpuSeconds: {} };
    for (const { kind, hwmKiB, cpuTicks } of this.peaks.values()) {
      const mib = Math.round((hwmKiB / 1024) * 10) / 10;
      if (peak[kind] == null || mib > peak[kind]) peak[kind] = mib;
      peak.cpuSeconds[kind] = Math.round(((peak.cpuSeconds[kind] ?? 0) + cpuTicks / CLOCK_TICKS) * 100) / 100;
    }
    return peak;
  }

  sample() {
    let entries;
    try {
      entries = fs.readdirSync("/proc");
    } catch {
      return;
    }
    const parents = new Map();
    const ticks = new Map();
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = statFields(entry);
      if (!fields) continue;
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    }
    for (const pid of parents.keys()) {
      if (!this.isDescendant(pid, parents)) continue;
      const known = this.peaks.get(pid);
      let kind = known?.kind;
      if (!kind) {
        const cmdline = readProc(pid, "cmdline");
        kind = cmdline ? kindOf(cmdline) : undefined;
        if (!kind) continue;
      }
      const status = readProc(pid, "status");
      if (!status) continue;
      const hwmKiB = Math.max(kib(status, "VmHWM"), kib(status, "VmRSS"), known?.hwmKiB ?? 0);
      const cpuTicks = Math.max(ticks.get(pid) ?? 0, known?.cpuTicks ?? 0);
      this.peaks.set(pid, { kind, hwmKiB, cpuTicks });
    }
  }

  isDescendant(pid, parents) {
    let current = pid;
    for (let depth = 0; depth < 32 && current > 1; depth++) {
      current = parents.get(current);
      if (current === this.root) return true;
      if (current === undefined) return false;
    }
    return false;
  }
}

module.exports = { ProcSampler, childrenCpuSeconds };
