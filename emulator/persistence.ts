import { promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { validateStateFile, type StateFileContent } from "./schemas";
import type { StoreSnapshot } from "./types";

const noop = (): void => undefined;

/** What the data file holds: the store, and the tag library. */
export interface PersistedState extends StoreSnapshot {
  tagLibrary: string[];
}

/** A loaded data file; `tagLibrary` is undefined in files written before the emulator had one. */
export interface LoadedState extends StoreSnapshot {
  tagLibrary: string[] | undefined;
}

/**
 * The `--data-file`: loaded at start, rewritten atomically (temp file in the same directory, fsync, rename,
 * fsync of the directory) after every acknowledged mutation, so a killed emulator leaves either the previous
 * or the next complete state and never loses what it acknowledged.
 */
export class StateFile {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private tempSequence = 0;

  constructor(
    readonly path: string,
    private readonly snapshot: () => PersistedState,
  ) {}

  /** Reads the file; undefined when it does not exist yet. Throws when it exists but is not a state file. */
  async load(): Promise<LoadedState | undefined> {
    await this.removeStaleTempFiles();
    let text: string;
    try {
      text = await fs.readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw new Error(`Emulator data file ${this.path} is not valid JSON: ${(error as Error).message}`);
    }
    if (!validateStateFile(content)) {
      const problem = validateStateFile.errors?.[0];
      throw new Error(
        `Emulator data file ${this.path} is not an emulator state file: ${problem?.instancePath || "/"} ${problem?.message ?? ""}`,
      );
    }
    return {
      dataSources: content.dataSources.map((source) => ({
        ...source,
        public: source.public ?? false,
        subscribers: source.subscribers ?? [],
        description: source.description ?? null,
        tags: source.tags ?? [],
      })),
      integrations: content.integrations,
      nextIds: content.nextIds,
      tagLibrary: content.tagLibrary,
    };
  }

  /** Resolves once the state as it is *now* is on disk. */
  // DECISION: writes are serialised and callers arriving while one runs share the next (group commit), so a
  // burst of creates costs a few writes, not one each; only data sources, integrations, counters and the tag library
  // are kept.
  save(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.startWrite();
    this.queued = this.inFlight.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.startWrite();
    });
    return this.queued;
  }

  /** Waits for every write already requested. */
  async flush(): Promise<void> {
    await (this.queued ?? this.inFlight)?.catch(noop);
    await this.inFlight?.catch(noop);
  }

  private startWrite(): Promise<void> {
    // Serialised synchronously, so the write holds every mutation made before this call.
    const content: StateFileContent = { format: "immuta-emulator-state", version: 1, ...this.snapshot() };
    const write = this.writeAtomically(`${JSON.stringify(content, null, 2)}\n`);
    this.inFlight = write;
    const clear = (): void => {
      if (this.inFlight === write) this.inFlight = undefined;
    };
    write.then(clear, clear);
    return write;
  }

  private async writeAtomically(text: string): Promise<void> {
    const tempPath = `${this.path}.${process.pid}.${++this.tempSequence}.tmp`;
    try {
      const handle = await fs.open(tempPath, "w", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tempPath, this.path);
    } catch (error) {
      await fs.rm(tempPath, { force: true }).catch(noop);
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }

  /** A kill between open and rename leaves `<file>.<pid>.<n>.tmp` behind; it never holds acknowledged state. */
  private async removeStaleTempFiles(): Promise<void> {
    const directory = dirname(this.path);
    const pattern = new RegExp(`^${escapeRegExp(basename(this.path))}\\.\\d+\\.\\d+\\.tmp$`);
    const entries = await fs.readdir(directory).catch(() => [] as string[]);
    await Promise.all(
      entries
        .filter((entry) => pattern.test(entry))
        .map((entry) => fs.rm(join(directory, entry), { force: true })),
    );
  }
}

/** Makes the rename itself durable; some platforms cannot open directories, which is fine to skip. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(directory, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(noop);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
