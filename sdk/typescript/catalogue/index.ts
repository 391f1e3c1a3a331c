/** The catalogue of data sources: a reviewed YAML or JSON file, validated and declared in one call. */
export { declareCatalogue, catalogueSourceOptions } from "./declare";
export type { DeclareCatalogueOptions, DeclaredCatalogue } from "./declare";
export { loadCatalogue, parseCatalogue } from "./load";
export type { LoadCatalogueOptions } from "./load";
export { CatalogueError, formatProblem } from "./problems";
export type { CatalogueProblem } from "./problems";
export { CATALOGUE_SCHEMA } from "./schema";
export type {
  Catalogue,
  CatalogueAdoption,
  CatalogueDocument,
  CatalogueIntegrationEntry,
  CatalogueSource,
  CatalogueSourceEntry,
} from "./types";
