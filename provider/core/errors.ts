/**
 * Errors the provider raises itself (the API client's errors are in client/errors). Every message says what
 * failed, for which resource, and what to do; none contains a credential.
 */

/** Base of the provider's own errors, with a fixed `name` so that logs say where an error came from. */
export class ImmutaProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImmutaProviderError";
  }
}

/** Connection settings are missing or invalid. */
export class ImmutaConfigurationError extends ImmutaProviderError {
  constructor(message: string) {
    super(message);
    this.name = "ImmutaConfigurationError";
  }
}

/** An existing data source could not be adopted, or an ambiguous create found a source that is not ours. */
export class AdoptionError extends ImmutaProviderError {
  constructor(message: string) {
    super(message);
    this.name = "AdoptionError";
  }
}

/**
 * The data source exists in Immuta but a later step failed. The engine keeps a resource whose create or update
 * error carries `id` and `properties` (a partial failure), so nothing is orphaned; the next `pulumi up` finishes
 * the work through `update`.
 */
export class PartialFailureError extends ImmutaProviderError {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(message: string, id: string, properties: Record<string, unknown>) {
    super(message);
    this.name = "PartialFailureError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

/** Immuta purged the source but could not clean up its handler: reported, not swallowed. */
export class HandlerCleanupError extends ImmutaProviderError {
  constructor(message: string) {
    super(message);
    this.name = "HandlerCleanupError";
  }
}
