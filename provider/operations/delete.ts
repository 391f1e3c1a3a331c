/**
 * `delete`: Immuta's first DELETE only disables a source; destroy always sends the second, which purges it, so
 * nothing is left half-deleted (holding its name and prefix).
 */
import type { Tenant } from "../core/tenants";
import { HandlerCleanupError } from "../core/errors";
import type { DataSourceState } from "../core/state";
import { describeSource, inContext } from "./messages";

export async function deleteDataSource({ client }: Tenant, state: DataSourceState): Promise<void> {
  const subject = describeSource(state.immutaName, state.prefix, state.dataSourceId);
  const result = await client.hardDeleteDataSource(state.dataSourceId).catch((error: unknown) => {
    throw inContext("Deleting", subject, error);
  });
  // Immuta may repeat the same message on the disabling and on the purging DELETE: report each one once.
  const handlerMessages = [...new Set(result.handlerDeleteErrorMessages)];
  if (handlerMessages.length > 0) {
    throw new HandlerCleanupError(
      `Deleting ${subject}: Immuta purged the data source but reported that it could not clean up its S3 ` +
        `handler: ${handlerMessages.join("; ")}. Check the handler in Immuta; run pulumi ` +
        `destroy (or refresh) again to drop the resource from state.`,
    );
  }
}
