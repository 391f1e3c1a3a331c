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
export interface ImmutaErrorJson {
  name: string;
  kind: ImmutaErrorKind;
  message: string;
  operation: string;
  method: string;
  path: string;
  status?: number;
  immutaMessage?: string;
  ambiguous: boolean;
  attempts: number;
  [extra: string]: unknown;
}

/**
 * Base of every error the Immuta client throws. It copies only safe fields: no axios error, request,
 * response, config or headers is ever referenced, so a credential cannot surface through it.
 */
export class ImmutaError extends Error {
  static {
    // On the prototype (not an instance field) so the stack header reads "ImmutaError: ..." and survives minification.
    Object.defineProperty(this.prototype, "name", {
      value: "ImmutaError",
      writable: true,
      configurable: true,
    });
  }

  readonly kind: ImmutaErrorKind;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly immutaMessage?: string;
  readonly ambiguous: boolean;
  readonly attempts: number;

  constructor(message: string, details: ImmutaErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.operation = details.operation;
    this.method = details.method;
    this.path = details.path;
    if (details.status !== undefined) this.status = details.status;
    if (details.immutaMessage !== undefined) this.immutaMessage = details.immutaMessage;
    this.ambiguous = details.ambiguous ?? false;
    this.attempts = details.attempts ?? 0;
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
    };
  }
}

/** `true` when Immuta answered 404 (or 410): the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ImmutaError && error.kind === "not-found";
}

/** `true` when Immuta answered 409: a data source with this name or prefix already exists. */
export function isConflict(error: unknown): boolean {
  return error instanceof ImmutaError && error.kind === "conflict";
}
