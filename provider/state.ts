/**
 * What the provider writes into Pulumi state (the resource's outputs), and how older shapes are read.
 *
 * Outputs carry the declaration as given (canonicalised by `check`) because `diff` receives the old outputs, not
 * the old inputs; next to it, Immuta's view of the source.
 */
import { DEFAULT_TENANT, STATE_SCHEMA_VERSION } from "./constants";
import type { AdoptionInput } from "./inputs";

export interface DataSourceState {
  /** Shape of this state; see docs/state.md for every version. */
  schemaVersion: number;
  /** Declared integration id; after refresh, the integration Immuta reports when it differs. */
  integrationId: number;
  /** Declared prefix (canonical); after refresh, the prefix Immuta reports when it points elsewhere. */
  prefix: string;
  /** Declared name. Immuta may have renamed the source on creation: see `immutaName`. */
  dataSourceName: string;
  tenant: string;
  adopt?: AdoptionInput;
  dataSourceId: number;
  handlerId: number;
  /** The name as Immuta reports it now. */
  immutaName: string;
  /** The name Immuta reported after this provider last created or renamed the source: the rename-drift baseline. */
  appliedName: string;
  /** The base S3 location Immuta registered the source under, when Immuta reports it. */
  awsLocationPath: string | null;
  /** True when Immuta holds the source soft-deleted (disabled). */
  disabled: boolean;
  /** Immuta's status of the data source, when reported. */
  status: string | null;
}

/**
 * Reads state written by any release. Version 1 (pre-release builds, docs/state.md) stored Immuta's name as
 * `name` and had no tenant, rename baseline, location or status.
 */
export function upgradeState(props: Record<string, unknown>): DataSourceState {
  const version = typeof props.schemaVersion === "number" ? props.schemaVersion : 1;
  if (version > STATE_SCHEMA_VERSION) {
    throw new Error(
      `this state was written by a newer pulumi-immuta (state schema ${version}; this release reads up to ` +
        `${STATE_SCHEMA_VERSION}). Upgrade the pulumi-immuta package in this program before running Pulumi.`,
    );
  }
  const dataSourceId = Number(props.dataSourceId);
  const immutaName = String(props.immutaName ?? props.name ?? props.dataSourceName);
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    integrationId: Number(props.integrationId),
    prefix: String(props.prefix),
    dataSourceName: String(props.dataSourceName),
    tenant: typeof props.tenant === "string" ? props.tenant : DEFAULT_TENANT,
    ...(props.adopt ? { adopt: props.adopt as AdoptionInput } : {}),
    dataSourceId,
    handlerId:
      props.handlerId === undefined || props.handlerId === null ? dataSourceId : Number(props.handlerId),
    immutaName,
    appliedName: typeof props.appliedName === "string" ? props.appliedName : immutaName,
    awsLocationPath: typeof props.awsLocationPath === "string" ? props.awsLocationPath : null,
    disabled: props.disabled === true,
    status: typeof props.status === "string" ? props.status : null,
  };
}

/** The id Pulumi records for a data source: Immuta's data source id, as a string. */
export function resourceId(dataSourceId: number): string {
  return String(dataSourceId);
}
