"use strict";
/**
 * The real Pulumi engine, offline, through the Automation API: a port of tests/e2e/support/{pulumi-cli,stack}.ts
 * to plain JavaScript for the benchmark (the CLI provisioned by scripts/provision-pulumi.sh, a file:// backend,
 * a private PULUMI_HOME, no update check, no plugin download).
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

const REPO_ROOT = path.resolve(__dirname, "../..");
const PASSPHRASE = "bench-passphrase";

let binDir;

/** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
function pulumiBinDir() {
  if (!binDir) {
    const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts/provision-pulumi.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    binDir = output.trim().split("\n").pop();
  }
  return binDir;
}

/** `cp -al` (hard links), or a plain copy across file systems. */
function linkTree(from, to) {
  try {
    execFileSync("cp", ["-al", from, to], { stdio: "pipe" });
  } catch {
    fs.rmSync(to, { recursive: true, force: true });
    execFileSync("cp", ["-a", from, to], { stdio: "pipe" });
  }
}

/**
 * Copies a program of bench/programs with node_modules laid out as `npm install pulumi-immuta` leaves it (the
 * package as a real folder beside every other dependency), hard-linked so it is fast. Folders under the program's
 * `packages/` are installed into its node_modules too.
 */
function copyProgram(program, destination) {
  fs.mkdirSync(destination, { recursive: true });
  const source = path.join(__dirname, "..", "programs", program);
  for (const entry of fs.readdirSync(source, { withFileTypes: true }))
    if (entry.isFile()) fs.copyFileSync(path.join(source, entry.name), path.join(destination, entry.name));
  const modules = path.join(destination, "node_modules");
  linkTree(path.join(REPO_ROOT, "node_modules"), modules);
  const packages = path.join(source, "packages");
  if (fs.existsSync(packages))
    for (const name of fs.readdirSync(packages))
      fs.cpSync(path.join(packages, name), path.join(modules, name), { recursive: true });
  const installed = path.join(modules, "pulumi-immuta");
  fs.rmSync(installed, { recursive: true, force: true });
  fs.mkdirSync(installed);
  linkTree(path.join(REPO_ROOT, "dist"), path.join(installed, "dist"));
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(installed, "package.json"));
}

/**
 * A stack of `program` under `root` (program copy, backend, PULUMI_HOME). `env` adds environment variables for
 * the CLI (and through it the language host and providers).
 */
async function createBenchStack({ program, root, immutaUrl, apiKey, stackName = "bench", env = {} }) {
  const programDir = path.join(root, "program");
  const backendDir = path.join(root, "backend");
  const pulumiHome = path.join(root, "pulumi-home");
  copyProgram(program, programDir);
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(pulumiHome, { recursive: true });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumiBinDir()) });
  const envVars = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    IMMUTA_URL: "",
    IMMUTA_API_KEY: "",
    ...env,
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir: programDir },
    { pulumiCommand, pulumiHome, envVars },
  );
  const config = { "bench:count": { value: "0" } };
  if (immutaUrl) {
    config["immuta:url"] = { value: immutaUrl };
    config["immuta:apiKey"] = { value: apiKey, secret: true };
  }
  await stack.setAllConfig(config);
  return {
    stack,
    root,
    programDir,
    envVars,
    async setCount(count) {
      await stack.setConfig("bench:count", { value: String(count) });
    },
    async setConfig(key, value) {
      await stack.setConfig(key, { value: String(value) });
    },
  };
}

/** `pulumi version` as the provisioned CLI reports it. */
function pulumiVersion() {
  return execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
}

module.exports = { REPO_ROOT, pulumiBinDir, pulumiVersion, createBenchStack };
