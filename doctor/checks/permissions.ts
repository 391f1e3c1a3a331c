/**
 * `permissions`: what the API key's user may do, from `GET /bim/rpc/user/current`, before the first `pulumi up`:
 * register S3 sources (CREATE_S3_DATASOURCE, without which nothing can be created: a failure), and delete, tag or
 * describe sources it does not own (GOVERNANCE, which adoption of others' sources needs: a warning without it).
 * Where Immuta does not serve the endpoint, the search and read checks stand in, as before.
 */
import type { ImmutaClient } from "../../provider/api";
import { briefly, kindOf, since } from "../client";
import type { CheckResult } from "../report";

const CREATE = "CREATE_S3_DATASOURCE";
const GOVERNANCE = "GOVERNANCE";

export async function checkPermissions(client: ImmutaClient): Promise<CheckResult> {
  const check = "permissions";
  const startedAt = Date.now();
  let permissions: string[];
  try {
    permissions = (await client.getCurrentUser()).permissions;
  } catch (error) {
    const latencyMs = since(startedAt);
    if (kindOf(error) === "not-found" || kindOf(error) === "forbidden") {
      return {
        check,
        verdict: "skipped",
        summary:
          `Immuta does not tell the key's user its permissions here (${briefly(error)}); the search and read ` +
          `checks below show what it may read, not whether it may create sources`,
        latencyMs,
      };
    }
    return {
      check,
      verdict: "failed",
      summary: `reading the key's user failed: ${briefly(error)}`,
      fix: "Run doctor again; if it persists, report the message above.",
      latencyMs,
    };
  }
  const latencyMs = since(startedAt);
  const held = `the key's user has ${permissions.length > 0 ? permissions.join(", ") : "no global permission"}`;
  if (!permissions.includes(CREATE)) {
    return {
      check,
      verdict: "failed",
      summary: `${held}: it may not register S3 data sources (${CREATE}), so pulumi up cannot create any`,
      fix: `Grant ${CREATE} to the API key's user in Immuta (People > the user > Permissions), or use another key.`,
      latencyMs,
    };
  }
  if (!permissions.includes(GOVERNANCE)) {
    return {
      check,
      verdict: "warning",
      summary:
        `${held}: it may create S3 sources, and delete, tag or describe only those it owns (no ${GOVERNANCE}); ` +
        `adopting sources others registered, or destroying them, will be refused`,
      fix: `If the stack manages sources other users registered, grant ${GOVERNANCE} to the API key's user.`,
      latencyMs,
    };
  }
  return {
    check,
    verdict: "ok",
    summary: `${held}: it may create S3 sources (${CREATE}) and delete, tag or describe any source (${GOVERNANCE})`,
    latencyMs,
  };
}
