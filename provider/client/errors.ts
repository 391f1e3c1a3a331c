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

/** Fields every Immuta error carries, none of them a credential; `ambiguous` and `attempts` default to false and 0. */
export type ImmutaErrorDetails = Pick<ImmutaError, "kind" | "operation" | "method" | "path"> &
  Partial<Pick<ImmutaError, "status" | "immutaMessage" | "ambiguous" | "attempts">>;

/** Plain, credential-free form of an error, as returned by `toJSON()`: its fields, name and message. */
export type ImmutaErrorJson = Pick<ImmutaError, "name" | "message" | keyof ImmutaErrorDetails> &
  Record<string, unknown>;

/** Base of every error the client throws. It copies only safe fields, never an axios error, request or header. */
export class ImmutaError extends Error {
  // Defined here, in this order, before `details` are copied in: how util.inspect and toJSON() list them.
  readonly kind!: ImmutaErrorKind;
  /** Client operation, e.g. `create S3 data source`. */
  readonly operation!: string;
  /** HTTP method, or `""` when no request was involved. */
  readonly method!: string;
  /** Request path and query relative to the tenant root, or `""`. */
  readonly path!: string;
  /** HTTP status of the (last) response, if one arrived. */
  readonly status?: number;
  /** Message Immuta put in the error body, credentials scrubbed. */
  readonly immutaMessage?: string;
  /** `true` when a non-idempotent request may have been processed by Immuta. */
  readonly ambiguous: boolean;
  /** HTTP attempts made for the request that failed. */
  readonly attempts: number;

  /** `details` beyond `ImmutaErrorDetails` are what a subclass adds (`code`, `limitMs`, `endpoint`, ...). */
  constructor(message: string, details: ImmutaErrorDetails & Record<string, unknown>) {
    super(message);
    Object.assign(this, details);
    this.ambiguous = details.ambiguous ?? false;
    this.attempts = details.attempts ?? 0;
  }

  /** Every field, those a subclass adds included, and the message; fields left undefined are left out. */
  toJSON(): ImmutaErrorJson {
    const fields = Object.assign({ name: this.name, kind: this.kind, message: this.message }, this);
    return Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as ImmutaErrorJson;
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
