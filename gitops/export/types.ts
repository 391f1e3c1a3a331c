/**
 * What `export` reads from Immuta, what it leaves out and why, and what it writes.
 */
import { SOURCE_INPUTS } from "../../sdk/typescript/catalogue/schema";

/** An Amazon S3 data source as Immuta holds it, in the terms a declaration uses. */
export interface TenantSource {
  dataSourceId: number;
  /** The name Immuta holds (possibly one Immuta generated); adoption by id checks it. */
  dataSourceName: string;
  /** Canonical absolute prefix, read against the integration's location. */
  prefix: string;
  integrationId: number;
  /** The tags attached through the API or Immuta's UI (discovery's are the source's own); absent when none. */
  tags?: string[];
  /** Absent when Immuta holds none. */
  description?: string;
  /** Disabled (soft-deleted) in Immuta: adopting it restores it. */
  disabled: boolean;
}

/**
 * What a source entry declares of it, in the order of the resource's definition: every per-source input the
 * source has a value for (adoption, which every entry gets, aside).
 */
export function declaredFields(source: TenantSource): [string, string | number | string[]][] {
  const values = source as unknown as Record<string, string | number | string[] | undefined>;
  return SOURCE_INPUTS.filter((name) => name !== "adopt" && values[name] !== undefined).map((name) => [
    name,
    values[name]!,
  ]);
}

/** A Native S3 integration the exported sources use. */
export interface TenantIntegration {
  integrationId: number;
  /** Its name in Immuta's integrations API, when readable. */
  name?: string;
}

/** Why a data source found in Immuta is not in the output. */
export type SkipReason =
  | "not-s3"
  | "gone"
  | "handler-unidentified"
  | "integration-filter"
  | "prefix-filter"
  | "disabled"
  | "already-declared"
  | "not-declarable";

export interface SkippedSource {
  dataSourceId: number;
  name: string;
  reason: SkipReason;
  /** The particulars, e.g. the blobHandlerType, or what a declaration would be refused for. */
  detail?: string;
}

export type ExportFormat = "yaml" | "json" | "typescript";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["yaml", "json", "typescript"];

/** One source as the output declares it. */
export interface ExportEntry {
  /** The catalogue key, which is the Pulumi resource name. */
  key: string;
  /** Key of its integration in the output. */
  integration: string;
  source: TenantSource;
}

/** One integration as the output declares it. */
export interface ExportIntegration {
  key: string;
  integrationId: number;
  /** Written when the export is of a named tenant. */
  tenant?: string;
}

/** What the output declares: integrations and sources in the order they are written. */
export interface ExportPlan {
  integrations: ExportIntegration[];
  entries: ExportEntry[];
}
