"use strict";
/** The machine and tool versions a benchmark ran on, for the report. */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const { pulumiVersion } = require("./pulumi");

function quiet(command, args) {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function machineInfo() {
  const cpus = os.cpus();
  let memTotalMiB = Math.round(os.totalmem() / 1024 / 1024);
  try {
    const meminfo = fs.readFileSync("/proc/meminfo", "utf8");
    const total = /^MemTotal:\s+(\d+) kB/m.exec(meminfo);
    if (total) memTotalMiB = Math.round(Number(total[1]) / 1024);
  } catch {
    // not Linux: os.totalmem() is good enough
  }
  const nproc = Number(quiet("nproc", [])) || os.availableParallelism();
  return {
    nproc,
    cpuModel: cpus[0]?.model ?? null,
    memTotalMiB,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    go: quiet("go", ["version"]),
    pulumi: pulumiVersion(),
    pulumiSdk: require("@pulumi/pulumi/package.json").version,
    // The CLI's default --parallel is 4 × GOMAXPROCS (pkg/cmd/pulumi/operations/up.go), GOMAXPROCS = CPUs here.
    engineDefaultParallel: 4 * nproc,
  };
}

module.exports = { machineInfo };
