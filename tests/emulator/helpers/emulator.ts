import {
  EmulatorControl,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../../emulator";

/** What Immuta's documented create example sends. */
export interface CreateBody {
  type: string;
  integrationId: number;
  dataSources: { dataSourceName: string; prefix: string }[];
}

export interface CreatedBody {
  dataSourceId: number;
  prefix: string;
  dataSourceName: string;
}

export interface DataSourceBody {
  id: number;
  name: string;
  deleted: boolean;
  status: string;
  blobHandlerType: string;
  blobHandler?: { url: string };
  connectionString: string;
  createdAt: string;
  updatedAt: string;
  description: string | null;
  tags: TagBody[];
}

/** A tag on a data source, as the tag endpoints and `GET /dataSource/{id}` show it. */
export interface TagBody {
  name: string;
  source: string;
  addedBy: number;
  deleted: boolean;
}

/** A tag list answer in `tagList: wrapped`. */
export interface WrappedTagsBody {
  tags: TagBody[];
  count: number;
}

/** A search hit in `searchHits: summary` (the documented members). */
export interface SummaryBody {
  id: number;
  name: string;
  deleted: boolean;
  status: string;
  blobHandlerType: string;
  connectionString: string;
  subscriptionStatus: string;
  createdAt: string;
}

export interface SearchBody<Hit = SummaryBody> {
  hits: Hit[];
  count: number;
}

export interface HandlerBody {
  id: number;
  dataSourceId: number;
  metadata: { prefix: string; integrationId: number | string; dataSourceName: string };
  type: string;
  awsLocationPath?: string;
}

export interface DeleteBody {
  success: boolean;
  id: number;
  name: string;
  disabled: boolean;
  /** Only in `deleteResponse: with-hard-delete`. */
  hardDelete?: boolean;
  schemaEvolutionId: number;
  handlerDeleteErrorMessage: string | null;
}

export interface IntegrationBody {
  id: string;
  status: string;
  type: string;
  config: {
    name: string;
    awsAccountId: string;
    awsRegion: string;
    awsLocationRole: string;
    awsLocationPath: string;
  };
}

export interface BoomBody {
  statusCode: number;
  error: string;
  message: string;
  validation?: { source: string; keys: string[] };
}

export interface CallOptions {
  /** Authorization header value; defaults to the demo API key; `null` sends none. */
  auth?: string | null;
  /** JSON-encoded as the body. */
  body?: unknown;
  /** Sent verbatim instead of `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CallResult<T> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  body: T;
}

export interface TestEmulator {
  running: RunningEmulator;
  control: EmulatorControl;
  url: string;
  apiKey: string;
  /** One HTTP request to the emulated Immuta API. */
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  /** POST /native-s3/handler with one source. */
  create(
    name: string,
    prefix: string,
    options?: { integrationId?: number; auth?: string },
  ): Promise<CallResult<CreatedBody>>;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = "test-admin-token";
export const DEMO_KEY = "demo-api-key-0123456789abcdef";

/** Starts an emulator on a free loopback port with known secrets. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const running = await startEmulator({ apiKey: DEMO_KEY, adminToken: ADMIN_TOKEN, ...options });
  const call = async <T>(
    method: string,
    path: string,
    callOptions: CallOptions = {},
  ): Promise<CallResult<T>> => {
    const headers: Record<string, string> = { ...callOptions.headers };
    const auth = callOptions.auth === undefined ? running.apiKey : callOptions.auth;
    if (auth !== null) headers.authorization = auth;
    let body: string | undefined = callOptions.rawBody;
    if (body === undefined && callOptions.body !== undefined) {
      body = JSON.stringify(callOptions.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers,
      body,
      signal: callOptions.signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: parseJson(text) as T };
  };
  return {
    running,
    control: new EmulatorControl(running.url, running.adminToken),
    url: running.url,
    apiKey: running.apiKey,
    call,
    create: (name, prefix, createOptions = {}) =>
      call<CreatedBody>("POST", "/native-s3/handler", {
        auth: createOptions.auth,
        body: createBody([{ dataSourceName: name, prefix }], createOptions.integrationId),
      }),
    close: () => running.close(),
  };
}

export function createBody(dataSources: CreateBody["dataSources"], integrationId = 1): CreateBody {
  return { type: "Native S3", integrationId, dataSources };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The `typeof` of every member, recursively: what "the same shape" means for Immuta's documented examples. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, shapeOf(member)]));
  }
  return typeof value;
}
