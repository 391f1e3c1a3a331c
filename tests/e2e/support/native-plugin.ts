/**
 * What the native plugin's end-to-end tests share: the plugin on PATH or installed into a PULUMI_HOME from a bundled
 * folder, the languages' toolchains (provisioned by scripts/provision-languages.sh into the per-user cache), and the
 * engine's environment for a run that must never go online.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { API_KEY, type TestEmulator } from "./emulator";
import { pulumiBinDir, pulumiCommand, REPO_ROOT } from "./pulumi-cli";

export const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
export const NATIVE_TYPE = "immuta:index:S3DataSource";

/** A temporary folder, removed by the returned function. */
export function temporaryFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-immuta-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `python` (the venv's interpreter) or `yaml` (the folder holding pulumi-language-yaml), built once and cached. */
export function provisionLanguage(language: "python" | "yaml"): string {
  const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts/provision-languages.sh"), language], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return output.trim().split("\n").pop()!;
}

/** A folder holding only `pulumi-resource-immuta` (npm's bin), to put on PATH as a user's `node_modules/.bin`. */
export function pluginOnPath(into: string): string {
  const bin = path.join(into, "plugin-bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(
    path.join(REPO_ROOT, "bin/pulumi-resource-immuta"),
    path.join(bin, "pulumi-resource-immuta"),
  );
  return bin;
}

/** The documented route for programs without node_modules: bundle, then `pulumi plugin install --file`. */
export function installBundledPlugin(work: string, pulumiHome: string): void {
  const bundle = path.join(work, "plugin-bundle");
  execFileSync(path.join(REPO_ROOT, "bin/pulumi-immuta-plugin"), ["bundle", bundle], { stdio: "pipe" });
  execFileSync(
    path.join(pulumiBinDir(), "pulumi"),
    ["plugin", "install", "resource", "immuta", PACKAGE_VERSION, "--file", bundle],
    { env: { ...process.env, PULUMI_HOME: pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" }, stdio: "pipe" },
  );
  fs.rmSync(bundle, { recursive: true, force: true });
}

/**
 * The engine's environment (the process's own, defined values only, as the Automation API's `envVars` want them):
 * a file backend, no update check, no plugin downloads, no developer's IMMUTA_*.
 */
export function engineEnvironment(options: {
  backendDir: string;
  pulumiHome: string;
  path?: string[];
}): Record<string, string> {
  fs.mkdirSync(options.backendDir, { recursive: true });
  fs.mkdirSync(options.pulumiHome, { recursive: true });
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(inherited),
    PATH: [...(options.path ?? []), pulumiBinDir(), process.env.PATH].join(path.delimiter),
    PULUMI_HOME: options.pulumiHome,
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    IMMUTA_URL: "",
    IMMUTA_API_KEY: "",
  };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (the caller asserts on it). */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 240_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with everything the command printed when it did not exit 0. */
export function expectSuccess(what: string, result: ProcessResult): ProcessResult {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}:\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** Operations per kind, e.g. `{ create: 3 }`. */
export function countOperations(operations: { op: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { op } of operations) counts[op] = (counts[op] ?? 0) + 1;
  return counts;
}

/** The checkpoint file of a stack in a file backend (secrets encrypted). */
export function checkpointText(backendDir: string, stack: string): string {
  const stacksDir = path.join(backendDir, ".pulumi", "stacks");
  const files = fs.readdirSync(stacksDir, { recursive: true, encoding: "utf8" });
  const file = files.find((name) => name.endsWith(`${stack}.json`));
  if (!file) throw new Error(`no checkpoint for stack ${stack} under ${stacksDir}`);
  return fs.readFileSync(path.join(stacksDir, file), "utf8");
}

/**
 * The generated Node.js SDK (sdk/nodejs) built into a program's node_modules as `pulumi-immuta-native`, as its
 * package's build (`tsc`, then package.json beside the output) would publish it.
 */
export function installNodeSdk(programDir: string): void {
  const installed = path.join(programDir, "node_modules", "pulumi-immuta-native");
  execFileSync(
    process.execPath,
    [
      require.resolve("typescript/bin/tsc"),
      "-p",
      path.join(REPO_ROOT, "sdk/generated/nodejs/tsconfig.json"),
      "--outDir",
      installed,
    ],
    { stdio: "pipe" },
  );
  fs.copyFileSync(
    path.join(REPO_ROOT, "sdk/generated/nodejs/package.json"),
    path.join(installed, "package.json"),
  );
}

/** A stack of a YAML program (copied from `source`) on the plugin bundle, configured for `immuta`. */
export async function yamlStack(
  work: string,
  source: string,
  immuta: TestEmulator,
): Promise<{ stack: Stack; env: Record<string, string>; programDir: string }> {
  const yamlHost = provisionLanguage("yaml");
  const programDir = path.join(work, "program");
  fs.cpSync(source, programDir, { recursive: true });
  const env = engineEnvironment({
    backendDir: path.join(work, "backend"),
    pulumiHome: path.join(work, "pulumi-home"),
    path: [yamlHost],
  });
  installBundledPlugin(work, env.PULUMI_HOME);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "e2e", workDir: programDir },
    { pulumiCommand: await pulumiCommand(), pulumiHome: env.PULUMI_HOME, envVars: env },
  );
  await stack.setAllConfig({
    "immuta:url": { value: immuta.emulator.url },
    "immuta:apiKey": { value: API_KEY, secret: true },
  });
  return { stack, env, programDir };
}
