/**
 * What the engine reported for this product's data sources during a preview, update or refresh: one entry per
 * source with its operation and the properties causing it, the drift a refresh found, and the errors.
 */
import type { EngineEvent, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import {
  DATA_SOURCE,
  driftReportingOutputs,
  inputNames,
  isDataSourceType,
  PROVIDER_KEY,
  UNKNOWN_VALUE,
  withDefaults,
} from "../provider/api";

/** One property's value before and after. */
export interface PropertyChange {
  property: string;
  before: unknown;
  after: unknown;
}

/**
 * The operations a source can undergo, as the summary names them. `adopt` is the engine's `create` of a
 * declaration carrying `adopt`: the provider takes an existing source over instead of registering one.
 */
export type SourceOperation =
  "create" | "adopt" | "update" | "replace" | "delete" | "import" | "discard" | "read" | "same";

/** One source in a preview or update. */
export interface SourceChange {
  /** The logical name: the catalogue entry's key. */
  name: string;
  urn: string;
  operation: SourceOperation;
  /** The name in state before, when an alias (`previousKeys`) matched. */
  previousName?: string;
  /** What causes the operation: the replacement keys of a replace, the changed inputs of an update. */
  causes: PropertyChange[];
}

/** A source that differs from Immuta, found by a refresh. */
export interface SourceDrift {
  name: string;
  urn: string;
  /** `deleted`: gone from Immuta (purged); `changed`: Immuta's values differ from the last known ones. */
  kind: "deleted" | "changed";
  changes: PropertyChange[];
}

export interface EngineReport {
  /** Every source the engine stepped over (refresh steps aside), in the order the engine reported them. */
  changes: SourceChange[];
  /** Sources a refresh found different from the state. */
  drift: SourceDrift[];
  /** Number of sources a refresh looked at. */
  refreshed: number;
  /** Error diagnostics, e.g. an invalid catalogue or a failed API call. */
  errors: string[];
  /** Steps on resources of other types that change something (`create aws:s3/bucket:Bucket::logs`). */
  otherChanges: string[];
}

const OPERATION_OF_STEP: Partial<Record<OpType, SourceOperation>> = {
  same: "same",
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  read: "read",
  "read-replacement": "read",
  import: "import",
  "import-replacement": "import",
  discard: "discard",
  "discard-replaced": "discard",
};

/** When the engine reports several steps for one source (a replacement is three), the strongest wins. */
const OPERATION_RANK: SourceOperation[] = [
  "same",
  "read",
  "discard",
  "import",
  "adopt",
  "update",
  "create",
  "delete",
  "replace",
];

/** Steps that change nothing outside the state. */
const PASSIVE_STEPS: ReadonlySet<OpType> = new Set(["same", "read", "refresh", "read-replacement"]);

/** The engine's own bookkeeping resources (the stack, default providers), whose steps change nothing outside it. */
const isEngineResource = (type: string): boolean =>
  type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

/** The order properties are listed in: the declaration's, then any other alphabetically. */
const PROPERTY_ORDER = [
  "integrationId",
  "tenant",
  ...inputNames(DATA_SOURCE).filter((name) => !["integrationId", "tenant"].includes(name)),
];

/** Outputs whose change a refresh reports as drift although they are not declared. */
const DRIFT_OUTPUTS = driftReportingOutputs(DATA_SOURCE);

function pick(
  values: Record<string, unknown> | undefined,
  names: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => values?.[name] !== undefined).map((name) => [name, values![name]]),
  );
}

const logicalName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The declared properties that differ between two sets of inputs. A default is compared as its value: the provider
 * leaves defaults out of what it stores, and state written by older releases holds them.
 */
export function changedInputs(
  storedBefore: Record<string, unknown> | undefined,
  storedAfter: Record<string, unknown> | undefined,
  only?: readonly string[],
): PropertyChange[] {
  const before = storedBefore && withDefaults(storedBefore);
  const after = storedAfter && withDefaults(storedAfter);
  const properties = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  properties.delete(PROVIDER_KEY);
  const rank = (property: string) => {
    const index = PROPERTY_ORDER.indexOf(property);
    return index === -1 ? PROPERTY_ORDER.length : index;
  };
  return [...(only ?? properties)]
    .filter((property) => only !== undefined || !sameValue(before?.[property], after?.[property]))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((property) => ({ property, before: before?.[property], after: after?.[property] }));
}

/** A declaration that takes over an existing source (`adopt: { dataSourceId }` or `{ byName: true }`). */
function isAdoption(inputs: Record<string, unknown> | undefined): boolean {
  const adopt = inputs?.adopt as { dataSourceId?: unknown; byName?: unknown } | undefined;
  return !!adopt && (adopt.dataSourceId !== undefined || adopt.byName === true);
}

/** True for the placeholder of a value known only after the update. */
export const isUnknownValue = (value: unknown): boolean => value === UNKNOWN_VALUE;

/** Collects engine events (pass `onEvent` to preview, up or refresh) into an {@link EngineReport}. */
export class EngineEventRecorder {
  private readonly steps = new Map<string, SourceChange>();
  private readonly refreshing = new Set<string>();
  private readonly drift: SourceDrift[] = [];
  private readonly errors: string[] = [];
  private readonly otherChanges: string[] = [];
  private refreshed = 0;

  readonly onEvent = (event: EngineEvent): void => {
    if (event.diagnosticEvent?.severity === "error") {
      const { message, urn } = event.diagnosticEvent;
      const text = message.trim();
      this.errors.push(urn ? `${logicalName(urn)}: ${text}` : text);
      return;
    }
    const before = event.resourcePreEvent?.metadata;
    if (before && isDataSourceType(before.type)) {
      if (before.op === "refresh") {
        this.refreshing.add(before.urn);
        this.refreshed += 1;
      } else this.recordStep(before);
      return;
    }
    if (before && !PASSIVE_STEPS.has(before.op) && !isEngineResource(before.type)) {
      this.otherChanges.push(`${before.op} ${before.type}::${logicalName(before.urn)}`);
      return;
    }
    const after = event.resOutputsEvent?.metadata;
    if (after && isDataSourceType(after.type) && this.refreshing.delete(after.urn)) this.recordRefresh(after);
  };

  report(): EngineReport {
    return {
      changes: [...this.steps.values()],
      drift: [...this.drift],
      refreshed: this.refreshed,
      errors: [...this.errors],
      otherChanges: [...this.otherChanges],
    };
  }

  private recordStep(step: StepEventMetadata): void {
    const stepOperation = OPERATION_OF_STEP[step.op];
    if (!stepOperation) return;
    // The engine cannot tell an adoption from a registration; the declaration can.
    const adopts = step.op === "create" && isAdoption(step.new?.inputs);
    const operation: SourceOperation = adopts ? "adopt" : stepOperation;
    const known = this.steps.get(step.urn);
    const previousUrn = step.old?.urn;
    const previousName =
      previousUrn && previousUrn !== step.urn ? logicalName(previousUrn) : known?.previousName;
    const strongest =
      known && OPERATION_RANK.indexOf(known.operation) >= OPERATION_RANK.indexOf(operation)
        ? known.operation
        : operation;
    // A replacement's "replace" step carries the replacement keys; its companion steps do not.
    const causes = !known || step.op === strongest ? this.causesOf(step, strongest) : known.causes;
    this.steps.set(step.urn, {
      name: logicalName(step.urn),
      urn: step.urn,
      operation: strongest,
      ...(previousName === undefined ? {} : { previousName }),
      causes,
    });
  }

  private causesOf(step: StepEventMetadata, operation: SourceOperation): PropertyChange[] {
    const before = step.old?.inputs;
    const after = step.new?.inputs;
    if (operation === "replace") {
      const keys = step.keys?.filter((key) => key !== PROVIDER_KEY) ?? [];
      return keys.length > 0 ? changedInputs(before, after, keys) : changedInputs(before, after);
    }
    if (operation === "update") {
      const diffs = step.diffs?.filter((key) => key !== PROVIDER_KEY) ?? [];
      return diffs.length > 0 ? changedInputs(before, after, diffs) : changedInputs(before, after);
    }
    return [];
  }

  private recordRefresh(result: StepEventMetadata): void {
    const name = logicalName(result.urn);
    if (!result.new || result.op === "delete") {
      this.drift.push({ name, urn: result.urn, kind: "deleted", changes: [] });
      return;
    }
    // The provider's read returns inputs in the declaration's vocabulary with Immuta's values where they
    // drifted, so a difference in inputs is the drift (outputs such as awsLocationPath only fill in), and so is a
    // change of the outputs the resource's definition reports as drift (tags others attach: otherTags).
    const changes = [
      ...changedInputs(result.old?.inputs, result.new.inputs),
      ...changedInputs(pick(result.old?.outputs, DRIFT_OUTPUTS), pick(result.new.outputs, DRIFT_OUTPUTS)),
    ];
    if (changes.length > 0) this.drift.push({ name, urn: result.urn, kind: "changed", changes });
  }
}
