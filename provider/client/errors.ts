/** What went wrong, independent of wording; branch on this, never on the message. */
export type ImmutaErrorKind =
  | "bad-request"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "unprocessable"
  | "rate-limited"
  | "server"
  | "invalid-response"
  | "network"
  | "timeout"
  | "deadline"
  | "insecure-url"
  | "invalid-config";

/** Fields every Immuta error carries. None of them may hold a credential. */
export interface ImmutaErrorDetails {
  kind: ImmutaErrorKind;
  /** Client operation, e.g. `create S3 data source`. */
  operation: string;
  /** HTTP method, or `""` when no request was involved. */
  method: string;
  /** Request path and query relative to the tenant root, or `""`. */
  path: string;
  /** HTTP status of the (last) response, if one arrived. */
  status?: number;
  /** Message Immuta put in the error body, credentials scrubbed. */
  immutaMessage?: string;
  /** `true` when a non-idempotent request may have been processed by Immuta. */
  ambiguous?: boolean;
  /** HTTP attempts made for the request that failed. */
  attempts?: number;
}

/** Plain, credential-free form of an error, as returned by `toJSON()`. */
export interface ImmutaErrorJson extends Omit<ImmutaErrorDetails, "ambiguous" | "attempts"> {
  name: string;
  message: string;
  ambiguous: boolean;
  attempts: number;
  [extra: string]: unknown;
}

/** Base of every error the client throws. It copies only safe fields, never an axios error, request or header. */
export class ImmutaError extends Error {
  readonly kind: ImmutaErrorKind;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly immutaMessage?: string;
  readonly ambiguous: boolean;
  readonly attempts: number;
  /** What a subclass adds (`code`, `limitMs`, `endpoint`, ...); shown by `toJSON()` too. */
  readonly #extra: Record<string, unknown>;

  constructor(message: string, details: ImmutaErrorDetails & Record<string, unknown>) {
    super(message);
    const { kind, operation, method, path, status, immutaMessage, ambiguous, attempts, ...extra } = details;
    this.kind = kind;
    this.operation = operation;
    this.method = method;
    this.path = path;
    if (status !== undefined) this.status = status;
    if (immutaMessage !== undefined) this.immutaMessage = immutaMessage;
    this.ambiguous = ambiguous ?? false;
    this.attempts = attempts ?? 0;
    this.#extra = extra;
    Object.assign(this, extra);
  }

  toJSON(): ImmutaErrorJson {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      operation: this.operation,
      method: this.method,
      path: this.path,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.immutaMessage === undefined ? {} : { immutaMessage: this.immutaMessage }),
      ambiguous: this.ambiguous,
      attempts: this.attempts,
      ...this.#extra,
    };
  }
}

/** Immuta (or a proxy in front of it) answered with an HTTP error status. */
export class ImmutaApiError extends ImmutaError {
  declare readonly status: number;
}

/** The connection failed: refused, reset, dropped, DNS or TLS failure. */
export class ImmutaNetworkError extends ImmutaError {
  declare readonly kind: "network";
  /** System error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `CERT_HAS_EXPIRED`. */
  declare readonly code: string;
}

/** A request exceeded `requestTimeoutMs` (`timeout`) or a method call its `operationTimeoutMs` (`deadline`). */
export class ImmutaTimeoutError extends ImmutaError {
  declare readonly kind: "timeout" | "deadline";
  /** The limit that was hit (ms). */
  declare readonly limitMs: number;
}

/** A response did not match its schema or was not JSON at all. */
export class ImmutaInvalidResponseError extends ImmutaError {
  declare readonly kind: "invalid-response";
  /** Endpoint template, e.g. `POST /native-s3/handler`. */
  declare readonly endpoint: string;
  /** JSON pointer of the first problem, e.g. `/dataSourceId`; `""` for the whole body. */
  declare readonly jsonPath: string;
}

// On the prototype and from a literal, so the stack reads "<Name>: ..." even after minification.
for (const [errorClass, name] of [
  [ImmutaError, "ImmutaError"],
  [ImmutaApiError, "ImmutaApiError"],
  [ImmutaNetworkError, "ImmutaNetworkError"],
  [ImmutaTimeoutError, "ImmutaTimeoutError"],
  [ImmutaInvalidResponseError, "ImmutaInvalidResponseError"],
] as const) {
  Object.defineProperty(errorClass.prototype, "name", { value: name, writable: true, configurable: true });
}

/** `true` when Immuta answered 404 (or 410): the object does not exist, or the caller may not see it. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ImmutaError && error.kind === "not-found";
}

/** The message of anything thrown, for composing a larger message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
