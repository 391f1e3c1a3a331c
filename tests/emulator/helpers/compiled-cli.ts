import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

const repoRoot = join(__dirname, "..", "..", "..");
const emulatorSource = join(repoRoot, "emulator");

/**
 * Transpiles the current emulator sources, and the repository modules they import (the shared S3 naming rules), to
 * JavaScript in a temp directory, so CLI tests run the code under test (a stale `dist/` cannot hide a change)
 * without building the rest of the package.
 */
export function compileEmulatorCli(): { cliPath: string; cleanup(): void } {
  const outDir = mkdtempSync(join(tmpdir(), "immuta-emulator-cli-"));
  const pending = typeScriptFiles(emulatorSource);
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const output = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: file,
    });
    const target = join(outDir, relative(repoRoot, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
    for (const [, imported] of output.outputText.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const source = join(dirname(file), `${imported}.ts`);
      if (existsSync(source)) pending.push(source);
    }
  }
  return {
    cliPath: join(outDir, "emulator", "cli.js"),
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return entry.endsWith(".ts") && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node cli.js ...args`; the compiled files find `ajv` through NODE_PATH. */
export function spawnCli(cliPath: string, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH, NODE_PATH: join(repoRoot, "node_modules"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const READY = /^Immuta emulator listening on (http:\/\/\S+)$/m;

/** Resolves with the URL from the readiness line; rejects if the process exits first or takes too long. */
export function waitForReady(cli: CliProcess, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`CLI not ready: ${cli.stdout()} ${cli.stderr()}`)),
      timeoutMs,
    );
    const check = (): void => {
      const match = READY.exec(cli.stdout());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    cli.child.stdout?.on("data", check);
    void cli.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before ready: ${cli.stderr()}`));
    });
    check();
  });
}
