/**
 * Which operation on which resource the current code runs for, so that what happens deep in the API client (a
 * retry) can be reported with the resource it belongs to. Concurrent operations each keep their own context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { RetryEvent } from "../client";

export interface OperationContext {
  /** What the provider is doing, e.g. `Creating`, `Refreshing`. */
  action: string;
  /** The resource, as messages name it: `data source "research" (s3://bucket/raw, id 12)`. */
  subject: string;
}

const storage = new AsyncLocalStorage<OperationContext>();

/** Runs `work` with `context` as the current operation. */
export function withOperation<T>(context: OperationContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/** The operation the caller runs for, if any. */
export function currentOperation(): OperationContext | undefined {
  return storage.getStore();
}

/**
 * `Creating data source "research" (s3://acme/raw): retrying POST /native-s3/handler in 1000 ms after HTTP 503
 * Service Unavailable (attempt 1 failed)`. Never holds a credential: the event carries none.
 */
export function describeRetry(event: RetryEvent, context = currentOperation()): string {
  const who = context ? `${context.action} ${context.subject}: ` : "";
  return (
    `${who}retrying ${event.method} ${event.path} in ${event.delayMs} ms after ${event.reason} ` +
    `(attempt ${event.attempt} failed)`
  );
}
