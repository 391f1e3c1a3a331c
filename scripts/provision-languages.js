#!/usr/bin/env node
// Provisions what programs in other languages need to drive the native plugin (pulumi-resource-immuta) in the
// end-to-end tests, in the per-user cache like the Pulumi CLI (scripts/lib/tool-cache.js), so that every clone of
// the machine reuses it (`scripts/provision-languages.sh` runs this script). Progress goes to stderr; the LAST line
// of stdout is what the caller needs:
//
//   node scripts/provision-languages.js python   a venv with Pulumi's Python SDK at the pinned version and the
//                                                generated SDK (sdk/generated/python) installed; prints the venv's
//                                                python
//   node scripts/provision-languages.js yaml     Pulumi's YAML language host, built from its Go module; prints its
//                                                bin directory
//
// python: needs python3 >= 3.9 with the venv module; pip installs `pulumi==<pinned>` (devDependencies["@pulumi/pulumi"])
//   and parver (a dependency of the generated SDK) from PyPI (about 30 s), then the generated SDK. One venv per
//   pinned version, Python version and content of sdk/generated/python. Programs run as Automation API inline
//   programs, so no Python language host is needed.
// yaml: needs Go >= 1.25; `go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0` (about
//   1.5 minutes with a warm module cache). It builds on its own module graph: it does not compile inside
//   tools/pulumi-cli, whose pkg/v3 is newer, and runs YAML programs with the pinned CLI.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { hashInputs, provisionEntry, treeInputs } = require("./lib/tool-cache");
const { goFlags, goVersion, runGo } = require("./lib/go-build");

const ROOT = path.resolve(__dirname, "..");
const YAML_HOST_MODULE = "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml";
const YAML_HOST_VERSION = "1.25.0";
const PYTHON_PACKAGES = ["parver", "setuptools", "wheel"];

const progress = (message) => process.stderr.write(`[provision-languages] ${message}\n`);
class Refusal extends Error {}

const pinned = () =>
  String(require(path.join(ROOT, "package.json")).devDependencies["@pulumi/pulumi"]).replace(/^[~^=v]/, "");
const platform = `${process.platform}-${process.arch}`;

/** Runs a command with its output on stderr; throws `message` when it fails. */
function run(command, args, message, options = {}) {
  const result = spawnSync(command, args, { stdio: ["ignore", 2, 2], ...options });
  if (result.error || result.status !== 0) throw new Refusal(message);
}

async function provisionPython() {
  const version = pinned();
  const probe = spawnSync("python3", ["-c", "import sys; print(sys.version.split()[0])"], {
    encoding: "utf8",
  });
  if (probe.error || probe.status !== 0)
    throw new Refusal("python3 is not on PATH (Python >= 3.9 with the venv module is needed)");
  const pythonVersion = probe.stdout.trim();
  const [major, minor] = pythonVersion.split(".").map(Number);
  if (major < 3 || (major === 3 && minor < 9))
    throw new Refusal(`python3 is ${pythonVersion}; Pulumi's Python SDK needs Python >= 3.9`);
  const sdk = path.join(ROOT, "sdk", "generated", "python");
  const generated = treeInputs(sdk, (name) => /(^|\/)(__pycache__|build|[^/]*\.egg-info)$|\.pyc$/.test(name));
  const { dir } = await provisionEntry({
    kind: "python-venv",
    version,
    inputsHash: hashInputs([
      platform,
      `python ${pythonVersion}`,
      `pulumi==${version}`,
      ...PYTHON_PACKAGES,
      ...generated,
    ]),
    // Thousands of files: their sizes are checked on every use, their content only when built.
    verify: "size",
    log: progress,
    build: (staging) => {
      const venv = path.join(staging, "venv");
      const python = path.join(venv, "bin", "python");
      progress(`creating a Python venv with pulumi==${version} (pip, from PyPI) ...`);
      run(
        "python3",
        ["-m", "venv", venv],
        "python3 -m venv failed (on Debian: apt-get install python3-venv)",
      );
      const pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"];
      run(
        pip[0],
        [...pip.slice(1), `pulumi==${version}`, ...PYTHON_PACKAGES],
        `pip install pulumi==${version} failed`,
      );
      // From a copy: building in place would leave build/ and *.egg-info in the checkout.
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-sdk-python-"));
      try {
        fs.cpSync(sdk, copy, { recursive: true });
        progress("installing the generated Python SDK (sdk/generated/python) into the venv ...");
        run(
          pip[0],
          [...pip.slice(1), "--no-deps", "--no-build-isolation", "--force-reinstall", copy],
          "pip install of sdk/generated/python failed",
        );
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
      return Promise.resolve();
    },
  });
  progress(`Python venv with pulumi==${version} and sdk/generated/python: ${path.join(dir, "venv")}`);
  return path.join(dir, "venv", "bin", "python");
}

async function provisionYaml() {
  if (!goVersion())
    throw new Refusal("Go is not installed; building Pulumi's YAML language host needs Go >= 1.25");
  const ldflags = "-s -w";
  const { dir } = await provisionEntry({
    kind: "pulumi-language-yaml",
    version: YAML_HOST_VERSION,
    inputsHash: hashInputs([platform, ldflags, `${YAML_HOST_MODULE}@v${YAML_HOST_VERSION}`]),
    log: progress,
    build: async (staging) => {
      progress(
        `building pulumi-language-yaml v${YAML_HOST_VERSION} from its Go module (about 1.5 minutes warm) ...`,
      );
      const seconds = await runGo(
        ["install", "-ldflags", ldflags, `${YAML_HOST_MODULE}@v${YAML_HOST_VERSION}`],
        {
          cwd: ROOT,
          // `go install pkg@version` refuses -mod; it builds in its own module, never touching the checkout's.
          env: { GOFLAGS: goFlags(undefined), GOBIN: path.join(staging, "bin") },
          label: "pulumi-language-yaml",
          progress,
        },
      );
      progress(`  built pulumi-language-yaml in ${seconds} s`);
    },
  });
  progress(`pulumi-language-yaml v${YAML_HOST_VERSION}: ${path.join(dir, "bin")}`);
  return path.join(dir, "bin");
}

const LANGUAGES = { python: provisionPython, yaml: provisionYaml };

async function main() {
  const provision = LANGUAGES[process.argv[2]];
  if (!provision) throw new Refusal("usage: scripts/provision-languages.sh python|yaml");
  process.stdout.write(`${await provision()}\n`);
}

main().catch((error) => {
  process.stderr.write(
    `[provision-languages] error: ${error instanceof Refusal ? error.message : error.stack}\n`,
  );
  process.exit(1);
});
