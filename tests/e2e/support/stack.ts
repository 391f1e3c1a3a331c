/**
 * One isolated Pulumi stack for a test: its own temporary program directory (a copy of a program under
 * tests/e2e/programs), a file:// backend, PULUMI_HOME and passphrase; nothing online, nothing shared.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type ConfigMap, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { pulumiCommand, REPO_ROOT } from "./pulumi-cli";

export const PASSPHRASE = "e2e-test-passphrase";

export interface TestStack {
  stack: Stack;
  /** Folder holding the program copy, the backend and PULUMI_HOME; removed by `dispose`. */
  root: string;
  programDir: string;
  backendDir: string;
  setSources(sources: Record<string, unknown>): Promise<void>;
  /** The stack's checkpoint file as the backend stores it (secrets encrypted). */
  stateFileText(): string;
  dispose(): Promise<void>;
}

export interface TestStackOptions {
  /** A program under tests/e2e/programs, or a repository path such as `examples/quickstart`; default `sources`. */
  program?: string;
  immutaUrl: string;
  apiKey: string;
  sources?: Record<string, unknown>;
  /** Reuse an existing folder layout (portability tests); default a new temporary folder. */
  root?: string;
  stackName?: string;
  /**
   * The node_modules the program's dependencies come from (the SDK matrix's install of another `@pulumi/pulumi`);
   * default this repository's.
   */
  nodeModules?: string;
  /** More environment for the CLI, and so for the language host and the dynamic-provider host it starts. */
  envVars?: Record<string, string>;
  /** The directory of another `pulumi` to run (tests/e2e/other-release.test.ts); default the tests' CLI. */
  pulumiBinDir?: string;
}

/**
 * Copies a program together with a node_modules laid out as `npm install pulumi-immuta` leaves it: the package
 * as a real folder (its dist and package.json), every other dependency beside it (from `nodeModules`, default this
 * repository's). Hard links keep it fast; real paths keep Pulumi's source positions inside the project, as on a
 * user's machine.
 */
export function copyProgram(
  program: string,
  destination: string,
  nodeModules = path.join(REPO_ROOT, "node_modules"),
): void {
  fs.mkdirSync(destination, { recursive: true });
  // A bare name is a test program; a path (e.g. "examples/quickstart") is relative to the repository.
  const source = program.includes("/")
    ? path.join(REPO_ROOT, program)
    : path.join(REPO_ROOT, "tests/e2e/programs", program);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile()) fs.copyFileSync(path.join(source, entry.name), path.join(destination, entry.name));
  }
  const modules = path.join(destination, "node_modules");
  linkTree(nodeModules, modules);
  const installed = path.join(modules, "pulumi-immuta");
  fs.rmSync(installed, { recursive: true, force: true });
  fs.mkdirSync(installed);
  // What the published package holds (package.json `files`): the build, the executables and the schemas.
  linkTree(path.join(REPO_ROOT, "dist"), path.join(installed, "dist"));
  linkTree(path.join(REPO_ROOT, "bin"), path.join(installed, "bin"));
  linkTree(path.join(REPO_ROOT, "schema"), path.join(installed, "schema"));
  for (const file of ["package.json", "schema.json"])
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(installed, file));
}

/** `cp -al` (hard links), or a plain copy across file systems. */
export function linkTree(from: string, to: string): void {
  try {
    execFileSync("cp", ["-al", from, to], { stdio: "pipe" });
  } catch {
    fs.rmSync(to, { recursive: true, force: true });
    execFileSync("cp", ["-a", from, to], { stdio: "pipe" });
  }
}

export async function createTestStack(options: TestStackOptions): Promise<TestStack> {
  const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-e2e-"));
  const programDir = path.join(root, "program");
  const backendDir = path.join(root, "backend");
  const pulumiHome = path.join(root, "pulumi-home");
  if (!fs.existsSync(programDir)) copyProgram(options.program ?? "sources", programDir, options.nodeModules);
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(pulumiHome, { recursive: true });
  const stackName = options.stackName ?? "e2e";

  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir: programDir },
    {
      pulumiCommand: await pulumiCommand(options.pulumiBinDir),
      pulumiHome,
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // The provider must use the stack's config, not the developer's environment.
        IMMUTA_URL: "",
        IMMUTA_API_KEY: "",
        ...options.envVars,
      },
    },
  );
  const config: ConfigMap = {
    "immuta:url": { value: options.immutaUrl },
    "immuta:apiKey": { value: options.apiKey, secret: true },
  };
  if (options.sources) config["e2e:sources"] = { value: JSON.stringify(options.sources) };
  await stack.setAllConfig(config);

  return {
    stack,
    root,
    programDir,
    backendDir,
    async setSources(sources) {
      await stack.setConfig("e2e:sources", { value: JSON.stringify(sources) });
    },
    stateFileText() {
      const stacksDir = path.join(backendDir, ".pulumi", "stacks");
      const files = fs.readdirSync(stacksDir, { recursive: true, encoding: "utf8" });
      const file = files.find((name) => name.endsWith(`${stackName}.json`));
      if (!file) throw new Error(`no checkpoint for stack ${stackName} under ${stacksDir}`);
      return fs.readFileSync(path.join(stacksDir, file), "utf8");
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** A resource as Pulumi's checkpoint records it: the fields tests read. */
export interface CheckpointResource {
  urn: string;
  type: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** The exported deployment: resources, and the operations an interrupted run left pending. */
export interface DeploymentState {
  resources?: CheckpointResource[];
  pending_operations?: { type: string; resource: CheckpointResource }[];
}

/** The stack's deployment, typed (the Automation API returns it untyped). */
export async function deploymentOf(stack: Stack): Promise<DeploymentState> {
  const exported = await stack.exportStack();
  return exported.deployment as DeploymentState;
}

/** This product's resources in a deployment, and the one named `name` (the last URN segment). */
export function immutaResources(deployment: DeploymentState): CheckpointResource[] {
  return (deployment.resources ?? []).filter((resource) => resource.type.includes("immuta:S3DataSource"));
}

export function resourceNamed(deployment: DeploymentState, name: string): CheckpointResource | undefined {
  return deployment.resources?.find((resource) => resource.urn.endsWith(`::${name}`));
}

/** What the engine reported for each resource of a preview or update: operation and replace keys. */
export interface ResourceStep {
  urn: string;
  name: string;
  op: string;
  keys: string[];
}

export function stepRecorder(): { onEvent: (event: EngineEvent) => void; steps: ResourceStep[] } {
  const steps: ResourceStep[] = [];
  return {
    steps,
    onEvent(event) {
      const metadata = event.resourcePreEvent?.metadata;
      if (!metadata || !metadata.type.startsWith("pulumi-nodejs:dynamic/immuta")) return;
      steps.push({
        urn: metadata.urn,
        name: metadata.urn.split("::").pop()!,
        op: metadata.op,
        keys: metadata.keys ?? [],
      });
    },
  };
}

/** Operations per kind on this product's resources (the stack and the default provider left out). */
export function opsOf(steps: ResourceStep[]): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const step of steps) ops[step.op] = (ops[step.op] ?? 0) + 1;
  return ops;
}
