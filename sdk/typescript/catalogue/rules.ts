/**
 * The rules beyond the catalogue's shape: each source must pass the provider's own `check` (so the catalogue and
 * the provider never disagree), reference a declared integration, and not collide with another entry.
 */
import { checkInputs } from "../../../provider/core/inputs";
import { DEFAULT_TENANT } from "../../../provider/core/constants";
import type { PathSegment, PositionTarget } from "./document";
import { INTEGRATION_INPUTS, SOURCE_INPUTS } from "./schema";
import { formatPath } from "./problems";
import type {
  CatalogueIntegrationEntry,
  CatalogueSource,
  CatalogueSourceEntry,
  SourceDeclaration,
} from "./types";

export interface RuleViolation {
  path: PathSegment[];
  target: PositionTarget;
  message: string;
}

export interface RulesResult {
  sources: CatalogueSource[];
  violations: RuleViolation[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function pick(from: object, keys: readonly string[]): Record<string, unknown> {
  const record = from as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

/** Maps a property `checkInputs` names to where the catalogue declares it. */
function declaredAt(key: string, integration: string, property: string): PathSegment[] {
  const [head, ...rest] = property.split(".");
  if ((INTEGRATION_INPUTS as readonly string[]).includes(head)) return ["integrations", integration, head];
  if (SOURCE_INPUTS.includes(head)) return ["sources", key, head, ...rest];
  return ["sources", key];
}

/** `prefix "x" must ...` → `"x" must ...`: the path already names the property. */
function withoutPropertyName(reason: string, property: string): string {
  return reason.startsWith(`${property} `) ? reason.slice(property.length + 1) : reason;
}

/**
 * Applies the provider's per-source rules and the catalogue-wide ones (unknown integrations, duplicate names and
 * prefixes per tenant, conflicting previous keys) to a document that has the catalogue's shape. Paths listed in
 * `reported` already have a schema error and are not reported twice.
 */
export function ruleViolations(document: unknown, reported: ReadonlySet<string>): RulesResult {
  const violations: RuleViolation[] = [];
  const sources: CatalogueSource[] = [];
  if (!isRecord(document) || !isRecord(document.sources)) return { sources, violations };
  const declaredSources = document.sources;
  const declaredIntegrations = isRecord(document.integrations) ? document.integrations : {};
  const hasSchemaError = (path: PathSegment[]) => {
    const printed = formatPath(path);
    return [...reported].some(
      (p) => p === printed || p.startsWith(`${printed}.`) || p.startsWith(`${printed}[`),
    );
  };
  const report = (path: PathSegment[], message: string, target: PositionTarget = "value") => {
    const printed = formatPath(path);
    const alreadyReported = [...reported].some(
      (p) => p === printed || printed.startsWith(`${p}.`) || printed.startsWith(`${p}[`),
    );
    const repeated = violations.some((v) => formatPath(v.path) === printed && v.message === message);
    if (!alreadyReported && !repeated) violations.push({ path, target, message });
  };

  const names = new Map<string, string>();
  const prefixes = new Map<string, string>();
  const previousKeyOwners = new Map<string, string>();
  const currentKeys = new Set(Object.keys(declaredSources));

  for (const [key, declaredEntry] of Object.entries(declaredSources)) {
    if (!isRecord(declaredEntry)) continue;
    const entry = declaredEntry as Partial<CatalogueSourceEntry>;
    const integrationKey = typeof entry.integration === "string" ? entry.integration : undefined;
    const declaredIntegration =
      integrationKey === undefined ? undefined : declaredIntegrations[integrationKey];
    const integration = isRecord(declaredIntegration)
      ? (declaredIntegration as Partial<CatalogueIntegrationEntry>)
      : undefined;
    if (integrationKey !== undefined && !integration) {
      const declared = Object.keys(declaredIntegrations);
      report(
        ["sources", key, "integration"],
        `"${integrationKey}" is not declared under integrations` +
          (declared.length > 0 ? ` (declared: ${declared.join(", ")})` : ""),
      );
    }

    // The provider's own check, on what the entry declares (its integration's id and tenant included).
    const { inputs, failures } = checkInputs({
      ...pick(entry, SOURCE_INPUTS),
      ...(integration ? pick(integration, INTEGRATION_INPUTS) : { integrationId: 1 }),
    });
    for (const failure of failures) {
      const path = declaredAt(key, integrationKey ?? "", failure.property);
      if (path[0] === "integrations" && !integration) continue;
      report(path, withoutPropertyName(failure.reason, failure.property));
    }

    const previousKeys: unknown[] = Array.isArray(entry.previousKeys) ? entry.previousKeys : [];
    previousKeys.forEach((previousKey, index) => {
      if (typeof previousKey !== "string") return;
      const path = ["sources", key, "previousKeys", index];
      const owner = previousKeyOwners.get(previousKey);
      if (currentKeys.has(previousKey)) {
        report(path, `"${previousKey}" is the current key of sources.${previousKey}; a key cannot be both`);
      } else if (owner !== undefined && owner !== key) {
        report(path, `"${previousKey}" is already a previous key of sources.${owner}`);
      } else previousKeyOwners.set(previousKey, key);
    });

    // Duplicates are judged per property, so that a source with a bad prefix still has its name compared.
    if (!integration || hasSchemaError(["integrations", integrationKey!])) continue;
    const tenant = typeof inputs.tenant === "string" ? inputs.tenant : DEFAULT_TENANT;
    const fine = (property: string) =>
      !failures.some((failure) => failure.property === property) &&
      !hasSchemaError(["sources", key, property]);
    if (fine("dataSourceName")) {
      const name = String(entry.dataSourceName);
      const owner = names.get(`${tenant}\0${name}`);
      if (owner === undefined) names.set(`${tenant}\0${name}`, key);
      else
        report(
          ["sources", key, "dataSourceName"],
          `"${name}" is already the name of sources.${owner} in tenant ${tenant}`,
        );
    }
    if (fine("prefix")) {
      const canonical = String(inputs.prefix);
      const owner = prefixes.get(`${tenant}\0${canonical}`);
      if (owner === undefined) prefixes.set(`${tenant}\0${canonical}`, key);
      else
        report(
          ["sources", key, "prefix"],
          `${canonical} is already the prefix of sources.${owner} in tenant ${tenant}`,
        );
    }
    if (failures.length > 0 || hasSchemaError(["sources", key])) continue;
    const valid = entry as CatalogueSourceEntry;
    const validIntegration = integration as CatalogueIntegrationEntry;
    sources.push({
      ...(pick(valid, SOURCE_INPUTS) as unknown as SourceDeclaration),
      key,
      integration: valid.integration,
      integrationId: validIntegration.integrationId,
      ...(validIntegration.tenant === undefined ? {} : { tenant: validIntegration.tenant }),
      canonicalPrefix: String(inputs.prefix),
      previousKeys: valid.previousKeys ?? [],
    });
  }
  return { sources, violations };
}
