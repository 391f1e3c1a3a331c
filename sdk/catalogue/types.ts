/**
 * The catalogue as a user writes it, and as the loader returns it once valid.
 */

/** A Native S3 integration, named by its key under `integrations`. */
export interface CatalogueIntegrationEntry {
  /** Id of the Native S3 integration in Immuta. */
  integrationId: number;
  /** The configured tenant holding the integration (default `default`). */
  tenant?: string;
}

/** How to take over a data source that already exists in Immuta. */
export interface CatalogueAdoption {
  dataSourceId?: number;
  byName?: boolean;
}

/** One data source, named by its key under `sources` (its stable Pulumi name). */
export interface CatalogueSourceEntry {
  /** A note for reviewers (JSON has no comments); ignored. */
  $comment?: string;
  /** Key of the integration under `integrations`. */
  integration: string;
  /** `s3://bucket[/key]`. */
  prefix: string;
  /** The name to register in Immuta. */
  dataSourceName: string;
  /** Keys this entry had before a rename; they become Pulumi aliases, so the source is kept. */
  previousKeys?: string[];
  adopt?: CatalogueAdoption;
}

/** A catalogue document (`datasources.yaml` or `.json`). */
export interface CatalogueDocument {
  $schema?: string;
  integrations: Record<string, CatalogueIntegrationEntry>;
  sources: Record<string, CatalogueSourceEntry>;
}

/** One source of a valid catalogue, resolved against its integration. */
export interface CatalogueSource {
  /** The entry's key: the source's Pulumi logical name. */
  key: string;
  integration: string;
  integrationId: number;
  /** The tenant as declared by the integration (undefined: the default tenant). */
  tenant?: string;
  /** The prefix as declared. */
  prefix: string;
  /** The prefix in canonical form, as the provider stores it. */
  canonicalPrefix: string;
  dataSourceName: string;
  previousKeys: string[];
  adopt?: CatalogueAdoption;
}

/** A validated catalogue. */
export interface Catalogue {
  /** Where it came from: the file as named, or the label of an object. */
  file: string;
  document: CatalogueDocument;
  /** The sources in the order of the file. */
  sources: CatalogueSource[];
}
