/**
 * The dynamic front door: the provider object as Pulumi's Node.js dynamic-provider host calls it. Every resource's
 * state carries the serialized provider in the reserved `__provider` property, which the core never sees: the host
 * adds it back to what `check`, `create`, `read` and `update` return, and this adapter adds it to a partial
 * failure's properties, which the host passes to the engine as they are.
 */
import { PROVIDER_KEY } from "../core/constants";
import { PartialFailureError } from "../core/errors";
import type { ImmutaResourceProvider } from "../resource-provider";

function withoutProviderReference(properties: Record<string, unknown>): Record<string, unknown> {
  const { [PROVIDER_KEY]: _reference, ...declared } = properties;
  return declared;
}

/** The core provider as the dynamic host expects it. */
export function dynamicProvider(core: ImmutaResourceProvider): ImmutaResourceProvider {
  return {
    ...core,
    check: (olds, news) => core.check(olds, withoutProviderReference(news)),
    async create(inputs) {
      try {
        return await core.create(withoutProviderReference(inputs));
      } catch (error) {
        // The properties of a partial failure become the resource's state: without the reference, no later
        // operation on it could load this provider.
        if (error instanceof PartialFailureError) error.properties[PROVIDER_KEY] = inputs[PROVIDER_KEY];
        throw error;
      }
    },
  };
}
