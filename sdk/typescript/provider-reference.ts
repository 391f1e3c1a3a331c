/**
 * What Pulumi state stores as `__provider` for every ImmutaS3DataSource.
 *
 * `pulumi.dynamic.Resource` would serialize a provider object's code into state: each method costs ~250 bytes
 * of wrapper, so even a shim that only delegates exceeds 1 KB per resource, and code captured by value pins old
 * behaviour into old state. Instead every resource stores this one line, which loads the provider installed in
 * the program's node_modules by package name when the engine runs it (the dynamic-provider host evaluates it
 * with require-from-string, resolving from the program directory). A fix in a new release therefore also
 * applies to resources created by an older one; the module path and the `provider` export are a contract.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PROVIDER_KEY } from "../../provider/core/constants";

/** The serialized provider: no credential, no machine path, a few dozen bytes. */
export const PROVIDER_REFERENCE =
  'exports.handler = function () { return require("pulumi-immuta/provider").provider; };\n';

/**
 * Passed to the `pulumi.dynamic.Resource` constructor only to satisfy its signature; the reference above replaces
 * its serialization (see {@link withProviderReference}). It has nothing worth serializing, so that is cheap.
 */
export const REFERENCED_PROVIDER: pulumi.dynamic.ResourceProvider = Object.freeze({
  create() {
    return Promise.reject(
      new Error("pulumi-immuta: the provider is loaded from the pulumi-immuta package at run time"),
    );
  },
});

const discardedSerializations: Promise<unknown>[] = [];

/** Resolves when the serializations the base constructor started (and that state never uses) have finished. */
export async function discardedSerializationsSettled(): Promise<void> {
  await Promise.all(discardedSerializations);
}

/**
 * Returns the resource properties with `__provider` pinned to {@link PROVIDER_REFERENCE}. The dynamic
 * `Resource` constructor assigns its own serialization to `__provider`; the accessor keeps ours instead, so the
 * class remains a real `pulumi.dynamic.Resource` while state stays small and delegating.
 */
export function withProviderReference<T extends object>(props: T): T {
  let assigned = false;
  Object.defineProperty(props, PROVIDER_KEY, {
    enumerable: true,
    configurable: true,
    get: () => (assigned ? PROVIDER_REFERENCE : undefined),
    set: (serialization: unknown) => {
      assigned = true;
      // The base class's serialization still runs (once per process); keep it observable so nothing waits on it
      // unseen (tests await it before their environment is torn down).
      const promise = (serialization as { promise?: () => Promise<unknown> } | undefined)?.promise?.();
      if (promise) discardedSerializations.push(promise.catch(() => undefined));
    },
  });
  return props;
}
