/**
 * Shared set-up of the provider's integration tests: a started emulator on loopback, a provider talking to it over
 * real HTTP, and an `engine` that calls the provider's methods directly but shapes arguments and results as the
 * Pulumi engine's dynamic-provider host does (`__provider` re-attached to checked inputs and to every result).
 */
import { inspect } from "node:util";
import {
  EmulatorControl,
  startEmulator,
  type EmulatorOptions,
  type RequestLogEntry,
  type RunningEmulator,
  type StoredDataSource,
} from "../../emulator";
import type { ImmutaClientOptions } from "../../provider/client";
import type { DataSourceState } from "../../provider/core/state";
import { silentLog, type EngineLog } from "../../provider/runtime/engine-log";
import { dynamicProvider } from "../../provider/dynamic/provider";
import { createProvider, type ImmutaResourceProvider } from "../../provider/resource-provider";

/** A distinctive API key: finding this string in an error means a credential leaked. */
export const API_KEY = "immuta-apikey-7d2e91-SECRET-c04b";

/** What the engine stores in `__provider`: opaque to the provider. */
export const PROVIDER_REF = "ref";

export type Props = Record<string, unknown>;

/** Client options that keep retries fast; a test can add more (e.g. a short `requestTimeoutMs`). */
export const FAST_RETRY: Partial<ImmutaClientOptions> = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

export type NamesMode = "honour" | "generate";
export type HandlerIdsMode = "separate" | "same";

/** The four combinations of the contract modes that change what the provider sees. */
export const MODE_MATRIX: { names: NamesMode; handlerIds: HandlerIdsMode }[] = [
  { names: "honour", handlerIds: "separate" },
  { names: "honour", handlerIds: "same" },
  { names: "generate", handlerIds: "separate" },
  { names: "generate", handlerIds: "same" },
];

/** The provider's methods called as the engine's dynamic-provider host calls them. */
export class Engine {
  constructor(readonly provider: ImmutaResourceProvider) {}

  /** `check` with `__provider` in news; the host puts `__provider` back into whatever `check` returns. */
  async check(news: Props, olds: Props = {}): Promise<Props> {
    const result = await this.provider.check(olds, { ...news, __provider: PROVIDER_REF });
    expect(result.failures ?? []).toEqual([]);
    return { ...(result.inputs as Props), __provider: PROVIDER_REF };
  }

  async create(inputs: Props): Promise<{ id: string; outs: Props }> {
    const result = await this.provider.create(inputs);
    return { id: result.id, outs: { ...(result.outs as unknown as Props), __provider: inputs.__provider } };
  }

  async read(id: string, outs: Props): Promise<{ id?: string; props?: Props; inputs?: Props }> {
    const result = await this.provider.read(id, outs as unknown as DataSourceState);
    if (result.id === undefined) return result;
    return {
      id: result.id,
      props: { ...(result.props as unknown as Props), __provider: outs.__provider },
      ...(result.inputs
        ? { inputs: { ...(result.inputs as unknown as Props), __provider: outs.__provider } }
        : {}),
    };
  }

  async diff(id: string, olds: Props, news: Props) {
    return this.provider.diff(id, olds as unknown as DataSourceState, news);
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const result = await this.provider.update(id, olds as unknown as DataSourceState, news);
    return { ...(result.outs as unknown as Props), __provider: news.__provider };
  }

  async delete(id: string, outs: Props): Promise<void> {
    await this.provider.delete(id, outs as unknown as DataSourceState);
  }
}

export interface Harness {
  emulator: RunningEmulator;
  control: EmulatorControl;
  /** The provider of the current test (a fresh one per test, closed after it). */
  provider: ImmutaResourceProvider;
  engine: Engine;
  /**
   * Another provider for the same emulator, e.g. with another key, client options, environment variables, stack
   * config (passed to `configure`) or a log to read; closed after the test.
   */
  providerWith(options: ProviderVariant): Engine;
  /** Data sources the emulator holds now. */
  sources(): Promise<StoredDataSource[]>;
  source(id: number | string): Promise<StoredDataSource | undefined>;
  /** Immuta API requests received since the last `clearRequests`, as `METHOD path[?query]`. */
  requests(): Promise<string[]>;
  requestLog(): Promise<RequestLogEntry[]>;
}

export interface ProviderVariant {
  apiKey?: string;
  clientOptions?: Partial<ImmutaClientOptions>;
  env?: NodeJS.ProcessEnv;
  config?: Record<string, string>;
  log?: EngineLog;
}

export interface HarnessOptions extends EmulatorOptions {
  clientOptions?: Partial<ImmutaClientOptions>;
}

/**
 * Registers jest hooks: one emulator for the enclosing `describe`, reset before each test, and a fresh provider per
 * test. Returns the harness (valid inside tests).
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  const { clientOptions, ...emulatorOptions } = options;
  let emulator: RunningEmulator | undefined;
  let control: EmulatorControl | undefined;
  let current: ImmutaResourceProvider | undefined;
  let engine: Engine | undefined;
  const extra: ImmutaResourceProvider[] = [];

  const make = (apiKey: string, variant: ProviderVariant = {}) => {
    const provider = dynamicProvider(
      createProvider({
        env: { IMMUTA_URL: emulator!.url, IMMUTA_API_KEY: apiKey, ...variant.env },
        clientOptions: { ...FAST_RETRY, ...clientOptions, ...variant.clientOptions },
        log: variant.log ?? silentLog,
      }),
    );
    const config = variant.config;
    if (config) {
      const get = (key: string) => config[key];
      const require = (key: string) => config[key] ?? fail(`config ${key} is not set`);
      // Pulumi's dynamic `Config` has `require` as well; the provider uses `get` only.
      const pulumiConfig = { get, require };
      void provider.configure({ config: pulumiConfig });
    }
    return provider;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, ...emulatorOptions });
    control = new EmulatorControl(emulator.url, emulator.adminToken);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    await control!.reset();
    current = make(emulator!.apiKey);
    engine = new Engine(current);
  });
  afterEach(() => {
    current?.close();
    for (const provider of extra.splice(0)) provider.close();
  });

  const store = async () => (await control!.store()).dataSources;
  const log = () => control!.requests();
  return {
    get emulator() {
      return emulator!;
    },
    get control() {
      return control!;
    },
    get provider() {
      return current!;
    },
    get engine() {
      return engine!;
    },
    providerWith(variant) {
      const provider = make(variant.apiKey ?? emulator!.apiKey, variant);
      extra.push(provider);
      return new Engine(provider);
    },
    sources: store,
    source: async (id) => (await store()).find((source) => source.id === Number(id)),
    requests: async () =>
      (await log()).map((entry) => `${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ""}`),
    requestLog: log,
  };
}

/** A declaration as a user writes it, with a distinct name and prefix per `tag`. */
export function declaration(tag: string, overrides: Props = {}): Props {
  return { integrationId: 1, prefix: `s3://acme-${tag}/raw/`, dataSourceName: `${tag} data`, ...overrides };
}

/** The canonical prefix `check` makes of `declaration(tag).prefix`. */
export const canonicalPrefix = (tag: string) => `s3://acme-${tag}/raw`;

/** The name Immuta stores for a source created with `declaration(tag)` in the given names mode. */
export function expectedImmutaName(tag: string, names: NamesMode): string {
  return names === "honour" ? `${tag} data` : `${canonicalPrefix(tag)} (123*****9012/us-east-2)`;
}

/** Checks and creates a declaration through the engine; returns what the engine would store. */
export async function createSource(
  harness: Harness,
  tag: string,
  overrides: Props = {},
): Promise<{ id: string; inputs: Props; outs: Props }> {
  const inputs = await harness.engine.check(declaration(tag, overrides));
  const { id, outs } = await harness.engine.create(inputs);
  return { id, inputs, outs };
}

/** The rejection of a promise that must fail. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/** Every way an error is shown or logged: none may contain `secret`. */
export function expectCredentialFree(error: unknown, secret: string = API_KEY): void {
  const renderings = [
    String(error),
    (error as Error).message,
    (error as Error).stack ?? "",
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
  ];
  for (const rendering of renderings) expect(rendering).not.toContain(secret);
}
