/**
 * One `ImmutaS3DataSource` per catalogue entry, named by the entry's key.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ImmutaS3DataSource } from "../resource";
import { loadCatalogue, type LoadCatalogueOptions } from "./load";
import type { ImmutaS3DataSourceArgs } from "../resource";
import { SOURCE_INPUTS } from "./schema";
import type { Catalogue, CatalogueDocument, CatalogueSource, SourceDeclaration } from "./types";

export interface DeclareCatalogueOptions extends LoadCatalogueOptions {
  /**
   * Resource options for every source (e.g. `protect`, `retainOnDelete`, `parent`). Aliases given here are kept;
   * each entry's `previousKeys` are added to them.
   */
  resourceOptions?: pulumi.CustomResourceOptions;
}

export interface DeclaredCatalogue {
  catalogue: Catalogue;
  /** The declared sources by entry key. */
  sources: Record<string, ImmutaS3DataSource>;
}

/** The resource options of one entry: its previous keys become aliases, so a renamed key keeps its source. */
export function catalogueSourceOptions(
  source: CatalogueSource,
  resourceOptions: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  if (source.previousKeys.length === 0) return resourceOptions;
  const aliases = [...(resourceOptions.aliases ?? []), ...source.previousKeys.map((name) => ({ name }))];
  return { ...resourceOptions, aliases };
}

/**
 * Declares every source of a catalogue (a file name, resolved against the program directory, or an object).
 * Throws a `CatalogueError` listing every problem before any resource is registered, so `pulumi preview` of an
 * invalid catalogue fails without an API call.
 *
 * ```ts
 * import { declareCatalogue } from "pulumi-immuta";
 * export const sources = declareCatalogue("datasources.yaml").sources;
 * ```
 */
export function declareCatalogue(
  fileOrObject: string | CatalogueDocument,
  options: DeclareCatalogueOptions = {},
): DeclaredCatalogue {
  const catalogue = loadCatalogue(fileOrObject, options);
  const sources: Record<string, ImmutaS3DataSource> = {};
  for (const source of catalogue.sources) {
    sources[source.key] = new ImmutaS3DataSource(
      source.key,
      {
        ...Object.fromEntries(SOURCE_INPUTS.map((name) => [name, source[name as keyof SourceDeclaration]])),
        integrationId: source.integrationId,
        ...(source.tenant === undefined ? {} : { tenant: source.tenant }),
      } as ImmutaS3DataSourceArgs,
      catalogueSourceOptions(source, options.resourceOptions),
    );
  }
  return { catalogue, sources };
}
