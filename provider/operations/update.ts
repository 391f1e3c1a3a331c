/**
 * `update`: repairs drift in place (restore a disabled source, rename a renamed one back) and finishes a
 * create that failed half-way. Everything else about a source is a replacement (see diff.ts).
 */
import type { Tenant } from "../core/tenants";
import type { DataSourceInputs } from "../core/inputs";
import { ImmutaProviderError } from "../core/errors";
import { buildState, declarationOf, factsOf, type DataSourceState } from "../core/state";
import { describeSource, inContext } from "./messages";
import { dataSourceFacts } from "./immuta-view";

export async function updateDataSource(
  { client }: Tenant,
  olds: DataSourceState,
  declared: DataSourceInputs,
): Promise<DataSourceState> {
  const subject = describeSource(olds.dataSourceName, olds.prefix, olds.dataSourceId);
  try {
    if (olds.disabled) await client.restoreDataSource(olds.dataSourceId);
    if (olds.immutaName !== olds.appliedName)
      await client.renameDataSource(olds.dataSourceId, olds.appliedName);
    const dataSource = await client.getDataSource(olds.dataSourceId);
    if (dataSource.deleted === true) {
      throw new ImmutaProviderError(
        `Restoring ${subject} failed: Immuta still reports it disabled after PUT /dataSource/${olds.dataSourceId} ` +
          `{deleted: false}. Restore it in Immuta's UI, or delete the resource and run pulumi up again.`,
      );
    }
    const declaration = {
      ...declarationOf(olds),
      tenant: declared.tenant ?? olds.tenant,
      adopt: declared.adopt ?? olds.adopt,
    };
    return buildState(declaration, dataSourceFacts(dataSource, factsOf(olds)), dataSource.name);
  } catch (error) {
    throw inContext("Updating", subject, error);
  }
}
