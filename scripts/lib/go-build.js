// Builds Go programs for the provisioning scripts, with Go's own caches (GOCACHE, GOMODCACHE) as the user has
// them, a heartbeat while a long build runs, and Go's output on failure. Node built-ins only.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const { clearInterval, setInterval } = require("node:timers");

/** `go version`'s third word (e.g. `go1.26.8`), or undefined when Go is not installed. */
function goVersion() {
  const result = spawnSync("go", ["version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim().split(" ")[2];
}

/**
 * GOFLAGS as the caller has them, with `-mod` set to `mod` (or removed, for `go install pkg@version`, which refuses
 * it): a build must never rewrite a go.mod or go.sum of the checkout, so wrappers build with `-mod=readonly`.
 */
function goFlags(mode) {
  const own = spawnSync("go", ["env", "GOFLAGS"], { encoding: "utf8" }).stdout?.trim() ?? "";
  const kept = own
    .split(/\s+/)
    .filter((flag) => flag && !flag.startsWith("-mod="))
    .join(" ");
  return mode === undefined ? kept : `${kept} -mod=${mode}`.trim();
}

/**
 * Runs `go <args>` in `cwd` with `env` added, reporting every 30 s that it still runs. Resolves with the seconds it
 * took; rejects with Go's output when it fails.
 */
function runGo(args, { cwd, env = {}, label, progress }) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const heartbeat = setInterval(
      () => progress(`  ... still building ${label} (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    child.on("error", (error) => {
      clearInterval(heartbeat);
      reject(new Error(`go could not start (${error.message}): is Go installed?`));
    });
    child.on("close", (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(Math.round((Date.now() - started) / 1000));
      else reject(new Error(`go ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

module.exports = { goVersion, goFlags, runGo };
