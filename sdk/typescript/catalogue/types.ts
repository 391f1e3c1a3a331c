/**
 * The catalogue as a user writes it, and as the loader returns it once valid. A source entry declares the
 * resource's inputs but those its integration entry declares, so its shape follows the resource's definition.
 */
import type { AdoptionInput, DataSourceInputs } from "../../../provider/core/inputs";

/** What one source entry declares of the resource: every input but the integration's and the provider's own. */
export type SourceDeclaration = Omit<DataSourceInputs, "integrationId" | "tenant" | "disabled">;

/** A Native S3 integration, named by its key under `integrations`. */
export interface CatalogueIntegrationEntry {
  /** Id of the Native S3 integration in Immuta. */
  integrationId: number;
  /** The configured tenant holding the integration (default `default`). */
  tenant?: string;
}

/** How to take over a data source that already exists in Immuta. */
export type CatalogueAdoption = AdoptionInput;

/** One data source, named by its key under `sources` (its stable Pulumi name). */
export interface CatalogueSourceEntry extends SourceDeclaration {
  /** A note for reviewers (JSON has no comments); ignored. */
  $comment?: string;
  /** Key of the integration under `integrations`. */
  integration: string;
  /** Keys this entry had before a rename; they become Pulumi aliases, so the source is kept. */
  previousKeys?: string[];
}

/** A catalogue document (`datasources.yaml` or `.json`). */
export interface CatalogueDocument {
  $schema?: string;
  integrations: Record<string, CatalogueIntegrationEntry>;
  sources: Record<string, CatalogueSourceEntry>;
}

/** One source of a valid catalogue, resolved against its integration; its declaration as written. */
export interface CatalogueSource extends SourceDeclaration {
  /** The entry's key: the source's Pulumi logical name. */
  key: string;
  integration: string;
  integrationId: number;
  /** The tenant as declared by the integration (undefined: the default tenant). */
  tenant?: string;
  /** The prefix in canonical form, as the provider stores it. */
  canonicalPrefix: string;
  previousKeys: string[];
}

/** A validated catalogue. */
export interface Catalogue {
  /** Where it came from: the file as named, or the label of an object. */
  file: string;
  document: CatalogueDocument;
  /** The sources in the order of the file. */
  sources: CatalogueSource[];
}
