/**
 * The per-user cache of the provisioning scripts (scripts/lib/tool-cache.js), on real folders and real processes:
 * where it lives, when an entry is reused or rebuilt, what a damaged or half-written entry leads to, and two
 * provisionings of the same entry at once.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

const TOOL_CACHE = path.resolve(__dirname, "../../scripts/lib/tool-cache.js");

interface EntryRequest {
  root: string;
  kind: string;
  version: string;
  inputsHash: string;
  verify?: "content" | "size";
  build(staging: string): Promise<void>;
  log?(message: string): void;
}
const cache = createRequire(__filename)(TOOL_CACHE) as {
  MARKER: string;
  cacheRoot(env: Record<string, string | undefined>, home: string): string;
  hashInputs(inputs: (string | { file: string; name?: string })[]): string;
  entryDirectory(root: string, kind: string, version: string, inputsHash: string): string;
  entryProblem(dir: string, key: { kind: string; version: string; inputs: string }): string | undefined;
  provisionEntry(request: EntryRequest): Promise<{ dir: string; built: boolean }>;
  cleanCache(root: string): { removed: string[]; kept: string[] };
};

const HASH = "a1".repeat(32);
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-cache-test-"));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A request for a fake tool whose build writes `tool` (a given content) and counts its builds. */
function fakeTool(content = "built tool\n", overrides: Partial<EntryRequest> = {}) {
  const builds: string[] = [];
  const messages: string[] = [];
  const request: EntryRequest = {
    root,
    kind: "fake-tool",
    version: "1.2.3",
    inputsHash: HASH,
    build: (staging) => {
      builds.push(staging);
      fs.mkdirSync(path.join(staging, "bin"));
      fs.writeFileSync(path.join(staging, "bin", "tool"), content, { mode: 0o755 });
      return Promise.resolve();
    },
    log: (message) => messages.push(message),
    ...overrides,
  };
  return { request, builds, messages };
}

/** Every name in the kind's folder: entries, and anything left beside them. */
const kindFolder = () => fs.readdirSync(path.join(root, "fake-tool")).sort();

describe("where the cache lives", () => {
  it("PULUMI_IMMUTA_CACHE_DIR wins, then $XDG_CACHE_HOME/pulumi-immuta, then ~/.cache/pulumi-immuta", () => {
    const env = { PULUMI_IMMUTA_CACHE_DIR: "/srv/cache", XDG_CACHE_HOME: "/xdg" };
    expect(cache.cacheRoot(env, "/home/u")).toBe("/srv/cache");
    expect(cache.cacheRoot({ XDG_CACHE_HOME: "/xdg" }, "/home/u")).toBe("/xdg/pulumi-immuta");
    expect(cache.cacheRoot({}, "/home/u")).toBe("/home/u/.cache/pulumi-immuta");
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    expect(cache.cacheRoot({ XDG_CACHE_HOME: "relative/cache" }, "/home/u")).toBe(
      "/home/u/.cache/pulumi-immuta",
    );
  });
});

describe("an entry", () => {
  it("is named by kind, version and the hash of its inputs: a changed input is a new entry", () => {
    const goMod = path.join(root, "go.mod");
    fs.writeFileSync(goMod, "module a\n");
    const before = cache.hashInputs(["linux-x64", { file: goMod, name: "go.mod" }]);
    expect(cache.hashInputs(["linux-x64", { file: goMod, name: "go.mod" }])).toBe(before);
    fs.writeFileSync(goMod, "module b\n");
    const after = cache.hashInputs(["linux-x64", { file: goMod, name: "go.mod" }]);
    expect(after).not.toBe(before);
    expect(cache.hashInputs(["darwin-arm64", { file: goMod, name: "go.mod" }])).not.toBe(after);
    expect(cache.entryDirectory("/c", "pulumi-cli", "3.248.0", after)).toBe(
      `/c/pulumi-cli/3.248.0-${after.slice(0, 16)}`,
    );
  });

  it("is built once, then reused; the build's folder is renamed into place with its completion record", async () => {
    const tool = fakeTool();
    const first = await cache.provisionEntry(tool.request);
    expect(first.built).toBe(true);
    expect(fs.readFileSync(path.join(first.dir, "bin", "tool"), "utf8")).toBe("built tool\n");
    expect(fs.existsSync(path.join(first.dir, cache.MARKER))).toBe(true);
    // Built in a staging folder beside the entry, which is gone now.
    expect(path.dirname(tool.builds[0])).toBe(path.dirname(first.dir));
    expect(kindFolder()).toEqual([path.basename(first.dir)]);

    const second = await cache.provisionEntry(tool.request);
    expect(second).toEqual({ dir: first.dir, built: false });
    expect(tool.builds).toHaveLength(1);
  });

  it.each([
    [
      "a file cut short",
      (dir: string) => fs.truncateSync(path.join(dir, "bin", "tool"), 3),
      "bin/tool is 3 bytes, not 11",
    ],
    [
      "a file of the same size with other content",
      (dir: string) => fs.writeFileSync(path.join(dir, "bin", "tool"), "BUILT TOOL\n"),
      "bin/tool does not have the content it was built with",
    ],
    ["a missing file", (dir: string) => fs.rmSync(path.join(dir, "bin", "tool")), "bin/tool is missing"],
    [
      "no completion record (a build that never finished)",
      (dir: string) => fs.rmSync(path.join(dir, cache.MARKER)),
      `it has no ${".complete.json"} (its build never finished)`,
    ],
    [
      "a completion record of another build",
      (dir: string) => {
        const marker = path.join(dir, cache.MARKER);
        fs.writeFileSync(marker, fs.readFileSync(marker, "utf8").replace(/"1\.2\.3"/, '"9.9.9"'));
      },
      `its ${".complete.json"} records another build`,
    ],
  ])("with %s is detected, said so, and rebuilt", async (_what, damage, problem) => {
    const tool = fakeTool();
    const { dir } = await cache.provisionEntry(tool.request);
    damage(dir);
    expect(cache.entryProblem(dir, { kind: "fake-tool", version: "1.2.3", inputs: HASH })).toBe(problem);

    const again = await cache.provisionEntry(tool.request);
    expect(again).toEqual({ dir, built: true });
    expect(tool.messages).toEqual([`cache entry ${dir} cannot be used (${problem}): rebuilding it`]);
    expect(fs.readFileSync(path.join(dir, "bin", "tool"), "utf8")).toBe("built tool\n");
    expect(cache.entryProblem(dir, { kind: "fake-tool", version: "1.2.3", inputs: HASH })).toBeUndefined();
    expect(kindFolder()).toEqual([path.basename(dir)]);
  });

  it("verified by size only (large trees) still catches a file cut short", async () => {
    const tool = fakeTool("0123456789", { verify: "size" });
    const { dir } = await cache.provisionEntry(tool.request);
    fs.writeFileSync(path.join(dir, "bin", "tool"), "9876543210");
    expect(cache.entryProblem(dir, { kind: "fake-tool", version: "1.2.3", inputs: HASH })).toBeUndefined();
    fs.truncateSync(path.join(dir, "bin", "tool"), 4);
    expect((await cache.provisionEntry(tool.request)).built).toBe(true);
  });

  it("is not published when its build fails: no entry, no staging folder, and the next run builds", async () => {
    const failing = fakeTool("x", {
      build: (staging) => {
        fs.writeFileSync(path.join(staging, "half"), "half of it");
        return Promise.reject(new Error("go build failed"));
      },
    });
    await expect(cache.provisionEntry(failing.request)).rejects.toThrow("go build failed");
    expect(kindFolder()).toEqual([]);
    expect((await cache.provisionEntry(fakeTool().request)).built).toBe(true);
  });

  it("left half-built by a process that died (its staging folder and lock) is rebuilt, and the leftovers removed", async () => {
    const dead = await deadPid();
    const { request, builds } = fakeTool();
    const dir = cache.entryDirectory(root, request.kind, request.version, request.inputsHash);
    fs.mkdirSync(`${dir}.staging-${dead}-0badc0de/bin`, { recursive: true });
    fs.writeFileSync(`${dir}.staging-${dead}-0badc0de/bin/tool`, "bui");
    fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), started: null }));

    expect(await cache.provisionEntry(request)).toEqual({ dir, built: true });
    expect(builds).toHaveLength(1);
    expect(kindFolder()).toEqual([path.basename(dir)]);
  });
});

describe("two provisionings of one entry at the same time", () => {
  it("in two processes: one builds, the other waits and uses its entry; nothing is built twice", async () => {
    const counter = path.join(root, "builds.log");
    const runs = await Promise.all([provisionInChild(counter), provisionInChild(counter)]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const results = runs.map((run) => JSON.parse(run.stdout) as { dir: string; built: boolean });
    expect(results[0].dir).toBe(results[1].dir);
    expect(results.map((result) => result.built).sort()).toEqual([false, true]);
    expect(fs.readFileSync(counter, "utf8").trim().split("\n")).toHaveLength(1);
    expect(fs.readFileSync(path.join(results[0].dir, "tool"), "utf8")).toHaveLength(100_000);
    expect(
      cache.entryProblem(results[0].dir, { kind: "fake-tool", version: "1.2.3", inputs: HASH }),
    ).toBeUndefined();
    expect(kindFolder()).toEqual([path.basename(results[0].dir)]);
  });

  it("in one process: the second waits for the first's build", async () => {
    const tool = fakeTool("slow", {
      build: async (staging) => {
        tool.builds.push(staging);
        await new Promise((resolve) => setTimeout(resolve, 300));
        fs.writeFileSync(path.join(staging, "tool"), "slow");
      },
    });
    const results = await Promise.all([
      cache.provisionEntry(tool.request),
      cache.provisionEntry(tool.request),
    ]);
    expect(results.map((result) => result.built).sort()).toEqual([false, true]);
    expect(tool.builds).toHaveLength(1);
  });
});

describe("npm run clean:cache", () => {
  it("removes every entry but one being built by a live process", async () => {
    const { dir } = await cache.provisionEntry(fakeTool().request);
    const other = await cache.provisionEntry({ ...fakeTool().request, kind: "other-tool" });
    const building = path.join(root, "other-tool", "2.0.0-0000000000000000");
    fs.mkdirSync(`${building}.staging-${process.pid}-00000000`, { recursive: true });
    fs.writeFileSync(
      `${building}.lock`,
      JSON.stringify({ pid: process.pid, host: os.hostname(), started: null }),
    );

    const { removed, kept } = cache.cleanCache(root);
    expect(removed.sort()).toEqual([
      path.join("fake-tool", path.basename(dir)),
      path.join("other-tool", path.basename(other.dir)),
    ]);
    expect(kept.sort()).toEqual([
      path.join("other-tool", "2.0.0-0000000000000000.lock"),
      path.join("other-tool", `2.0.0-0000000000000000.staging-${process.pid}-00000000`),
    ]);
    expect(fs.existsSync(path.join(root, "fake-tool"))).toBe(false);
  });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

/** A separate Node process provisioning the fake tool with a slow build; prints `{ dir, built }`. */
function provisionInChild(counter: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    const fs = require("node:fs");
    const path = require("node:path");
    const { provisionEntry } = require(${JSON.stringify(TOOL_CACHE)});
    provisionEntry({
      root: ${JSON.stringify(root)}, kind: "fake-tool", version: "1.2.3", inputsHash: ${JSON.stringify(HASH)},
      build: async (staging) => {
        fs.appendFileSync(${JSON.stringify(counter)}, process.pid + "\\n");
        await new Promise((resolve) => setTimeout(resolve, 1500));
        fs.writeFileSync(path.join(staging, "tool"), "x".repeat(100000));
      },
    }).then((result) => process.stdout.write(JSON.stringify(result)));
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", script]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
