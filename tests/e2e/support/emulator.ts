/** An emulator per test file, and the views of it that end-to-end assertions need. */
import {
  EmulatorControl,
  startEmulator,
  type DataSourceSeed,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../../emulator";

export const API_KEY = "e2e-key-7d41c9a0f3b2";

export interface TestEmulator {
  emulator: RunningEmulator;
  control: EmulatorControl;
  /** Method and path of every Immuta API request since the last `clear`. */
  calls(): Promise<string[]>;
  clear(): Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ apiKey: API_KEY, ...options });
  const control = new EmulatorControl(emulator.url, emulator.adminToken);
  return {
    emulator,
    control,
    async calls() {
      return (await control.requests()).map((entry) => `${entry.method} ${entry.path}`);
    },
    async clear() {
      await control.clearRequests();
    },
  };
}

/** Requests of one kind, e.g. count(calls, "DELETE /dataSource/3"). */
export function count(calls: string[], call: string | RegExp): number {
  return calls.filter((c) => (typeof call === "string" ? c === call : call.test(c))).length;
}

/**
 * One emulator for a whole test file: started in `beforeAll`, closed in `afterAll`. The returned object is filled in
 * when the emulator starts, so tests use it as a plain TestEmulator.
 */
export function emulatorForFile(options: EmulatorOptions = {}): TestEmulator {
  const shared = {} as TestEmulator;
  beforeAll(async () => {
    Object.assign(shared, await startTestEmulator(options));
  });
  afterAll(async () => {
    await shared.emulator?.close();
  });
  return shared;
}

/**
 * Seeds many sources through the control API, several at a time (each control call is its own connection), so a
 * tenant of thousands of sources takes seconds. Ids follow completion order, not the order of `seeds`.
 */
export async function seedSources(
  control: EmulatorControl,
  seeds: DataSourceSeed[],
  concurrency = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < seeds.length) await control.seedDataSource(seeds[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
