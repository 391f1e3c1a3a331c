/**
 * Which of the tenant's S3 sources the output declares: the filters the user gave, `--skip-disabled`, what an
 * existing catalogue already declares (`--merge`), and what the provider would refuse as a declaration.
 */
import { checkInputs, DEFAULT_TENANT, relativeTo } from "../../provider/api";
import { declaredFields, type SkippedSource, type TenantSource } from "./types";

export interface SelectionFilters {
  /** Only sources of these integrations (none: every integration). */
  integrationIds: readonly number[];
  /** Only sources at or under these canonical locations (none: everywhere). */
  prefixes: readonly string[];
  skipDisabled: boolean;
  tenant: string;
}

/** What an existing catalogue declares for this tenant, to add only what it lacks. */
export interface DeclaredSources {
  /** Why a source counts as declared already, or undefined when it does not. */
  declares(source: TenantSource): string | undefined;
}

export interface Selection {
  selected: TenantSource[];
  skipped: SkippedSource[];
}

/** Why the provider would refuse the source as a declaration (e.g. a name with trailing white space). */
function declarationProblem(source: TenantSource, tenant: string): string | undefined {
  const { failures } = checkInputs({
    integrationId: source.integrationId,
    ...Object.fromEntries(declaredFields(source)),
    ...(tenant === DEFAULT_TENANT ? {} : { tenant }),
    adopt: { dataSourceId: source.dataSourceId },
  });
  return failures.length > 0 ? failures.map((failure) => failure.reason).join("; ") : undefined;
}

export function selectSources(
  sources: readonly TenantSource[],
  filters: SelectionFilters,
  declared?: DeclaredSources,
): Selection {
  const selected: TenantSource[] = [];
  const skipped: SkippedSource[] = [];
  for (const source of sources) {
    const skip = (reason: SkippedSource["reason"], detail?: string) =>
      skipped.push({
        dataSourceId: source.dataSourceId,
        name: source.dataSourceName,
        reason,
        ...(detail === undefined ? {} : { detail }),
      });
    if (filters.integrationIds.length > 0 && !filters.integrationIds.includes(source.integrationId)) {
      skip("integration-filter", `integration ${source.integrationId}`);
      continue;
    }
    if (
      filters.prefixes.length > 0 &&
      !filters.prefixes.some((location) => relativeTo(source.prefix, location) !== undefined)
    ) {
      skip("prefix-filter", source.prefix);
      continue;
    }
    if (filters.skipDisabled && source.disabled) {
      skip("disabled");
      continue;
    }
    const already = declared?.declares(source);
    if (already !== undefined) {
      skip("already-declared", already);
      continue;
    }
    const problem = declarationProblem(source, filters.tenant);
    if (problem !== undefined) {
      skip("not-declarable", problem);
      continue;
    }
    selected.push(source);
  }
  return { selected, skipped };
}
