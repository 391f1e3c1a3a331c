/**
 * `create`: one POST, then one GET to learn the handler id and status (plus, once per integration and provider
 * process, the integration's location); then the declared tags (one POST) and description (one PUT). Never leaves two sources for one declaration, and never an orphan: see the
 * three failure paths below.
 */
import { ImmutaError, isNotFound, type CreateS3DataSourceResponse, type DataSource } from "../client";
import { AdoptionError, ImmutaProviderError, PartialFailureError } from "../core/errors";
import type { DataSourceInputs } from "../core/inputs";
import { relativeTo, samePrefix } from "../core/s3-naming";
import { buildState, resourceId, storedState, type DataSourceState, type ImmutaFacts } from "../core/state";
import type { Tenant } from "../core/tenants";
import type { IntegrationLocation } from "../core/integration-locations";
import type { InterruptedRun } from "./interrupted-run";
import { adoptDataSource } from "./adopt";
import { describeSource, inContext } from "./messages";
import { finishWithGovernance } from "./governance";
import { dataSourceFacts, fetchHandler, mismatches, viewFacts, type ImmutaView } from "./immuta-view";

/** A POST whose outcome was ambiguous is looked up, then sent again at most this many more times. */
const MAX_AMBIGUOUS_RETRIES = 1;

/** What `create` may need beyond the tenant and the declaration. */
export interface CreateOptions {
  /** Set for the `pulumi up` of a recovery: a 409 for a source that run registered takes it over. */
  interruptedRun?: InterruptedRun;
  /** Tells the person running Pulumi what was taken over. */
  notify: (message: string) => void;
}

/**
 * The S3 source registered at `prefix` (absolute), found by a search for the prefix: Immuta's generated names
 * contain it (`s3://bucket/key (account/region)`). Hits are summaries, so each is fetched whole before its handler
 * is read; every page of hits is looked at.
 */
async function findByPrefix(tenant: Tenant, prefix: string): Promise<ImmutaView | undefined> {
  const hits = await tenant.client.searchAllDataSources({ searchText: prefix });
  for (const hit of hits) {
    const view = await tenant.client
      .getDataSource(hit.id)
      .then((dataSource) => fetchHandler(tenant, dataSource))
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    if (view && samePrefix(view.prefix, prefix)) return view;
  }
  return undefined;
}

/**
 * After an ambiguous POST (sent, then a timeout or a dropped connection), finds the source if Immuta registered
 * it: by name, or (when Immuta renames sources on creation) by a search for the prefix.
 */
async function findRegistered(tenant: Tenant, declared: DataSourceInputs): Promise<ImmutaView | undefined> {
  const byName = await tenant.client.findDataSourceByName(declared.dataSourceName);
  if (byName) {
    const view = await fetchHandler(tenant, byName);
    const problems = mismatches(declared, view, false);
    if (problems.length > 0) {
      throw new AdoptionError(
        `Creating ${describeSource(declared.dataSourceName, declared.prefix)} had an ambiguous outcome, and Immuta ` +
          `now holds a source with that name that is not the declared one (id ${byName.id}):\n  - ` +
          `${problems.join("\n  - ")}\nRename the declaration, or delete that source in Immuta, then run pulumi up again.`,
      );
    }
    return view;
  }
  const byPrefix = await findByPrefix(tenant, declared.prefix);
  return byPrefix && byPrefix.handler.metadata.integrationId === declared.integrationId
    ? byPrefix
    : undefined;
}

/** Best effort: the source holding the declared name or prefix, so that a 409 can say which one it is. */
async function conflictHolder(tenant: Tenant, declared: DataSourceInputs): Promise<ImmutaView | undefined> {
  try {
    const byName = await tenant.client.findDataSourceByName(declared.dataSourceName);
    if (byName) return await fetchHandler(tenant, byName);
    return await findByPrefix(tenant, declared.prefix);
  } catch {
    return undefined; // the 409 is the error to report; the look-up only makes it more precise
  }
}

const DISABLED_NOTE =
  "A disabled source keeps its name and prefix until it is deleted a second time (purged).";

function conflictError(
  declared: DataSourceInputs,
  error: ImmutaError,
  holder: ImmutaView | undefined,
  notAdopted: string | undefined,
): Error {
  const why =
    notAdopted === undefined ? "" : ` Not adopted as a source of the interrupted run: ${notAdopted}.`;
  const failed =
    `Creating ${describeSource(declared.dataSourceName, declared.prefix)} failed: Immuta already holds a data ` +
    `source with this name or prefix (HTTP 409: ${error.immutaMessage ?? error.message}).${why}`;
  if (!holder) {
    return new ImmutaProviderError(
      `${failed} To manage the existing source with Pulumi, add adopt: { byName: true } or ` +
        `adopt: { dataSourceId: <id> } to the declaration; otherwise choose another name or prefix. ${DISABLED_NOTE}`,
    );
  }
  const { id, name } = holder.dataSource;
  const which = `It is data source id ${id} ("${name}"${holder.dataSource.deleted === true ? ", disabled" : ""})`;
  const problems = mismatches(declared, holder, false);
  if (problems.length > 0) {
    return new ImmutaProviderError(
      `${failed} ${which}, which is not the declared source:\n  - ${problems.join("\n  - ")}\n` +
        `Choose another name or prefix, or delete that source in Immuta. ${DISABLED_NOTE}`,
    );
  }
  const sameName = name === declared.dataSourceName;
  return new ImmutaProviderError(
    `${failed} ${which}, with the declared prefix and integration. To manage it with Pulumi, add ` +
      (sameName
        ? `adopt: { byName: true } or adopt: { dataSourceId: ${id} } to the declaration`
        : `adopt: { dataSourceId: ${id} } to the declaration and set dataSourceName to "${name}" (Immuta's name)`) +
      `; otherwise choose another prefix. ${DISABLED_NOTE}`,
  );
}

async function register(
  tenant: Tenant,
  declared: DataSourceInputs,
  wirePrefix: string,
  options: CreateOptions,
): Promise<CreateS3DataSourceResponse | ImmutaView> {
  const { client } = tenant;
  const request = {
    integrationId: declared.integrationId,
    dataSourceName: declared.dataSourceName,
    prefix: wirePrefix,
  };
  const subject = describeSource(declared.dataSourceName, declared.prefix);
  const lookUp = () =>
    findRegistered(tenant, declared).catch((lookupError: unknown) => {
      const reason = lookupError instanceof Error ? lookupError.message : String(lookupError);
      if (lookupError instanceof AdoptionError) throw lookupError;
      const wrapped = new ImmutaProviderError(
        `Creating ${subject} had an ambiguous outcome (Immuta may have registered it before the answer was lost), ` +
          `and looking it up failed: ${reason} Run pulumi up again when Immuta is reachable. If Immuta did register ` +
          `it, that run reports the name or prefix as taken, names the source and says how to adopt it.`,
      );
      if (lookupError instanceof ImmutaError) wrapped.cause = lookupError; // credential-free, kept for logs
      throw wrapped;
    });
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.createS3DataSource(request);
    } catch (error) {
      if (!(error instanceof ImmutaError)) throw inContext("Creating", subject, error);
      if (error.kind === "conflict") {
        // After an ambiguous attempt, a 409 usually means that attempt landed late (after the look-up below found
        // nothing): the source is this declaration's own, and raising would orphan it.
        const landedLate = attempt > 0 ? await lookUp() : undefined;
        if (landedLate) return landedLate;
        const holder = await conflictHolder(tenant, declared);
        const verdict = options.interruptedRun?.judge(declared, holder);
        if (verdict?.adopt && holder) {
          options.notify(verdict.notice);
          return holder;
        }
        throw conflictError(declared, error, holder, verdict && !verdict.adopt ? verdict.reason : undefined);
      }
      if (!error.ambiguous) throw inContext("Creating", subject, error);
      // Immuta may have registered the source: adopt it rather than register a duplicate.
      const registered = await lookUp();
      if (registered) return registered;
      if (attempt >= MAX_AMBIGUOUS_RETRIES) {
        throw new ImmutaProviderError(
          `Creating ${subject} failed twice with an ambiguous outcome (${error.message}), and Immuta holds no such ` +
            `source. Nothing was left behind; run pulumi up again when Immuta is reachable.`,
        );
      }
    }
  }
}

/**
 * The prefix as the POST carries it: relative to the integration's location (Immuta's documented form) or
 * absolute (`immuta:prefixForm: absolute`). A prefix outside the location fails here, before anything is sent.
 */
function wirePrefixFor(tenant: Tenant, declared: DataSourceInputs, location: IntegrationLocation): string {
  const relative = relativeTo(declared.prefix, location.awsLocationPath);
  if (relative === undefined) {
    const where = location.source === "integrations API" ? "" : ` (from ${location.source})`;
    throw new ImmutaProviderError(
      `Creating ${describeSource(declared.dataSourceName, declared.prefix)} failed before anything was sent: the ` +
        `prefix ${declared.prefix} is not under integration ${declared.integrationId}'s awsLocationPath ` +
        `${location.awsLocationPath}${where}. Declare a prefix under ${location.awsLocationPath}, or use the ` +
        `integration whose location holds ${declared.prefix}.`,
    );
  }
  return tenant.prefixForm === "absolute" ? declared.prefix : relative;
}

/** Creates (or adopts) the declared source, tags and describes it, and returns its state. */
export async function createDataSource(
  tenant: Tenant,
  declared: DataSourceInputs,
  options: CreateOptions = { notify: () => undefined },
): Promise<DataSourceState> {
  if (declared.adopt) return adoptDataSource(tenant, declared, options.notify);
  const location = await tenant.locations.locationOf(declared.integrationId).catch((error: unknown) => {
    throw inContext("Creating", describeSource(declared.dataSourceName, declared.prefix), error);
  });
  const registered = await register(tenant, declared, wirePrefixFor(tenant, declared, location), options);
  if ("handler" in registered)
    return finishWithGovernance(
      tenant,
      declared,
      registered.dataSource,
      viewFacts(registered, []),
      options.notify,
    );

  const created = registered;
  // What the POST answered; the GET below adds the handler id, the status, the tags and the description.
  const posted: ImmutaFacts = {
    dataSourceId: created.dataSourceId,
    handlerId: created.dataSourceId,
    immutaName: created.dataSourceName,
    otherTags: [],
    awsLocationPath: location.awsLocationPath,
    disabled: false,
    status: null,
  };
  let dataSource: DataSource;
  try {
    dataSource = await tenant.client.getDataSource(created.dataSourceId);
  } catch (error) {
    // The source exists: the engine must keep it in state (a partial failure) so that it is not orphaned.
    const reason = error instanceof Error ? error.message : String(error);
    const unapplied = { ...declared, tags: declared.tags && [], description: declared.description && null };
    throw new PartialFailureError(
      `${describeSource(declared.dataSourceName, declared.prefix, created.dataSourceId)} was created in Immuta, but ` +
        `reading it back failed: ${reason}. Pulumi keeps it in state; run pulumi up again to finish.`,
      resourceId(created.dataSourceId),
      storedState(buildState(unapplied, posted, created.dataSourceName)),
    );
  }
  return finishWithGovernance(
    tenant,
    declared,
    dataSource,
    dataSourceFacts(dataSource, posted, []),
    options.notify,
  );
}
