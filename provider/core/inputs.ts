/**
 * The declaration a user writes, and `check`: every failure named by property, before any API call.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { DEFAULT_TENANT, MAX_DATA_SOURCE_NAME_LENGTH, PROVIDER_KEY, UNKNOWN_VALUE } from "./constants";
import { findInvisibleCharacter, parseDeclaredPrefix } from "./s3-prefix";

/** How `create` takes over a data source that already exists instead of registering a new one. */
export interface AdoptionInput {
  /** Adopt the data source with this id. Its prefix and integration must match the declaration. */
  dataSourceId?: number;
  /** Adopt the data source whose name is the declared `dataSourceName`, after verifying prefix and integration. */
  byName?: boolean;
}

/** Inputs as they reach the provider (after the SDK resolved every `Input<>`). */
export interface DataSourceInputs {
  integrationId: number;
  prefix: string;
  dataSourceName: string;
  /** Which configured Immuta tenant holds the source; credentials stay in stack config. */
  tenant?: string;
  adopt?: AdoptionInput;
  /** Desired state: always false. Refresh reports `true` here when the source was disabled behind Pulumi's back. */
  disabled?: boolean;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

const INPUT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["integrationId", "prefix", "dataSourceName"],
  properties: {
    integrationId: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    prefix: { type: "string", minLength: 1 },
    dataSourceName: { type: "string", minLength: 1, maxLength: MAX_DATA_SOURCE_NAME_LENGTH },
    tenant: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]{0,62}$" },
    disabled: { const: false },
    adopt: {
      type: "object",
      additionalProperties: false,
      properties: {
        dataSourceId: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        byName: { type: "boolean" },
      },
    },
  },
} as const;

let validateInputs: ValidateFunction | undefined;

function inputValidator(): ValidateFunction {
  // Compiled on first use: this module is loaded by the provider process only, never serialized into state.
  validateInputs ??= new Ajv({ allErrors: true, strict: true }).compile(INPUT_SCHEMA);
  return validateInputs;
}

const isUnknown = (value: unknown): boolean => value === UNKNOWN_VALUE;

/** Drops preview's unknown placeholders (at any depth) so that validation judges only what is known. */
function knownPart(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(knownPart);
  if (value === null || typeof value !== "object") return value;
  const known: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isUnknown(item)) known[key] = knownPart(item);
  }
  return known;
}

function unknownKeys(inputs: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(inputs).filter((key) => isUnknown(inputs[key])));
}

function describeAjvError(error: ErrorObject): CheckFailure {
  const path = error.instancePath.split("/").filter(Boolean).join(".");
  if (error.keyword === "required") {
    const missing = String(error.params.missingProperty);
    return { property: missing, reason: `${missing} is required` };
  }
  if (error.keyword === "additionalProperties") {
    const extra = String(error.params.additionalProperty);
    const property = path ? `${path}.${extra}` : extra;
    return { property, reason: `${property} is not a property of ImmutaS3DataSource (check its spelling)` };
  }
  const property = path || "(inputs)";
  const reasons: Record<string, string> = {
    integrationId:
      "integrationId must be a positive whole number: the id of the Native S3 integration in Immuta",
    dataSourceName: `dataSourceName must be a non-empty string of at most ${MAX_DATA_SOURCE_NAME_LENGTH} characters`,
    prefix: "prefix must be a non-empty string such as s3://my-bucket/research",
    tenant:
      "tenant must name a configured tenant: a letter followed by letters, digits, '_' or '-' (at most 63)",
    disabled:
      "disabled must be false: a declared data source is enabled (delete the resource to remove the source)",
    adopt: "adopt must be an object: { byName: true } or { dataSourceId: <id> }",
    "adopt.dataSourceId": "adopt.dataSourceId must be a positive whole number",
    "adopt.byName": "adopt.byName must be true or false",
  };
  return { property, reason: reasons[property] ?? `${property} ${error.message ?? "is invalid"}` };
}

function nameProblem(name: string): string | undefined {
  const invisible = findInvisibleCharacter(name);
  if (invisible) return `contains an invisible or control character (${invisible})`;
  if (name.trim() !== name) return "has leading or trailing white space";
  if (name.normalize("NFC") !== name) return "is not in Unicode normal form C";
  return undefined;
}

export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/**
 * Validates a declaration and returns it canonicalised (prefix in canonical form, defaults filled in). Makes no
 * API call: `pulumi preview` of an invalid declaration must fail without touching Immuta.
 */
export function checkInputs(news: Record<string, unknown>): CheckResult {
  const declared: Record<string, unknown> = { ...news };
  delete declared[PROVIDER_KEY];
  // Outputs-only keys that an older SDK or a refresh may have put into inputs are not user errors.
  delete declared.schemaVersion;
  const unknown = unknownKeys(declared);
  const known = knownPart(declared) as Record<string, unknown>;

  const validate = inputValidator();
  const failures: CheckFailure[] = [];
  if (!validate(known)) {
    for (const error of validate.errors ?? []) {
      const failure = describeAjvError(error);
      // A required property that is merely unknown during preview is not missing.
      if (error.keyword === "required" && unknown.has(failure.property)) continue;
      if (!failures.some((f) => f.property === failure.property)) failures.push(failure);
    }
  }

  const inputs: Record<string, unknown> = { ...declared };
  const failed = (property: string) => failures.some((f) => f.property === property);

  if (typeof known.prefix === "string" && !failed("prefix")) {
    const parsed = parseDeclaredPrefix(known.prefix);
    if (parsed.ok) inputs.prefix = parsed.canonical;
    else failures.push({ property: "prefix", reason: `prefix "${known.prefix}" ${parsed.reason}` });
  }
  if (typeof known.dataSourceName === "string" && !failed("dataSourceName")) {
    const problem = nameProblem(known.dataSourceName);
    if (problem) failures.push({ property: "dataSourceName", reason: `dataSourceName ${problem}` });
  }
  const adopt = known.adopt as AdoptionInput | undefined;
  // A member already reported (e.g. `byName: "true"`) must not also be reported as "adopt names nothing".
  const adoptFailed = failures.some((f) => f.property === "adopt" || f.property.startsWith("adopt."));
  if (adopt && !adoptFailed && adopt.dataSourceId === undefined && adopt.byName !== true) {
    failures.push({
      property: "adopt",
      reason: "adopt must name what to take over: { dataSourceId: <id> } or { byName: true }",
    });
  }
  if (adopt && !adoptFailed && adopt.dataSourceId !== undefined && adopt.byName === true) {
    failures.push({ property: "adopt", reason: "adopt takes either dataSourceId or byName, not both" });
  }

  if (inputs.tenant === undefined) inputs.tenant = DEFAULT_TENANT;
  if (inputs.disabled === undefined) inputs.disabled = false;
  return { inputs, failures };
}

/** The declared part of inputs or outputs: what `diff` compares. */
export function declaredInputs(values: Record<string, unknown>): DataSourceInputs {
  return {
    integrationId: values.integrationId as number,
    prefix: values.prefix as string,
    dataSourceName: values.dataSourceName as string,
    tenant: (values.tenant as string | undefined) ?? DEFAULT_TENANT,
    adopt: values.adopt as AdoptionInput | undefined,
    disabled: false,
  };
}
