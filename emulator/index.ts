import type { AddressInfo } from "node:net";
import { immutaApiRouter } from "./api/routes";
import { Authenticator, randomSecret } from "./auth";
import type { EmulatorState } from "./context";
import { controlRouter } from "./control";
import {
  DEFAULT_HOST,
  DEFAULT_INTEGRATIONS,
  DEFAULT_PORT,
  DEFAULT_SEED,
  DEFAULT_TAG_LIBRARY,
  DEFAULT_TOKEN_TTL_MS,
  DEMO_USER_NAME,
  DEMO_USER_PERMISSIONS,
  REQUEST_LOG_CAPACITY,
} from "./defaults";
import { FaultInjector } from "./faults";
import { resolveModes } from "./modes";
import { StateFile } from "./persistence";
import { RateLimiter } from "./rate-limit";
import { RequestLog } from "./request-log";
import { createEmulatorServer } from "./server";
import { Store } from "./store";
import { TagLibrary } from "./tag-library";
import type { EmulatorIntegration, EmulatorModes, EmulatorUser } from "./types";

export { EmulatorControl, EmulatorControlError } from "./control-client";
export type { DataSourceMutation, DataSourceSeed, IntegrationSeed, TagSeed } from "./control-client";
export { DEFAULT_MODES } from "./defaults";
export { MODE_CHOICES } from "./modes";
export type {
  ActiveFaultRule,
  BlobHandlerMode,
  ChoiceModeName,
  CurrentUserMode,
  DataSourceStatusMode,
  DataSourceTag,
  DeleteResponseMode,
  EmulatorIntegration,
  EmulatorModes,
  EmulatorUser,
  FaultKind,
  FaultRule,
  FaultStatus,
  HandlerIdsMode,
  HandlerIntegrationIdMode,
  HandlerLocationMode,
  IntegrationLocationsMode,
  IntegrationsApiMode,
  MultiSourceResponseMode,
  RawApiKeyMode,
  KeySegmentsMode,
  NamesMode,
  NextIds,
  Permission,
  PrefixFormMode,
  RateLimit,
  RequestLogEntry,
  RequestLogSnapshot,
  SearchHitsMode,
  SearchOffsetMode,
  StoreSnapshot,
  StoredDataSource,
  TagListMode,
  TagSource,
  UnknownTagsMode,
  VisibilityMode,
} from "./types";

/** Start options; every mode of `EmulatorModes` may be given too (the rest take Immuta's documented defaults). */
export interface EmulatorOptions extends Partial<EmulatorModes> {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Listen address; loopback (`127.0.0.1`) unless another is passed explicitly. */
  host?: string;
  /** API key of the user `demo` (CREATE_S3_DATASOURCE + GOVERNANCE); random when absent. */
  apiKey?: string;
  /** Guards `/__emulator/*` (header `X-Emulator-Admin-Token`); random when absent. */
  adminToken?: string;
  /** Further users, e.g. one without GOVERNANCE to test 403s. */
  users?: EmulatorUser[];
  /** Native S3 integrations; default one integration `1` at `s3://` (any bucket). */
  integrations?: EmulatorIntegration[];
  /**
   * The tag library (dot-separated names such as `Finance.PII`; ancestors are implied), replacing the default
   * hierarchies `Finance`, `Sensitivity`, `Discovered` and `Team`.
   */
  tagLibrary?: string[];
  /** Persist state here atomically after every acknowledged mutation; loaded at start. In memory when absent. */
  dataFile?: string;
  /** Seeds the PRNG behind fault probabilities and latency jitter; default 1. */
  seed?: number;
  /** Bearer token lifetime; default one hour. */
  tokenTtlMs?: number;
  /** Receives one line per Immuta request and internal errors; never the Authorization value. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  adminToken: string;
  /** The `demo` user's API key. */
  apiKey: string;
  close(): Promise<void>;
}

/** Starts an emulated Immuta tenant and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const apiKey = options.apiKey ?? randomSecret();
  const adminToken = options.adminToken ?? randomSecret();
  // DECISION: faults replay identically by default (seed 1); pass another seed to vary them.
  const seed = options.seed ?? DEFAULT_SEED;
  const modes = resolveModes(options);
  const integrations = (options.integrations ?? DEFAULT_INTEGRATIONS).map((integration) => ({
    ...integration,
  }));
  const users: EmulatorUser[] = [
    { name: DEMO_USER_NAME, apiKey, permissions: [...DEMO_USER_PERMISSIONS] },
    ...(options.users ?? []),
  ];

  // Built first: invalid users, integrations or tag names fail the start before anything is written.
  const auth = new Authenticator(users, options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS);
  const store = new Store(integrations, {
    uniqueIntegrationLocations: () => modes.integrationLocations === "unique",
  });
  const tagLibrary = new TagLibrary(options.tagLibrary ?? DEFAULT_TAG_LIBRARY);
  const configuredTags = tagLibrary.list();
  const stateFile = options.dataFile
    ? new StateFile(options.dataFile, () => ({ ...store.snapshot(), tagLibrary: tagLibrary.list() }))
    : undefined;
  const saved = await stateFile?.load();
  if (saved) {
    store.replaceAll(saved);
    // DECISION: integrations passed explicitly win over the file's; the defaults only fill a file without any.
    if (options.integrations || saved.integrations.length === 0) {
      for (const integration of integrations) store.upsertIntegration(integration);
    }
    // DECISION: the file's library is kept, and tags passed explicitly are added to it; a file written before the
    // emulator had a library gets the configured one.
    if (saved.tagLibrary) {
      tagLibrary.replace(saved.tagLibrary);
      if (options.tagLibrary) tagLibrary.add(configuredTags);
    }
  }
  // Written once at start: an unwritable path fails here, not on the first create, and the file always exists.
  await stateFile?.save();

  const emulator: EmulatorState = {
    store,
    tagLibrary,
    auth,
    faults: new FaultInjector(seed),
    requestLog: new RequestLog(REQUEST_LOG_CAPACITY),
    rateLimiter: new RateLimiter(),
    modes,
    initial: { integrations, tagLibrary: configuredTags, modes: structuredClone(modes), seed },
    baseUrl: "",
    commit: () => stateFile?.save() ?? Promise.resolve(),
  };
  const { server, close } = createEmulatorServer({
    emulator,
    apiRouter: immutaApiRouter(),
    controlRouter: controlRouter(),
    adminToken,
    log: options.log,
  });

  // DECISION: loopback only unless a host is passed explicitly.
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  emulator.baseUrl = url;

  let closed: Promise<void> | undefined;
  return {
    url,
    adminToken,
    apiKey,
    close: () => {
      closed ??= close().then(() => stateFile?.flush());
      return closed;
    },
  };
}
