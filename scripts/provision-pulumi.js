#!/usr/bin/env node
// Finds or builds the Pulumi CLI this project runs, offline-friendly and idempotent (`scripts/provision-pulumi.sh`
// runs this script). Progress goes to stderr; stdout describes the set chosen, one KEY=value per line, and ends
// with the directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`:
//
//   PULUMI_CLI=<path of pulumi>                     PULUMI_CLI_VERSION=<x.y.z>
//   PULUMI_CLI_SOURCE=cli-dir | path | build        (PULUMI_CLI_DIR, the pulumi on PATH, or built into the cache)
//   PULUMI_LANGUAGE_HOST=<path of the host>         PULUMI_LANGUAGE_HOST_VERSION=<x.y.z>
//   PULUMI_LANGUAGE_HOST_KIND=pulumi-immuta-minimal (this project's minimal host, tools/pulumi-cli/language-nodejs)
//                          or official              (any host without its `-identify` flag: Pulumi's own)
//   <bin directory>
//
// Which CLI (docs/compatibility.md): any Pulumi CLI whose version is at or above the floor of the `@pulumi/pulumi`
// peer range (scripts/lib/pulumi-version.js), with its Node.js language host and the dynamic-provider launcher beside
// it. In order:
// 0. PULUMI_CLI_DIR=<dir>: the three executables in <dir>, NEVER built; a CLI below the floor, a missing executable,
//    or an official host of another release than the CLI is an error. A <dir> not named `bin` is exposed through
//    symbolic links in the cache (the Automation API runs <root>/bin/pulumi).
// 1. The `pulumi` on PATH, when it passes the same checks (else the reason is printed and step 2 runs).
// 2. This project's build: the pinned release (devDependencies["@pulumi/pulumi"]) from its Go module
//    (tools/pulumi-cli), with this project's language host, in the per-user cache (scripts/lib/tool-cache.js):
//    several minutes once per machine, then reused by every clone until the wrapper module or the host changes.
//
//   node scripts/provision-pulumi.js                    steps 0 to 2
//   node scripts/provision-pulumi.js --release 3.260.0  build that release from the wrapper module under tools/
//                                                       that pins it, paired with this project's language host
//
// Environment knobs: PULUMI_CLI_DIR (step 0), PULUMI_PROVISION_IGNORE_PATH=1 (skip step 1),
// PULUMI_PROVISION_QUIET=1 (only errors and build progress on stderr), PULUMI_IMMUTA_CACHE_DIR (the cache).
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { judgeCliVersion, sdkFloor } = require("./lib/pulumi-version");
const { cacheRoot, entryDirectory, hashInputs, provisionEntry, treeInputs } = require("./lib/tool-cache");
const { goFlags, goVersion, runGo } = require("./lib/go-build");
const { wrapperFor, wrappers } = require("./lib/wrappers");

const ROOT = path.resolve(__dirname, "..");
const MANIFEST = require(path.join(ROOT, "package.json"));
const WRAPPER = path.join(ROOT, "tools", "pulumi-cli");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const EXECUTABLES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];
/** What `pulumi-language-nodejs -identify` prints first for this project's host (identity.go). */
const OUR_HOST_KIND = "pulumi-immuta-minimal";

const quiet = process.env.PULUMI_PROVISION_QUIET === "1";
const log = (message) => quiet || process.stderr.write(`[provision-pulumi] ${message}\n`);
const progress = (message) => process.stderr.write(`[provision-pulumi] ${message}\n`);

class Refusal extends Error {}

function pinnedVersion() {
  const pinned = String(MANIFEST.devDependencies["@pulumi/pulumi"]).replace(/^[~^=v]/, "");
  if (!/^\d+\.\d+\.\d+$/.test(pinned))
    throw new Refusal(
      `devDependencies["@pulumi/pulumi"] in package.json must be an exact version, got '${pinned}'`,
    );
  return pinned;
}

/** The first line a command prints, or "" when it fails or prints nothing. */
function firstLine(file, args) {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: 30_000 });
  return result.status === 0 ? (result.stdout ?? "").trim().split("\n")[0].trim() : "";
}

/**
 * What a directory holds: `{ dir, cliVersion, decision, hostVersion, hostKind }`, or `{ problem }` saying why it
 * cannot be used.
 */
function inspect(dir, floor) {
  for (const name of EXECUTABLES) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      const found = fs.readdirSync(dir).slice(0, 20).join(", ");
      return { problem: `${dir} has no ${name} beside pulumi (found: ${found})` };
    }
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      return { problem: `${file} is not executable` };
    }
  }
  const reported = firstLine(path.join(dir, "pulumi"), ["version"]);
  const decision = judgeCliVersion(reported, floor);
  if (!decision.accepted) return { problem: `${path.join(dir, "pulumi")}: ${decision.reason}`, decision };
  const host = path.join(dir, "pulumi-language-nodejs");
  const hostVersion = firstLine(host, ["-version"]).replace(/^v/, "");
  // The official host has no -identify flag: it exits non-zero ("flag provided but not defined").
  const hostKind =
    firstLine(host, ["-identify"]).split(" ")[0] === OUR_HOST_KIND ? OUR_HOST_KIND : "official";
  if (hostKind === "official" && hostVersion !== decision.version) {
    return {
      problem:
        `${dir} holds a mixed set: pulumi reports '${decision.version}' but pulumi-language-nodejs reports ` +
        `'${hostVersion}'; an official CLI and its language host come from the same release`,
    };
  }
  return { dir, cliVersion: decision.version, decision, hostVersion, hostKind };
}

/** Prints the set on stdout (the last line is `bin`) and says on stderr what was chosen and why. */
function report(set, bin, source, why) {
  const hostNote =
    set.hostKind === OUR_HOST_KIND
      ? "this project's minimal host (no policy packs, no code generation, npm only; see docs/official-cli.md)"
      : "the official host";
  log(`${why}`);
  log(`CLI: ${path.join(set.dir, "pulumi")} v${set.cliVersion}`);
  log(`language host: ${path.join(set.dir, "pulumi-language-nodejs")} v${set.hostVersion}, ${hostNote}`);
  process.stdout.write(
    [
      `PULUMI_CLI=${path.join(set.dir, "pulumi")}`,
      `PULUMI_CLI_VERSION=${set.cliVersion}`,
      `PULUMI_CLI_SOURCE=${source}`,
      `PULUMI_LANGUAGE_HOST=${path.join(set.dir, "pulumi-language-nodejs")}`,
      `PULUMI_LANGUAGE_HOST_VERSION=${set.hostVersion}`,
      `PULUMI_LANGUAGE_HOST_KIND=${set.hostKind}`,
      bin,
      "",
    ].join("\n"),
  );
}

/** A `bin` folder of symbolic links to the three executables of `dir`, in the cache (replaced atomically). */
function linkedBin(dir) {
  const bin = path.join(
    cacheRoot(),
    "cli-dir",
    crypto.createHash("sha256").update(dir).digest("hex").slice(0, 16),
    "bin",
  );
  fs.mkdirSync(bin, { recursive: true });
  for (const name of EXECUTABLES) {
    const temporary = path.join(bin, `.${name}.${process.pid}`);
    fs.rmSync(temporary, { force: true });
    fs.symlinkSync(path.join(dir, name), temporary);
    fs.renameSync(temporary, path.join(bin, name));
  }
  return bin;
}

/** The directory of the first `pulumi` on PATH, or undefined. */
function pulumiOnPath() {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, "pulumi");
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return fs.realpathSync(dir);
    } catch {
      // not here
    }
  }
  return undefined;
}

// --- this project's build ---------------------------------------------------------------------------------------

/** The wrapper module under tools/ that builds `release`. */
function wrapperOf(release) {
  const dir = wrapperFor(release);
  if (!dir) {
    const known = wrappers().map((wrapper) => `${path.relative(ROOT, wrapper.dir)} (${wrapper.release})`);
    throw new Refusal(
      `no wrapper module under tools/ requires github.com/pulumi/pulumi/pkg/v3 v${release} (found: ${known.join(", ")})`,
    );
  }
  return dir;
}

const platform = `${process.platform}-${process.arch}`;

/** The cache entry of the CLI of `release`, built from `wrapper`. */
function cliEntry(release, wrapper) {
  const ldflags = `-s -w -X ${VERSION_VARIABLE}=v${release}`;
  return {
    kind: "pulumi-cli",
    version: release,
    inputsHash: hashInputs([
      platform,
      ldflags,
      { file: path.join(wrapper, "go.mod"), name: "go.mod" },
      { file: path.join(wrapper, "go.sum"), name: "go.sum" },
    ]),
    log: progress,
    build: async (staging) => {
      progress(
        `building pulumi v${release} from ${path.relative(ROOT, wrapper)} with ${goVersion()} (a cold build takes several minutes) ...`,
      );
      const seconds = await runGo(
        ["build", "-ldflags", ldflags, "-o", path.join(staging, "bin", "pulumi"), CLI_PACKAGE],
        {
          cwd: wrapper,
          env: { GOFLAGS: goFlags("readonly") },
          label: `pulumi v${release}`,
          progress,
        },
      );
      progress(`  built pulumi v${release} in ${seconds} s`);
    },
  };
}

/** The cache entry of this project's Node.js language host, built from tools/pulumi-cli/language-nodejs. */
function hostEntry(pinned) {
  const ldflags = `-s -w -X ${VERSION_VARIABLE}=v${pinned}`;
  return {
    kind: "pulumi-language-nodejs",
    version: pinned,
    inputsHash: hashInputs([
      platform,
      ldflags,
      { file: path.join(WRAPPER, "go.mod"), name: "go.mod" },
      { file: path.join(WRAPPER, "go.sum"), name: "go.sum" },
      ...treeInputs(path.join(WRAPPER, "language-nodejs"), (name) => name.endsWith("_test.go")),
    ]),
    log: progress,
    build: async (staging) => {
      progress("building pulumi-language-nodejs (tools/pulumi-cli/language-nodejs) ...");
      const seconds = await runGo(
        [
          "build",
          "-ldflags",
          ldflags,
          "-o",
          path.join(staging, "bin", "pulumi-language-nodejs"),
          "./language-nodejs",
        ],
        { cwd: WRAPPER, env: { GOFLAGS: goFlags("readonly") }, label: "pulumi-language-nodejs", progress },
      );
      progress(`  built pulumi-language-nodejs in ${seconds} s`);
    },
  };
}

/** Hard-links `from` to `to` (both in the cache), or copies it where links are refused. */
function linkOrCopy(from, to) {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * The three executables side by side (the engine looks for plugins next to `pulumi`): the CLI of `release`, this
 * project's host, and the launcher from the installed @pulumi/pulumi. Built (linked) once per combination.
 */
async function provisionToolchain(release, wrapper, pinned) {
  const launcher = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs");
  if (!fs.existsSync(launcher)) throw new Refusal(`${launcher} is missing: run \`npm ci\` first`);
  const cliSpec = cliEntry(release, wrapper);
  const hostSpec = hostEntry(pinned);
  const name = (spec) => path.basename(entryDirectory(cacheRoot(), spec.kind, spec.version, spec.inputsHash));
  // Checked first: when the toolchain is intact, its parts need no second look.
  return provisionEntry({
    kind: "pulumi-toolchain",
    version: release,
    inputsHash: hashInputs([name(cliSpec), name(hostSpec), { file: launcher, name: "launcher" }]),
    log: progress,
    build: async (staging) => {
      const cli = await provisionEntry(cliSpec);
      const host = await provisionEntry(hostSpec);
      const bin = path.join(staging, "bin");
      fs.mkdirSync(bin);
      linkOrCopy(path.join(cli.dir, "bin", "pulumi"), path.join(bin, "pulumi"));
      linkOrCopy(
        path.join(host.dir, "bin", "pulumi-language-nodejs"),
        path.join(bin, "pulumi-language-nodejs"),
      );
      // A copy, not a link into node_modules: a later `npm ci` must not break the toolchain.
      fs.copyFileSync(launcher, path.join(bin, "pulumi-resource-pulumi-nodejs"));
      fs.chmodSync(path.join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
    },
  });
}

function noGo(pinned, floor, reasons) {
  return new Refusal(
    [
      `no usable Pulumi CLI was found${reasons.length ? ` (${reasons.join("; ")})` : " on PATH"}, and Go is not ` +
        `installed to build Pulumi ${pinned}. Either:`,
      `  * install the Pulumi CLI, any release >= ${floor} (https://www.pulumi.com/docs/iac/download-install/), and ` +
        "put it on PATH or set PULUMI_CLI_DIR=<the directory holding pulumi> (see docs/official-cli.md); or",
      "  * install Go >= 1.25 (https://go.dev/doc/install) and run this again: it builds `pulumi` and " +
        `\`pulumi-language-nodejs\` from tools/pulumi-cli into ${cacheRoot()} (several minutes, once per machine).`,
    ].join("\n"),
  );
}

async function main() {
  const pinned = pinnedVersion();
  const floor = sdkFloor(MANIFEST);
  const args = process.argv.slice(2);
  const releaseAt = args.indexOf("--release");
  if (releaseAt >= 0) {
    const release = args[releaseAt + 1];
    if (!release) throw new Refusal("--release needs a version, e.g. --release 3.260.0");
    if (!goVersion()) throw new Refusal(`building Pulumi ${release} needs Go (https://go.dev/doc/install)`);
    const toolchain = await provisionToolchain(release, wrapperOf(release), pinned);
    const bin = path.join(toolchain.dir, "bin");
    const set = inspect(bin, floor);
    if (set.problem) throw new Refusal(set.problem);
    report(
      set,
      bin,
      "build",
      `${toolchain.built ? "built" : "using the cache's build of"} Pulumi ${release} (--release)`,
    );
    return;
  }

  if (process.env.PULUMI_CLI_DIR) {
    const given = process.env.PULUMI_CLI_DIR;
    if (!fs.existsSync(given) || !fs.statSync(given).isDirectory())
      throw new Refusal(`PULUMI_CLI_DIR=${given} is not a directory`);
    const dir = fs.realpathSync(given);
    const set = inspect(dir, floor);
    if (set.problem) throw new Refusal(`PULUMI_CLI_DIR: ${set.problem}`);
    const bin = path.basename(dir) === "bin" ? dir : linkedBin(dir);
    report(set, bin, "cli-dir", `using PULUMI_CLI_DIR=${dir} (never built): ${set.decision.reason}`);
    return;
  }

  const reasons = [];
  const root = cacheRoot();
  if (process.env.PULUMI_PROVISION_IGNORE_PATH !== "1") {
    const found = pulumiOnPath();
    // A toolchain of the cache on PATH (scripts/pulumi-env.sh) is checked through step 2, so it stays current.
    if (found && !found.startsWith(root + path.sep)) {
      const set = inspect(found, floor);
      if (!set.problem) {
        report(set, found, "path", `using the Pulumi CLI on PATH: ${set.decision.reason}`);
        return;
      }
      reasons.push(`the pulumi on PATH is not used: ${set.problem}`);
      log(`not using the pulumi on PATH: ${set.problem}`);
    } else if (!found) {
      reasons.push("no pulumi on PATH");
    }
  }
  if (!goVersion()) throw noGo(pinned, floor, reasons);
  const toolchain = await provisionToolchain(pinned, wrapperOf(pinned), pinned);
  const bin = path.join(toolchain.dir, "bin");
  const set = inspect(bin, floor);
  if (set.problem) throw new Refusal(set.problem);
  const why = reasons.length > 0 ? ` (${reasons.join("; ")})` : "";
  report(
    set,
    bin,
    "build",
    `${toolchain.built ? "built" : "using the cache's build of"} Pulumi ${pinned} (this project's pin)${why}`,
  );
}

main().catch((error) => {
  process.stderr.write(
    `[provision-pulumi] error: ${error instanceof Refusal ? error.message : error.stack}\n`,
  );
  process.exit(1);
});
