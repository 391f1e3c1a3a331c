/**
 * `export` as a function: reads every Amazon S3 data source the key can see in one tenant and writes declarations
 * that adopt them by id (a catalogue in YAML or JSON, or a TypeScript program), or adds the missing ones to an
 * existing catalogue. Reads only: nothing is written to Immuta.
 */
import {
  DEFAULT_TENANT,
  parseDeclaredPrefix,
  Tenants,
  type ConfigSource,
  type ImmutaClientOptions,
} from "../../provider/api";
import { DEFAULT_EXPORT_CONCURRENCY } from "../defaults";
import { readInventory } from "./inventory";
import { declaredSources, existingKeys, mergeIntoCatalogue, parseExistingCatalogue } from "./merge";
import { planExport } from "./plan";
import { renderJson } from "./render-json";
import { renderTypescript } from "./render-typescript";
import { renderYaml } from "./render-yaml";
import { selectSources } from "./selection";
import { renderExportSummary } from "./summary";
import type { ExportFormat, ExportPlan, SkippedSource } from "./types";

export interface ExportOptions {
  /** The configured tenant to read (`immuta:tenants.<name>`, `IMMUTA_<NAME>_*`); default `default`. */
  tenant?: string;
  /** Stack config (`immuta:*`), as the provider reads it; the environment fills in what it lacks. */
  config?: ConfigSource;
  /** Environment variables (`IMMUTA_URL`, `IMMUTA_API_KEY`...); default the process's. */
  env?: NodeJS.ProcessEnv;
  /** Only sources of these integration ids. */
  integrationIds?: readonly number[];
  /** Only sources at or under these S3 locations (`s3://bucket[/path]`). */
  prefixes?: readonly string[];
  /** Leave disabled sources out (by default they are exported, marked, and the first `up` restores them). */
  skipDisabled?: boolean;
  /** Output format; default YAML, or the format of the catalogue merged into. */
  format?: ExportFormat;
  /** A YAML or JSON catalogue to add the missing sources to, leaving its entries as they are. */
  merge?: { file: string; text: string };
  /** Data sources read at once; default {@link DEFAULT_EXPORT_CONCURRENCY}. */
  concurrency?: number;
  /** Client options that win over configuration (tests). */
  clientOptions?: Partial<ImmutaClientOptions>;
  /** Warnings worth the user's attention (e.g. an integration whose location had to be assumed). */
  onWarning?: (message: string) => void;
}

export interface ExportResult {
  /** The catalogue or program text. */
  output: string;
  format: ExportFormat;
  /** What was found, exported and skipped and why, for the person running the export. */
  summary: string;
  plan: ExportPlan;
  skipped: SkippedSource[];
  /** Data sources of any kind the key's user can see. */
  found: number;
}

/** An export that cannot run as asked (bad filters, conflicting options); nothing was read. */
export class ExportOptionsError extends Error {
  override readonly name = "ExportOptionsError";
}

function canonicalFilters(prefixes: readonly string[]): string[] {
  return prefixes.map((prefix) => {
    const parsed = parseDeclaredPrefix(prefix);
    if (!parsed.ok) throw new ExportOptionsError(`--prefix "${prefix}" ${parsed.reason}`);
    return parsed.canonical;
  });
}

function formatOf(options: ExportOptions): ExportFormat {
  if (!options.merge) return options.format ?? "yaml";
  const mergeFormat: ExportFormat = /\.json$/i.test(options.merge.file) ? "json" : "yaml";
  if (options.format !== undefined && options.format !== mergeFormat) {
    throw new ExportOptionsError(
      `--format ${options.format} does not match the catalogue to merge into (${options.merge.file} is ` +
        `${mergeFormat === "json" ? "JSON" : "YAML"}); merged entries are written in the catalogue's own format`,
    );
  }
  return mergeFormat;
}

export async function exportCatalogue(options: ExportOptions = {}): Promise<ExportResult> {
  const tenantName = options.tenant ?? DEFAULT_TENANT;
  const format = formatOf(options);
  const prefixes = canonicalFilters(options.prefixes ?? []);
  const integrationIds = [...(options.integrationIds ?? [])];
  const concurrency = options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new ExportOptionsError(`the concurrency must be a whole number >= 1, got ${concurrency}`);
  }
  // Read (and validate) the catalogue first: an invalid one fails before any request to Immuta.
  const existing = options.merge ? parseExistingCatalogue(options.merge.file, options.merge.text) : undefined;

  const warn = options.onWarning ?? (() => undefined);
  const tenants = new Tenants(
    options.env ?? process.env,
    { info: () => undefined, warn },
    options.clientOptions,
  );
  try {
    if (options.config) tenants.configure(options.config);
    const tenant = tenants.get(tenantName);
    const inventory = await readInventory(tenant, { concurrency });
    const selection = selectSources(
      inventory.sources,
      { integrationIds, prefixes, skipDisabled: options.skipDisabled === true, tenant: tenantName },
      existing && declaredSources(existing, tenantName),
    );
    const plan = planExport({
      sources: selection.selected,
      integrations: inventory.integrations,
      tenant: tenantName,
      ...(existing ? { existing: existingKeys(existing, tenantName) } : {}),
    });
    const output = existing
      ? mergeIntoCatalogue(existing, plan)
      : format === "json"
        ? renderJson(plan)
        : format === "typescript"
          ? renderTypescript(plan)
          : renderYaml(plan);
    const skipped = [...inventory.skipped, ...selection.skipped];
    const summary = renderExportSummary({
      tenant: tenantName,
      format,
      found: inventory.found,
      plan,
      skipped,
      ...(existing ? { mergedInto: existing.file } : {}),
      integrationFilter: integrationIds,
      prefixFilter: prefixes,
    });
    return { output, format, summary, plan, skipped, found: inventory.found };
  } finally {
    tenants.close();
  }
}
