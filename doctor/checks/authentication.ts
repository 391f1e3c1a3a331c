/**
 * `authentication`: one authenticated request (a search for a few data sources) in the configured mode. When Immuta
 * refuses it, the other mode is tried, so the report can say which one works.
 */
import {
  type AuthMode,
  type DataSourceSearchResult,
  type ImmutaClient,
  type TenantConnection,
} from "../../provider/api";
import { briefly, doctorClient, kindOf, since } from "../client";
import { SEARCH_SAMPLE_SIZE } from "../defaults";
import type { CheckResult } from "../report";
import { bothNames, configCommand, variableOf } from "../settings";

export type SearchOutcome =
  | { ok: true; found: DataSourceSearchResult; latencyMs: number }
  | { ok: false; error: unknown; latencyMs: number };

export interface AuthenticationOutcome {
  result: CheckResult;
  /** A client whose mode Immuta accepts (the configured one when it works), for the checks that follow. */
  client?: ImmutaClient;
  /** The search the accepted client sent. */
  search?: SearchOutcome;
}

const MODE_WORDS: Record<AuthMode, string> = {
  apiKey: "sent as-is (authMode apiKey)",
  bearer: "exchanged for a bearer token (authMode bearer)",
};

async function trySearch(client: ImmutaClient): Promise<SearchOutcome> {
  const startedAt = Date.now();
  try {
    const found = await client.searchDataSources({ size: SEARCH_SAMPLE_SIZE });
    return { ok: true, found, latencyMs: since(startedAt) };
  } catch (error) {
    return { ok: false, error, latencyMs: since(startedAt) };
  }
}

/** Immuta accepted the credential: it answered, or refused a permission rather than the key. */
function authenticated(search: SearchOutcome): boolean {
  return search.ok || kindOf(search.error) === "forbidden";
}

export async function checkAuthentication(connection: TenantConnection): Promise<AuthenticationOutcome> {
  const configured = connection.resolved.authMode;
  const client = doctorClient(connection, configured);
  const search = await trySearch(client);
  if (authenticated(search)) {
    return {
      client,
      search,
      result: {
        check: "authentication",
        verdict: "ok",
        summary: `Immuta accepts the API key ${MODE_WORDS[configured]}`,
        latencyMs: search.latencyMs,
      },
    };
  }
  const refusal = briefly(search.ok ? undefined : search.error);
  if (kindOf(search.ok ? undefined : search.error) !== "unauthorized") {
    client.close();
    return {
      result: {
        check: "authentication",
        verdict: "failed",
        summary: `the authenticated request failed: ${refusal}`,
        fix: "Run doctor again; if it persists, the tenant is failing: ask its administrators.",
        latencyMs: search.latencyMs,
      },
    };
  }
  client.close();
  const other: AuthMode = configured === "apiKey" ? "bearer" : "apiKey";
  const otherClient = doctorClient(connection, other);
  const otherSearch = await trySearch(otherClient);
  if (authenticated(otherSearch)) {
    return {
      client: otherClient,
      search: otherSearch,
      result: {
        check: "authentication",
        verdict: "failed",
        summary: `Immuta refuses the API key ${MODE_WORDS[configured]} (${refusal}), but accepts it ${MODE_WORDS[other]}`,
        fix: `Set ${bothNames(connection.tenant, "authMode")} to ${other}: \`${configCommand(connection.tenant, "authMode", other)}\`.`,
      },
    };
  }
  otherClient.close();
  return {
    result: {
      check: "authentication",
      verdict: "failed",
      summary:
        `Immuta refuses the API key ${MODE_WORDS[configured]} (${refusal}) and ` +
        `${MODE_WORDS[other]} (${briefly(otherSearch.ok ? undefined : otherSearch.error)})`,
      fix:
        `The key is wrong, revoked or expired: create an API key in Immuta (your profile, API Keys) and set it ` +
        `with \`${configCommand(connection.tenant, "apiKey", "<key>", true)}\` or ${variableOf(connection.tenant, "apiKey")}.`,
    },
  };
}

/** `search`: what the accepted client's search saw. */
export function checkSearch(search: SearchOutcome): CheckResult {
  if (search.ok) {
    const { count } = search.found;
    return {
      check: "search",
      verdict: "ok",
      summary: `the key's user may search data sources: ${count} visible to it`,
    };
  }
  return {
    check: "search",
    verdict: "failed",
    summary: `the key's user may not search data sources: ${briefly(search.error)}`,
    fix:
      "Grant the key's user the permission Immuta's message names: the provider searches data sources to adopt " +
      "existing ones by name and to recover from a create whose answer was lost.",
    latencyMs: search.latencyMs,
  };
}
