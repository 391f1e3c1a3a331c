/**
 * `update`: repairs drift in place (restore a disabled source, rename a renamed one back), applies changed tags and
 * description, and finishes a create that failed half-way. Everything else about a source is a replacement (see
 * diff.ts).
 */
import type { Tenant } from "../core/tenants";
import type { DataSourceInputs } from "../core/inputs";
import { ImmutaProviderError } from "../core/errors";
import { declarationOf, factsOf, type DataSourceState } from "../core/state";
import { applyGovernance, governanceOf, governedState } from "./governance";
import { describeSource, inContext } from "./messages";
import { dataSourceFacts } from "./immuta-view";

export async function updateDataSource(
  tenant: Tenant,
  olds: DataSourceState,
  declared: DataSourceInputs,
  notify: (message: string) => void = () => undefined,
): Promise<DataSourceState> {
  const { client } = tenant;
  const subject = describeSource(olds.dataSourceName, olds.prefix, olds.dataSourceId);
  try {
    if (olds.disabled) await client.restoreDataSource(olds.dataSourceId);
    if (olds.immutaName !== olds.appliedName)
      await client.renameDataSource(olds.dataSourceId, olds.appliedName);
    // What Immuta holds now, tags and description included: what to add and remove follows from it, not from state.
    const dataSource = await client.getDataSource(olds.dataSourceId);
    if (dataSource.deleted === true) {
      throw new ImmutaProviderError(
        `Restoring ${subject} failed: Immuta still reports it disabled after PUT /dataSource/${olds.dataSourceId} ` +
          `{deleted: false}. Restore it in Immuta's UI, or delete the resource and run pulumi up again.`,
      );
    }
    const managesTags = declared.tags !== undefined || olds.tags !== undefined;
    const held = await governanceOf(tenant, dataSource, managesTags);
    const governance = await applyGovernance(
      tenant,
      dataSource.id,
      declared,
      held,
      olds.tags,
      subject,
      notify,
    );
    const declaration = {
      ...declarationOf(olds),
      tenant: declared.tenant ?? olds.tenant,
      adopt: declared.adopt ?? olds.adopt,
      tags: declared.tags,
      description: declared.description,
    };
    return governedState(
      declaration,
      governance,
      dataSourceFacts(dataSource, factsOf(olds), []),
      dataSource.name,
    );
  } catch (error) {
    throw inContext("Updating", subject, error);
  }
}
