/**
 * How the plugin reaches the engine outside an npm project: the executable npm's bin installs, and the
 * self-contained folder `pulumi-immuta-plugin bundle` writes for `pulumi plugin install --file`. Each is started as
 * the engine starts a plugin, and must print a port that answers GetPluginInfo with the package's version.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emptyProto, grpc, providerServices } from "../../provider/native/rpc-modules";

const ROOT = path.resolve(__dirname, "../..");
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
};

jest.setTimeout(60_000);

const started: ChildProcess[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "immuta-plugin-"));
  folders.push(folder);
  return folder;
}

/** Starts an executable as the engine would (with the engine's address, if any) and reads the port it prints. */
function startPlugin(executable: string, args: string[] = []): Promise<number> {
  const child = spawn(executable, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH },
  });
  started.push(child);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) =>
      reject(new Error(`${executable} exited ${code} before printing a port:\n${stderr}`)),
    );
  });
}

function pluginVersion(port: number): Promise<string> {
  const client = new providerServices.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  return new Promise((resolve, reject) =>
    client.getPluginInfo(new emptyProto.Empty(), (error, info) => {
      client.close();
      if (error) reject(error);
      else resolve(info.getVersion());
    }),
  );
}

it("bin/pulumi-resource-immuta (npm's bin) serves the plugin on the port it prints", async () => {
  expect(fs.statSync(path.join(ROOT, "bin/pulumi-resource-immuta")).mode & 0o111).not.toBe(0);
  const port = await startPlugin(path.join(ROOT, "bin/pulumi-resource-immuta"));
  expect(await pluginVersion(port)).toBe(version);
});

it("exits by itself within seconds once the engine that started it is gone", async () => {
  // A stand-in for the engine: a gRPC server (with no services it answers the plugin's health checks UNIMPLEMENTED,
  // which says the engine is there).
  const engine = new grpc.Server();
  const enginePort = await new Promise<number>((resolve, reject) =>
    engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  await startPlugin(path.join(ROOT, "bin/pulumi-resource-immuta"), [`127.0.0.1:${enginePort}`]);
  const plugin = started[started.length - 1];
  let stderr = "";
  plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => plugin.once("exit", resolve));

  // Still running while the engine listens; gone within about three probes after it stops.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(plugin.exitCode).toBeNull();
  const closedAt = Date.now();
  engine.forceShutdown();
  expect(await exited).toBe(1);
  expect(Date.now() - closedAt).toBeLessThan(10_000);
  expect(stderr).toContain("the Pulumi engine is gone; exiting");
});

it("a bundled folder runs on its own, moved away from this repository's node_modules", async () => {
  const bundled = path.join(tempFolder(), "plugin");
  const result = spawnSync(path.join(ROOT, "bin/pulumi-immuta-plugin"), ["bundle", bundled], {
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`pulumi plugin install resource immuta ${version} --file ${bundled}`);

  const moved = path.join(tempFolder(), "elsewhere");
  fs.renameSync(bundled, moved);
  expect(fs.readdirSync(moved).sort()).toEqual(["node_modules", "pulumi-resource-immuta"]);
  // Only the protocol modules of @pulumi/pulumi, not the SDK.
  expect(fs.readdirSync(path.join(moved, "node_modules/@pulumi/pulumi")).sort()).toEqual([
    "package.json",
    "proto",
  ]);
  const port = await startPlugin(path.join(moved, "pulumi-resource-immuta"));
  expect(await pluginVersion(port)).toBe(version);
});

it("refuses to bundle into a folder that holds something, and says how it is used", () => {
  const folder = tempFolder();
  fs.writeFileSync(path.join(folder, "keep.txt"), "mine");
  const refused = spawnSync(path.join(ROOT, "bin/pulumi-immuta-plugin"), ["bundle", folder], {
    encoding: "utf8",
  });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("is not empty: bundle into a new folder");
  expect(fs.readdirSync(folder)).toEqual(["keep.txt"]);

  const usage = spawnSync(path.join(ROOT, "bin/pulumi-immuta-plugin"), [], { encoding: "utf8" });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain(`pulumi plugin install resource immuta ${version} --file <folder>`);
});
