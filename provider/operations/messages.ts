/**
 * What every lifecycle operation needs: a client for the resource's tenant, and messages that name the resource.
 */
import { ImmutaError } from "../client";
import { ImmutaProviderError } from "../core/errors";

/** `data source "research" (s3://bucket/research, id 12)`: how messages name a source. */
export function describeSource(name: string, prefix?: string, dataSourceId?: number | string): string {
  const details = [prefix, dataSourceId === undefined ? undefined : `id ${dataSourceId}`].filter(Boolean);
  return details.length > 0 ? `data source "${name}" (${details.join(", ")})` : `data source "${name}"`;
}

/**
 * Prefixes an error with the operation and the resource. API errors already say what failed and what to do;
 * the cause is kept for logs (client errors carry no credential).
 */
export function inContext(action: string, subject: string, error: unknown): Error {
  if (error instanceof ImmutaProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new ImmutaProviderError(`${action} ${subject} failed: ${message}`);
  if (error instanceof ImmutaError) wrapped.cause = error;
  return wrapped;
}
