import { conflict, notFound, unprocessable } from "./boom";
import { FIRST_DATA_SOURCE_ID, FIRST_HANDLER_ID, FIRST_SCHEMA_EVOLUTION_ID } from "./defaults";
import { isWithinLocation, parseLocation } from "../provider/core/s3-naming";
import type {
  DataSourceTag,
  EmulatorIntegration,
  HandlerIdsMode,
  NextIds,
  StoreSnapshot,
  StoredDataSource,
} from "./types";

/** A source to create: the name is final (generated or honoured) and the prefix canonical. */
export interface NewDataSource {
  name: string;
  prefix: string;
  integrationId: number;
  owner: string;
  deleted?: boolean;
  public?: boolean;
  subscribers?: string[];
  description?: string | null;
  tags?: DataSourceTag[];
  /** When the source was registered (ISO 8601); now when absent. */
  createdAt?: string;
}

/** Out-of-band or API changes to one source. The prefix, when given, is canonical. */
export interface DataSourcePatch {
  name?: string;
  prefix?: string;
  integrationId?: number;
  deleted?: boolean;
  owner?: string;
  public?: boolean;
  subscribers?: string[];
  description?: string | null;
  /** Replaces every tag of the source. */
  tags?: DataSourceTag[];
  handlerDeleteErrorMessage?: string | null;
}

/** Rules the store enforces that depend on the current modes. */
export interface StoreRules {
  /** Whether two integrations may not share an `awsLocationPath` (Immuta documents it as unique). */
  uniqueIntegrationLocations(): boolean;
}

export type DeleteOutcome = "disabled" | "purged";

const initialNextIds = (): NextIds => ({
  dataSourceId: FIRST_DATA_SOURCE_ID,
  handlerId: FIRST_HANDLER_ID,
  schemaEvolutionId: FIRST_SCHEMA_EVOLUTION_ID,
});

/**
 * The tenant's data sources and integrations, with the uniqueness and placement rules Immuta enforces.
 * Every method is synchronous, so a request's check-then-write can never interleave with another's.
 */
export class Store {
  private readonly dataSources = new Map<number, StoredDataSource>();
  private readonly idByName = new Map<string, number>();
  private readonly idByPrefix = new Map<string, number>();
  private readonly idByHandlerId = new Map<number, number>();
  private readonly integrations = new Map<number, EmulatorIntegration>();
  private nextIds: NextIds = initialNextIds();

  constructor(
    integrations: readonly EmulatorIntegration[],
    private readonly rules: StoreRules = { uniqueIntegrationLocations: () => true },
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const integration of integrations) this.upsertIntegration(integration);
  }

  // ---- reads

  get(id: number): StoredDataSource | undefined {
    return this.dataSources.get(id);
  }

  getByName(name: string): StoredDataSource | undefined {
    const id = this.idByName.get(name);
    return id === undefined ? undefined : this.dataSources.get(id);
  }

  getByHandlerId(handlerId: number): StoredDataSource | undefined {
    const id = this.idByHandlerId.get(handlerId);
    return id === undefined ? undefined : this.dataSources.get(id);
  }

  getIntegration(id: number): EmulatorIntegration | undefined {
    return this.integrations.get(id);
  }

  integrationIds(): number[] {
    return [...this.integrations.keys()];
  }

  /** Every source not yet purged, in id order. */
  list(): StoredDataSource[] {
    return [...this.dataSources.values()];
  }

  snapshot(): StoreSnapshot {
    return {
      dataSources: [...this.dataSources.values()].map(copyOf),
      integrations: [...this.integrations.values()].map((integration) => ({ ...integration })),
      nextIds: { ...this.nextIds },
    };
  }

  // ---- writes

  /** Creates all sources or none. */
  // DECISION: a multi-source POST is atomic; a duplicate within the request is a 409 like one in the store.
  create(requested: readonly NewDataSource[], handlerIdsMode: HandlerIdsMode): StoredDataSource[] {
    const namesInBatch = new Set<string>();
    const prefixesInBatch = new Set<string>();
    for (const source of requested) {
      this.checkPlacement(source.prefix, source.integrationId);
      this.checkUnique(source.name, source.prefix);
      if (namesInBatch.has(source.name)) throw nameTaken(source.name);
      if (prefixesInBatch.has(source.prefix)) throw prefixTaken(source.prefix);
      namesInBatch.add(source.name);
      prefixesInBatch.add(source.prefix);
    }
    const timestamp = this.now().toISOString();
    return requested.map((source) => {
      const { id, handlerId } = this.allocateIds(handlerIdsMode);
      const stored: StoredDataSource = {
        id,
        handlerId,
        name: source.name,
        prefix: source.prefix,
        integrationId: source.integrationId,
        deleted: source.deleted ?? false,
        owner: source.owner,
        public: source.public ?? false,
        subscribers: [...(source.subscribers ?? [])],
        description: source.description ?? null,
        tags: copyTags(source.tags ?? []),
        // DECISION: schemaEvolutionId comes from a third counter (starting at 1), one per source.
        schemaEvolutionId: this.nextIds.schemaEvolutionId++,
        handlerDeleteErrorMessage: null,
        createdAt: source.createdAt ?? timestamp,
        updatedAt: source.createdAt ?? timestamp,
      };
      this.index(stored);
      return stored;
    });
  }

  /** Applies a patch; `changed` is false when every given value was already in place. */
  update(id: number, patch: DataSourcePatch): { source: StoredDataSource; changed: boolean } {
    const source = this.require(id);
    const next: StoredDataSource = { ...source, ...definedMembers(patch) };
    if (patch.subscribers) next.subscribers = [...patch.subscribers];
    if (patch.tags) next.tags = copyTags(patch.tags);
    const changed = (Object.keys(next) as (keyof StoredDataSource)[]).some(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(source[key]),
    );
    if (!changed) return { source, changed };
    if (next.prefix !== source.prefix || next.integrationId !== source.integrationId) {
      this.checkPlacement(next.prefix, next.integrationId);
    }
    this.checkUnique(next.name, next.prefix, id);
    next.updatedAt = this.now().toISOString();
    this.unindexLookups(source);
    this.index(next); // Map.set on an existing id keeps its place, so searches stay in id order
    return { source: next, changed };
  }

  /** First call disables (soft delete), the second purges (hard delete). */
  delete(id: number): { source: StoredDataSource; outcome: DeleteOutcome } {
    const source = this.require(id);
    if (source.deleted) {
      this.purge(id);
      return { source, outcome: "purged" };
    }
    return { source: this.update(id, { deleted: true }).source, outcome: "disabled" };
  }

  /** Removes a source entirely; its name, prefix and handler id become free. */
  purge(id: number): StoredDataSource {
    const source = this.require(id);
    this.unindex(source);
    return source;
  }

  /** Adds or replaces an integration; returns it as stored. */
  // DECISION: locations compare canonically (`s3://bucket/` and `S3://bucket` are one location); a clash is a 409
  // while `integrationLocations` is `unique`, as Immuta documents the path as unique across S3 integrations.
  upsertIntegration(integration: EmulatorIntegration): EmulatorIntegration {
    const location = parseLocation(integration.awsLocationPath);
    if (!location.ok) throw unprocessable(`awsLocationPath is not an S3 location: ${location.reason}`);
    if (this.rules.uniqueIntegrationLocations()) {
      for (const other of this.integrations.values()) {
        const otherLocation = parseLocation(other.awsLocationPath);
        if (
          other.id !== integration.id &&
          otherLocation.ok &&
          otherLocation.canonical === location.canonical
        ) {
          throw conflict(
            `Integration ${other.id} already exists with the awsLocationPath ${other.awsLocationPath}; ` +
              "an awsLocationPath must be unique across S3 integrations",
          );
        }
      }
    }
    const stored = { ...integration };
    this.integrations.set(stored.id, stored);
    return stored;
  }

  nextIntegrationId(): number {
    return Math.max(0, ...this.integrations.keys()) + 1;
  }

  /** Replaces everything (used by reset and by loading the data file). */
  replaceAll(snapshot: StoreSnapshot): void {
    this.dataSources.clear();
    this.idByName.clear();
    this.idByPrefix.clear();
    this.idByHandlerId.clear();
    this.integrations.clear();
    for (const integration of snapshot.integrations) this.upsertIntegration(integration);
    const sorted = [...snapshot.dataSources].sort((a, b) => a.id - b.id);
    for (const source of sorted) {
      if (this.dataSources.has(source.id) || this.idByHandlerId.has(source.handlerId)) {
        throw new Error(`duplicate data source id ${source.id} or handler id ${source.handlerId}`);
      }
      if (this.idByName.has(source.name) || this.idByPrefix.has(source.prefix)) {
        throw new Error(`duplicate name or prefix for data source ${source.id}`);
      }
      this.index(copyOf(source));
    }
    // Counters never go backwards, even if the file's nextIds were edited by hand.
    const maxOf = (values: number[], floor: number) => Math.max(floor, ...values.map((value) => value + 1));
    this.nextIds = {
      dataSourceId: maxOf(
        sorted.map((s) => s.id),
        snapshot.nextIds.dataSourceId,
      ),
      handlerId: maxOf(
        sorted.map((s) => s.handlerId),
        snapshot.nextIds.handlerId,
      ),
      schemaEvolutionId: maxOf(
        sorted.map((s) => s.schemaEvolutionId),
        snapshot.nextIds.schemaEvolutionId,
      ),
    };
  }

  reset(integrations: readonly EmulatorIntegration[]): void {
    this.replaceAll({ dataSources: [], integrations: [...integrations], nextIds: initialNextIds() });
  }

  // ---- rules

  private checkPlacement(prefix: string, integrationId: number): void {
    const integration = this.integrations.get(integrationId);
    // DECISION: an unknown integrationId is a 422 (the body is well-formed but names nothing), not a 404
    // that a client could mistake for a missing endpoint.
    if (!integration) throw unprocessable(`Integration ${integrationId} does not exist`);
    const location = parseLocation(integration.awsLocationPath);
    if (!location.ok || !isWithinLocation(prefix, location.canonical)) {
      throw unprocessable(
        `Prefix ${prefix} is not under the integration's awsLocationPath ${integration.awsLocationPath}`,
      );
    }
  }

  // DECISION: a soft-deleted source still holds its name and prefix until it is purged; names compare exactly
  // (case-sensitive), prefixes in canonical form.
  private checkUnique(name: string, prefix: string, exceptId?: number): void {
    const byName = this.idByName.get(name);
    if (byName !== undefined && byName !== exceptId) throw nameTaken(name);
    const byPrefix = this.idByPrefix.get(prefix);
    if (byPrefix !== undefined && byPrefix !== exceptId) throw prefixTaken(prefix);
  }

  private require(id: number): StoredDataSource {
    const source = this.dataSources.get(id);
    if (!source) throw notFound(`Data source ${id} not found`);
    return source;
  }

  // DECISION (mode handlerIds): `separate` draws handler ids from their own counter; `same` reuses the data
  // source id. Either way an id already used by a handler is skipped, so switching modes never collides.
  private allocateIds(mode: HandlerIdsMode): { id: number; handlerId: number } {
    let id = this.nextIds.dataSourceId;
    while (this.dataSources.has(id) || (mode === "same" && this.idByHandlerId.has(id))) id++;
    this.nextIds.dataSourceId = id + 1;
    if (mode === "same") return { id, handlerId: id };
    let handlerId = this.nextIds.handlerId;
    while (this.idByHandlerId.has(handlerId)) handlerId++;
    this.nextIds.handlerId = handlerId + 1;
    return { id, handlerId };
  }

  private index(source: StoredDataSource): void {
    this.dataSources.set(source.id, source);
    this.idByName.set(source.name, source.id);
    this.idByPrefix.set(source.prefix, source.id);
    this.idByHandlerId.set(source.handlerId, source.id);
  }

  private unindex(source: StoredDataSource): void {
    this.dataSources.delete(source.id);
    this.unindexLookups(source);
  }

  private unindexLookups(source: StoredDataSource): void {
    this.idByName.delete(source.name);
    this.idByPrefix.delete(source.prefix);
    this.idByHandlerId.delete(source.handlerId);
  }
}

const nameTaken = (name: string) => conflict(`A data source with the name "${name}" already exists`);
const prefixTaken = (prefix: string) => conflict(`A data source with the prefix "${prefix}" already exists`);

/** A copy that shares no array with the store, so a caller cannot change a stored source by accident. */
function copyOf(source: StoredDataSource): StoredDataSource {
  return { ...source, subscribers: [...source.subscribers], tags: copyTags(source.tags) };
}

function copyTags(tags: readonly DataSourceTag[]): DataSourceTag[] {
  return tags.map((tag) => ({ ...tag }));
}

function definedMembers<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
