/**
 * The sweep: finds every data source a live run left under the suite's fixed parent, and deletes it for good (two
 * DELETEs). It runs before a run (the leftovers of a killed one) and after it (whatever a failed or interrupted one
 * left), and says what it removed.
 *
 * DECISION: a source is swept only when both its name carries the marker (`pulumi-immuta-live-…`, or the marker
 * folder inside a name Immuta generated from the prefix) and its prefix, read from its handler, lies under
 * `<IMMUTA_LIVE_PREFIX>/pulumi-immuta-live/`: no other source of the tenant can match both by accident.
 */
import { isNotFound, messageOf } from "../../../provider/client";
import { fetchHandler } from "../../../provider/operations/immuta-view";
import { relativeTo } from "../../../provider/core/s3-naming";
import type { Tenant } from "../../../provider/core/tenants";
import { RUN_MARKER } from "./settings";

/** Search-and-delete passes before giving up: a pass may fail on a transient error, or a source may appear late. */
const MAX_SWEEP_ROUNDS = 4;

export interface SweptSource {
  dataSourceId: number;
  name: string;
  prefix: string;
}

export interface SweepResult {
  removed: SweptSource[];
  /** What could still be found after the last pass. */
  remaining: SweptSource[];
  /** Why a pass or a deletion failed. */
  errors: string[];
}

function carriesMarker(name: string): boolean {
  return name.startsWith(`${RUN_MARKER}-`) || name.includes(`/${RUN_MARKER}/`);
}

/** The live suite's sources under `scope` (or under one run's folder). */
export async function findLiveSources(tenant: Tenant, scope: string): Promise<SweptSource[]> {
  const hits = await tenant.client.searchAllDataSources({ searchText: RUN_MARKER, nameOnly: true });
  const found: SweptSource[] = [];
  for (const hit of hits.filter((candidate) => carriesMarker(candidate.name))) {
    try {
      // Search hits are summaries: the source is fetched whole for its handler, whose prefix is authoritative.
      const view = await fetchHandler(tenant, await tenant.client.getDataSource(hit.id));
      if (relativeTo(view.prefix, scope) !== undefined) {
        found.push({ dataSourceId: hit.id, name: view.dataSource.name, prefix: view.prefix });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

export async function sweep(tenant: Tenant, scope: string): Promise<SweepResult> {
  const removed: SweptSource[] = [];
  const errors: string[] = [];
  // One more search than deletion passes: the last one only confirms that nothing is left.
  for (let round = 1; round <= MAX_SWEEP_ROUNDS + 1; round++) {
    let found: SweptSource[];
    try {
      found = await findLiveSources(tenant, scope);
    } catch (error) {
      errors.push(`searching for leftovers: ${messageOf(error)}`);
      continue;
    }
    if (found.length === 0) return { removed, remaining: [], errors: [] };
    if (round > MAX_SWEEP_ROUNDS) return { removed, remaining: found, errors };
    for (const source of found) {
      try {
        await tenant.client.hardDeleteDataSource(source.dataSourceId);
        removed.push(source);
      } catch (error) {
        errors.push(`deleting data source ${source.dataSourceId}: ${messageOf(error)}`);
      }
    }
  }
  // Every search failed: what is left is unknown, which the caller must treat as a failure.
  return { removed, remaining: [], errors };
}

/** What a sweep did, for the console: one line per source removed or left. */
export function describeSweep(what: string, scope: string, result: SweepResult): string {
  const line = (source: SweptSource) => `  ${source.dataSourceId} "${source.name}" at ${source.prefix}`;
  const lines: string[] = [];
  if (result.removed.length === 0 && result.remaining.length === 0 && result.errors.length === 0) {
    lines.push(`${what}: nothing under ${scope}/.`);
  } else if (result.removed.length > 0) {
    lines.push(
      `${what}: removed ${result.removed.length} data source(s) under ${scope}/ (two DELETEs each):`,
    );
    lines.push(...result.removed.map(line));
  }
  if (result.remaining.length > 0) {
    lines.push(`${what}: could NOT remove ${result.remaining.length} data source(s); delete them in Immuta:`);
    lines.push(...result.remaining.map(line));
  }
  if (result.errors.length > 0) lines.push(...result.errors.map((error) => `  failed: ${error}`));
  return `${lines.join("\n")}\n`;
}

/** A sweep that may have left something: a source it could not delete, or searches that kept failing. */
export function sweepIncomplete(result: SweepResult): boolean {
  return result.remaining.length > 0 || result.errors.length > 0;
}
