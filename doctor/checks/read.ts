/**
 * `read data source <id>`: a data source and its native-s3 handler, read as `pulumi refresh` reads them. A 404 is
 * told apart from a source hidden from the key's user by its handler, when its id is known (from the stack's state).
 */
import {
  handlerIdFromDataSource,
  type DataSource,
  type DataSourceSearchResult,
  type ImmutaClient,
  type NativeS3Handler,
} from "../../provider/api";
import { briefly, kindOf, since } from "../client";
import type { CheckResult } from "../report";

/** A data source to read, and where its id came from. */
export interface ReadTarget {
  dataSourceId: number;
  /** Known from the stack's state: lets a 404 be told apart from a hidden source. */
  handlerId?: number;
  from: "--data-source" | "state" | "search";
}

export interface ReadOutcome {
  result: CheckResult;
  /** The handler, when it was read: its `metadata.prefix` shows the form in which Immuta echoes prefixes. */
  handler?: NativeS3Handler;
}

const VISIBILITY_RULE =
  "Immuta shows a data source only to its owner, to users with the global GOVERNANCE permission, to its " +
  "subscribers, or to everyone when it is public (a disabled one only to its owner)";

const GRANT_FIX =
  "Give the key's user the GOVERNANCE permission, or make it the source's owner; without that, pulumi refresh " +
  "cannot read the source, and deleting it needs GOVERNANCE or ownership too.";

/** A source of the search sample, S3 ones first: others have no native-s3 handler. */
export function sampleTarget(found: DataSourceSearchResult): ReadTarget | undefined {
  const s3 = found.hits.find((hit) => /s3/i.test(hit.blobHandlerType ?? ""));
  const hit = s3 ?? found.hits[0];
  return hit === undefined ? undefined : { dataSourceId: hit.id, from: "search" };
}

function describe(dataSource: DataSource): string {
  return `data source ${dataSource.id} "${dataSource.name}"${dataSource.deleted === true ? " (disabled)" : ""}`;
}

async function readHandler(
  client: ImmutaClient,
  target: ReadTarget,
  dataSource: DataSource,
  startedAt: number,
): Promise<ReadOutcome> {
  const check = `read data source ${target.dataSourceId}`;
  const handlerId = handlerIdFromDataSource(dataSource) ?? target.handlerId ?? dataSource.id;
  try {
    const handler = await client.getHandler(handlerId);
    return {
      handler,
      result: {
        check,
        verdict: "ok",
        summary:
          `${describe(dataSource)} and its native-s3 handler ${handlerId}: prefix ${JSON.stringify(handler.metadata.prefix)}` +
          `, integration ${handler.metadata.integrationId}`,
        latencyMs: since(startedAt),
      },
    };
  } catch (error) {
    if (!/s3/i.test(dataSource.blobHandlerType ?? "s3")) {
      return {
        result: {
          check,
          verdict: "ok",
          summary: `${describe(dataSource)} (a ${dataSource.blobHandlerType} source, so no native-s3 handler to read)`,
          latencyMs: since(startedAt),
        },
      };
    }
    return {
      result: {
        check,
        verdict: "failed",
        summary: `${describe(dataSource)} reads, but its native-s3 handler does not: ${briefly(error)}`,
        fix:
          kindOf(error) === "forbidden"
            ? GRANT_FIX
            : "pulumi refresh reads the handler too; if this persists, report it with the message above.",
        latencyMs: since(startedAt),
      },
    };
  }
}

/** A 404 for the data source: gone, or hidden from the key's user (its handler, when known, tells which). */
async function notVisible(client: ImmutaClient, target: ReadTarget, said: string): Promise<CheckResult> {
  const check = `read data source ${target.dataSourceId}`;
  if (target.handlerId !== undefined) {
    try {
      await client.getHandler(target.handlerId);
      return {
        check,
        verdict: "failed",
        summary:
          `the key's user cannot see data source ${target.dataSourceId}: ${said}, but its handler ` +
          `${target.handlerId} answers, so the source exists. ${VISIBILITY_RULE}`,
        fix: GRANT_FIX,
      };
    } catch (error) {
      if (kindOf(error) !== "not-found") {
        return { check, verdict: "failed", summary: `${said}; its handler: ${briefly(error)}` };
      }
    }
    return {
      check,
      verdict: "warning",
      summary: `data source ${target.dataSourceId} of the stack's state no longer exists in Immuta (${said}; its handler too)`,
      fix: "pulumi refresh drops it from the state; the next pulumi up registers it again.",
    };
  }
  return {
    check,
    verdict: "failed",
    summary: `data source ${target.dataSourceId} does not exist, or the key's user may not see it (${said}). ${VISIBILITY_RULE}`,
    fix: `Check the id; if the source exists, ${GRANT_FIX.charAt(0).toLowerCase()}${GRANT_FIX.slice(1)}`,
  };
}

export async function checkRead(client: ImmutaClient, target: ReadTarget): Promise<ReadOutcome> {
  const startedAt = Date.now();
  let dataSource: DataSource;
  try {
    dataSource = await client.getDataSource(target.dataSourceId);
  } catch (error) {
    if (kindOf(error) === "not-found") return { result: await notVisible(client, target, briefly(error)) };
    return {
      result: {
        check: `read data source ${target.dataSourceId}`,
        verdict: "failed",
        summary: `the key's user may not read data source ${target.dataSourceId}: ${briefly(error)}`,
        fix:
          kindOf(error) === "forbidden"
            ? GRANT_FIX
            : "Run doctor again; if it persists, report the message above.",
        latencyMs: since(startedAt),
      },
    };
  }
  return readHandler(client, target, dataSource, startedAt);
}

/** `read`: nothing to read, because the search showed no data source. */
export function nothingToRead(): CheckResult {
  return {
    check: "read",
    verdict: "warning",
    summary: "no data source is visible to the key's user, so reading one could not be checked",
    fix:
      "Pass --data-source <id> of a source the provider will manage or adopt. A key's user without GOVERNANCE " +
      "sees only the sources it owns, is subscribed to, or that are public.",
  };
}
