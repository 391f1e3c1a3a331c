/**
 * This product's import path: `pulumi import` cannot work for dynamic providers (pulumi/pulumi#3550), so a
 * declaration with `adopt` takes over an existing source in `create` instead of registering a new one.
 */
import { isNotFound } from "../client";
import type { DataSourceInputs } from "../core/inputs";
import { AdoptionError } from "../core/errors";
import type { DataSourceState } from "../core/state";
import type { Tenant } from "../core/tenants";
import { describeSource, inContext } from "./messages";
import { finishWithGovernance } from "./governance";
import { fetchHandler, mismatches, viewFacts, type ImmutaView } from "./immuta-view";

async function locate(tenant: Tenant, declared: DataSourceInputs): Promise<ImmutaView> {
  const { client } = tenant;
  const subject = describeSource(declared.dataSourceName, declared.prefix);
  const byId = declared.adopt?.dataSourceId;
  try {
    const dataSource =
      byId !== undefined
        ? await client.getDataSource(byId).catch((error: unknown) => {
            if (isNotFound(error)) {
              throw new AdoptionError(
                `Cannot adopt ${subject}: Immuta has no data source with id ${byId}. Check adopt.dataSourceId, ` +
                  `or remove adopt to register a new source.`,
              );
            }
            throw error;
          })
        : await client.findDataSourceByName(declared.dataSourceName);
    if (!dataSource) {
      throw new AdoptionError(
        `Cannot adopt ${subject}: Immuta has no data source named "${declared.dataSourceName}". ` +
          `Check the name, adopt by id with adopt: { dataSourceId: <id> }, or remove adopt to register a new source.`,
      );
    }
    return await fetchHandler(tenant, dataSource);
  } catch (error) {
    throw inContext("Adopting", subject, error);
  }
}

/**
 * Takes over an existing source after verifying that it is the declared one; a mismatch is an error that lists
 * every difference. A disabled source is restored, since a declaration describes an enabled source, and the
 * declared tags and description are applied.
 */
export async function adoptDataSource(
  tenant: Tenant,
  declared: DataSourceInputs,
  notify: (message: string) => void,
): Promise<DataSourceState> {
  const view = await locate(tenant, declared);
  const subject = describeSource(declared.dataSourceName, declared.prefix, view.dataSource.id);
  // By name, the name matched by construction (and may be Immuta's generated one); by id it must match.
  const problems = mismatches(declared, view, declared.adopt?.dataSourceId !== undefined);
  if (problems.length > 0) {
    throw new AdoptionError(
      `Cannot adopt ${subject}: it differs from the declaration.\n  - ${problems.join("\n  - ")}\n` +
        `Change the declaration to match Immuta, or adopt a different source.`,
    );
  }
  if (view.dataSource.deleted === true) {
    try {
      const restored = await tenant.client.restoreDataSource(view.dataSource.id);
      view.dataSource = { ...view.dataSource, ...restored };
    } catch (error) {
      throw inContext("Restoring the disabled", subject, error);
    }
  }
  // An adopted source takes on the declared metadata as a registered one does.
  return finishWithGovernance(tenant, declared, view.dataSource, viewFacts(view, []), notify);
}
