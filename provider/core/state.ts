/**
 * What the provider writes into Pulumi state (the resource's outputs), built in one place (`buildState`) from the
 * declaration and what Immuta reported, and how older shapes are read (`upgradeState`).
 *
 * Outputs carry the declaration as given (canonicalised by `check`) because `diff` receives the old outputs, not
 * the old inputs; next to it, Immuta's view of the source.
 */
import { DEFAULT_TENANT, STATE_SCHEMA_VERSION } from "./constants";
import type { AdoptionInput, DataSourceInputs } from "./inputs";

export interface DataSourceState {
  /** Shape of this state; every version is listed in docs/design.md ("State shape"). */
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
  /** The base S3 location Immuta registered the source under, when known. */
  awsLocationPath: string | null;
  /** True when Immuta holds the source soft-deleted (disabled). */
  disabled: boolean;
  /** Immuta's status of the data source, when reported. */
  status: string | null;
}

/** The declaration part of the state: what the user wrote (or, after a refresh found it moved, Immuta's values). */
export type StateDeclaration = Pick<
  DataSourceInputs,
  "integrationId" | "prefix" | "dataSourceName" | "adopt"
> & {
  tenant?: string;
};

/** What Immuta reported about the source. */
export interface ImmutaFacts {
  dataSourceId: number;
  handlerId: number;
  immutaName: string;
  awsLocationPath: string | null;
  disabled: boolean;
  status: string | null;
}

/** The state of a source: the one place a `DataSourceState` is assembled. */
export function buildState(
  declaration: StateDeclaration,
  facts: ImmutaFacts,
  appliedName: string,
): DataSourceState {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    integrationId: declaration.integrationId,
    prefix: declaration.prefix,
    dataSourceName: declaration.dataSourceName,
    tenant: declaration.tenant ?? DEFAULT_TENANT,
    ...(declaration.adopt ? { adopt: declaration.adopt } : {}),
    dataSourceId: facts.dataSourceId,
    handlerId: facts.handlerId,
    immutaName: facts.immutaName,
    appliedName,
    awsLocationPath: facts.awsLocationPath,
    disabled: facts.disabled,
    status: facts.status,
  };
}

/**
 * Reads state written by any release. Version 1 (pre-release builds) stored Immuta's name as `name` and had no
 * tenant, rename baseline, location or status.
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
  return buildState(
    {
      integrationId: Number(props.integrationId),
      prefix: String(props.prefix),
      dataSourceName: String(props.dataSourceName),
      tenant: typeof props.tenant === "string" ? props.tenant : undefined,
      adopt: props.adopt ? props.adopt : undefined,
    },
    {
      dataSourceId,
      handlerId:
        props.handlerId === undefined || props.handlerId === null ? dataSourceId : Number(props.handlerId),
      immutaName,
      awsLocationPath: typeof props.awsLocationPath === "string" ? props.awsLocationPath : null,
      disabled: props.disabled === true,
      status: typeof props.status === "string" ? props.status : null,
    },
    typeof props.appliedName === "string" ? props.appliedName : immutaName,
  );
}

/** The declaration recorded in a state. */
export function declarationOf(state: DataSourceState): StateDeclaration {
  const { integrationId, prefix, dataSourceName, tenant, adopt } = state;
  return { integrationId, prefix, dataSourceName, tenant, adopt };
}

/** The Immuta facts recorded in a state. */
export function factsOf(state: DataSourceState): ImmutaFacts {
  const { dataSourceId, handlerId, immutaName, awsLocationPath, disabled, status } = state;
  return { dataSourceId, handlerId, immutaName, awsLocationPath, disabled, status };
}

/** The id Pulumi records for a data source: Immuta's data source id, as a string. */
export function resourceId(dataSourceId: number): string {
  return String(dataSourceId);
}
