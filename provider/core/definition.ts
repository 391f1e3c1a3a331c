/**
 * The Immuta S3 data source resource, declared once. Every input and output is here with its type, description,
 * validation and whether a change replaces the source; `check`, the state, `diff`, the native plugin and, through
 * `npm run gen`, the package schema (schema.json), the generated SDKs, the TypeScript SDK's types and the
 * catalogue's JSON Schema derive from it. Adding an optional input is one entry here and `npm run gen`.
 */
import { DEFAULT_TENANT, MAX_DATA_SOURCE_NAME_LENGTH, MAX_DESCRIPTION_LENGTH } from "./constants";
import type { Refinement, ResourceDefinition, SettingDefinition, SettingsTypeDefinition } from "./model";
import { findInvisibleCharacter, parseDeclaredPrefix, samePrefix } from "./s3-naming";

const POSITIVE_ID = { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** The prefix as `check` keeps it: canonical (`S3://b/k/` → `s3://b/k`), or why it is no S3 location. */
function refinePrefix(prefix: string): Refinement {
  const parsed = parseDeclaredPrefix(prefix);
  return parsed.ok
    ? { ok: true, value: parsed.canonical }
    : { ok: false, reason: `prefix "${prefix}" ${parsed.reason}` };
}

/** Names a reviewer can read as they are: nothing invisible, no edge white space, Unicode NFC. */
function refineName(name: string): Refinement {
  const invisible = findInvisibleCharacter(name);
  const problem = invisible
    ? `contains an invisible or control character (${invisible})`
    : name.trim() !== name
      ? "has leading or trailing white space"
      : name.normalize("NFC") !== name
        ? "is not in Unicode normal form C"
        : undefined;
  return problem ? { ok: false, reason: `dataSourceName ${problem}` } : { ok: true, value: name };
}

/**
 * Tag names as Immuta's tag library holds them: dot-separated segments (`Finance.PII`), none empty, nothing a
 * reviewer could misread. Canonical: sorted, so that a preview shows exactly the tags added and removed.
 */
function refineTags(tags: string[]): Refinement {
  for (const tag of tags) {
    const invisible = findInvisibleCharacter(tag);
    const problem = invisible
      ? `contains an invisible or control character (${invisible})`
      : tag.split(".").some((segment) => segment.trim() === "" || segment.trim() !== segment)
        ? "must be dot-separated names without empty segments or white space around them, such as Finance.PII"
        : tag.normalize("NFC") !== tag
          ? "is not in Unicode normal form C"
          : undefined;
    if (problem) return { ok: false, reason: `tags: "${tag}" ${problem}` };
  }
  return { ok: true, value: [...tags].sort() };
}

/** A description may span lines; other control characters and text-reordering ones are refused. */
function refineDescription(description: string): Refinement {
  const invisible = findInvisibleCharacter(description.replace(/[\n\r\t]/g, " "));
  return invisible
    ? { ok: false, reason: `description contains an invisible or control character (${invisible})` }
    : { ok: true, value: description };
}

/** Two tag lists hold the same tags, in any order; a list left out (not managed) equals only another left out. */
function sameTags(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && [...a].sort().every((tag, index) => tag === [...b].sort()[index]);
}

function refineAdoption(adopt: { dataSourceId?: number; byName?: boolean }): Refinement {
  if (adopt.dataSourceId === undefined && adopt.byName !== true)
    return {
      ok: false,
      reason: "adopt must name what to take over: { dataSourceId: <id> } or { byName: true }",
    };
  if (adopt.dataSourceId !== undefined && adopt.byName === true)
    return { ok: false, reason: "adopt takes either dataSourceId or byName, not both" };
  return { ok: true, value: adopt };
}

export const DATA_SOURCE = {
  name: "S3DataSource",
  description:
    "An Amazon S3 data source in Immuta. Creating registers it (`POST /native-s3/handler`), refreshing detects " +
    "drift, deleting disables and then purges it.",
  properties: {
    integrationId: {
      type: { kind: "integer" },
      description:
        "Id of the Native S3 integration in Immuta that registers the source. Changing it replaces the source.",
      input: {
        required: true,
        replaces: true,
        schema: POSITIVE_ID,
        reason:
          "integrationId must be a positive whole number: the id of the Native S3 integration in Immuta",
      },
      output: { required: true, computed: false },
    },
    prefix: {
      type: { kind: "string" },
      description:
        "The S3 location the source covers: a bucket (`s3://bucket`), a prefix (`s3://bucket/path`) or one " +
        "object. Stored canonically (no trailing slash). Changing it replaces the source.",
      input: {
        required: true,
        replaces: true,
        schema: { type: "string", minLength: 1 },
        unique: true,
        reason: "prefix must be a non-empty string such as s3://my-bucket/research",
        refine: refinePrefix,
        same: (a: string, b: string) => samePrefix(a, b),
      },
      output: { required: true, computed: false },
    },
    dataSourceName: {
      type: { kind: "string" },
      description:
        "The name to register, unique in the tenant. Immuta may store the source under a name of its own (see " +
        "`immutaName`). Changing it replaces the source.",
      input: {
        required: true,
        replaces: true,
        unique: true,
        schema: { type: "string", minLength: 1, maxLength: MAX_DATA_SOURCE_NAME_LENGTH },
        reason: `dataSourceName must be a non-empty string of at most ${MAX_DATA_SOURCE_NAME_LENGTH} characters`,
        refine: refineName,
      },
      output: { required: true, computed: false },
    },
    tenant: {
      type: { kind: "string" },
      description:
        `Which configured Immuta tenant holds the source (default: \`${DEFAULT_TENANT}\`, configured by ` +
        "`immuta:url` and `immuta:apiKey`). Other tenants are configured under `immuta:tenants.<name>`. Changing " +
        "it replaces the source.",
      input: {
        required: false,
        replaces: true,
        default: DEFAULT_TENANT,
        schema: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]{0,62}$" },
        reason:
          "tenant must name a configured tenant: a letter followed by letters, digits, '_' or '-' (at most 63)",
      },
      output: { required: true, computed: false },
    },
    adopt: {
      type: { kind: "object", type: "S3DataSourceAdoption" },
      description:
        "Take over an existing source in `create` instead of registering a new one; it is verified against this " +
        "declaration first. Ignored once the resource exists.",
      input: {
        required: false,
        replaces: false,
        schema: { type: "object" },
        reason: "adopt must be an object: { byName: true } or { dataSourceId: <id> }",
      },
      output: { required: false, computed: false },
    },
    tags: {
      type: { kind: "string-set" },
      description:
        "Tags of Immuta's tag library this stack attaches to the source and keeps attached (dot-separated, such as " +
        "`Finance.PII`; only leaf tags apply). Left out, tags are not managed; an empty list removes the tags this " +
        "stack manages. Tags attached by sensitive data discovery or a catalog are never removed: they are in " +
        "`otherTags`. A change is applied in place.",
      input: {
        required: false,
        replaces: false,
        inPlace: true,
        schema: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 255 } },
        reason:
          "tags must be a list of distinct tag names (at most 255 characters each), such as Finance.PII",
        refine: refineTags,
        same: sameTags,
      },
      output: { required: false, computed: false },
    },
    description: {
      type: { kind: "string" },
      description:
        "What the source is for, as Immuta shows it. Left out, the description is not managed. A change is " +
        "applied in place.",
      input: {
        required: false,
        replaces: false,
        inPlace: true,
        schema: { type: "string", maxLength: MAX_DESCRIPTION_LENGTH },
        reason: `description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`,
        refine: refineDescription,
      },
      output: { required: false, nullable: true, computed: false },
    },
    disabled: {
      type: { kind: "boolean" },
      description:
        "True when Immuta holds the source disabled (soft-deleted); the next `pulumi up` restores it.",
      input: {
        // A declaration describes an enabled source; refresh reports `true` here so that a preview shows the drift.
        required: false,
        replaces: false,
        internal: true,
        default: false,
        schema: { const: false },
        reason:
          "disabled must be false: a declared data source is enabled (delete the resource to remove the source)",
      },
      output: { required: true, computed: true, changesOnUpdate: true },
    },
    dataSourceId: {
      type: { kind: "integer" },
      description: "Immuta's id of the data source (also the resource id).",
      output: { required: true, computed: true },
    },
    handlerId: {
      type: { kind: "integer" },
      description: "Immuta's id of the source's native-s3 handler (`GET /native-s3/handler/{handlerId}`).",
      output: { required: true, computed: true },
    },
    immutaName: {
      type: { kind: "string" },
      description: "The name as Immuta reports it; Immuta may rename sources on creation.",
      output: { required: true, computed: true, changesOnUpdate: true },
    },
    appliedName: {
      type: { kind: "string" },
      description:
        "The name Immuta reported after the provider last created or renamed the source: the baseline for " +
        "rename drift. State holds it only where it differs from immutaName (see storedState).",
      output: { required: true, computed: true, changesOnUpdate: true, internal: true },
    },
    otherTags: {
      type: { kind: "string-set" },
      description:
        "Tags on the source that this stack does not manage: attached by sensitive data discovery, a catalog, or " +
        "by hand. Pulumi never removes them; a refresh reports when they change.",
      output: { required: true, computed: true, changesOnUpdate: true, reportsDrift: true },
    },
    awsLocationPath: {
      type: { kind: "string" },
      description: "The base S3 location Immuta registered the source under, when known.",
      output: { required: true, nullable: true, computed: true },
    },
    status: {
      type: { kind: "string" },
      description: "Immuta's status of the source, when reported.",
      output: { required: true, nullable: true, computed: true, changesOnUpdate: true },
    },
    schemaVersion: {
      type: { kind: "integer" },
      description: "Version of the state shape written for this resource.",
      output: { required: true, computed: true },
    },
  },
  objectTypes: {
    S3DataSourceAdoption: {
      description:
        "How to take over a data source that already exists in Immuta instead of registering a new one.",
      reason: "adopt must be an object: { byName: true } or { dataSourceId: <id> }",
      properties: {
        dataSourceId: {
          type: { kind: "integer" },
          description:
            "Adopt the data source with this Immuta id; its prefix, integration and name must match the declaration.",
          schema: POSITIVE_ID,
          reason: "adopt.dataSourceId must be a positive whole number",
        },
        byName: {
          type: { kind: "boolean" },
          description:
            "Adopt the data source named `dataSourceName`; its prefix and integration must match the declaration.",
          schema: { type: "boolean" },
          reason: "adopt.byName must be true or false",
        },
      },
      refine: refineAdoption,
    },
  },
} satisfies ResourceDefinition;

/**
 * The provider's configuration: stack config `immuta:<name>` (a named tenant's under `immuta:tenants.<tenant>`), or
 * the native plugin's provider arguments, each falling back to an environment variable where `environment` says.
 */
export const SETTINGS = {
  url: {
    type: { kind: "string" },
    description: "Root URL of the Immuta tenant, e.g. `https://acme.hosted.immutacloud.com`.",
    environment: true,
    perTenant: true,
  },
  apiKey: {
    type: { kind: "string" },
    secret: true,
    description:
      "API key of a user with `CREATE_S3_DATASOURCE` (and `GOVERNANCE` or ownership to delete). Set it with `--secret`.",
    environment: true,
    perTenant: true,
  },
  authMode: {
    type: { kind: "string" },
    description:
      "`apiKey` (default: the key itself in `Authorization`) or `bearer` (exchange it at `/bim/apikey/authenticate`).",
    environment: true,
    perTenant: true,
  },
  requestTimeoutMs: {
    type: { kind: "integer" },
    description: "Timeout of one request in milliseconds (default 30000).",
    environment: true,
    perTenant: true,
  },
  operationTimeoutMs: {
    type: { kind: "integer" },
    description: "Timeout of one operation including retries in milliseconds (default 120000).",
    environment: true,
    perTenant: true,
  },
  maxInFlight: {
    type: { kind: "integer" },
    description: "Requests in flight at once per tenant (default 64).",
    environment: true,
    perTenant: true,
  },
  caBundle: {
    type: { kind: "string" },
    description: "Extra CA certificates, as PEM text or a file path; TLS is always verified.",
    environment: true,
    perTenant: true,
  },
  allowInsecureHttp: {
    type: { kind: "boolean" },
    description: "Allow `http://` URLs other than loopback.",
    environment: true,
    perTenant: true,
  },
  prefixForm: {
    type: { kind: "string" },
    description:
      "How prefixes travel to Immuta: `relative` (default, relative to the integration's `awsLocationPath`, as " +
      "Immuta documents) or `absolute` (`s3://` URIs).",
    environment: true,
    perTenant: true,
  },
  integrations: {
    type: { kind: "map", of: "IntegrationSettings" },
    description:
      "Per integration id, the `awsLocationPath` to use when Immuta's integrations API cannot be read.",
    environment: false,
    perTenant: true,
  },
  tenants: {
    type: { kind: "map", of: "TenantSettings" },
    description: "Further Immuta tenants, by name; a resource selects one with its `tenant` input.",
    environment: false,
    perTenant: false,
  },
} satisfies Record<string, SettingDefinition>;

/** The configuration's object types; a tenant's settings are every setting with `perTenant`. */
export const SETTINGS_TYPES = {
  IntegrationSettings: {
    description: "What the provider should know about one Native S3 integration.",
    properties: {
      awsLocationPath: {
        type: { kind: "string" },
        description: "The integration's base S3 location, e.g. `s3://` or `s3://my-bucket/team/`.",
      },
    },
  },
  TenantSettings: {
    description: "The connection to one named Immuta tenant (the same settings as the provider's own).",
    properties: Object.fromEntries(
      Object.entries(SETTINGS as Record<string, SettingDefinition>)
        .filter(([, setting]) => setting.perTenant)
        .map(([name, { type, description, secret }]) => [name, { type, description, secret }]),
    ),
  },
} satisfies Record<string, SettingsTypeDefinition>;
