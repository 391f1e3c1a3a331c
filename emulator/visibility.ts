import { hasPermission } from "./auth";
import type { EmulatorUser, StoredDataSource, VisibilityMode } from "./types";

/**
 * Whether a user may see a source through the read endpoints (`GET /dataSource/{id}`, by name, search): its owner,
 * a GOVERNANCE user, a subscriber, or anyone when it is public; a disabled source only by its owner. Hidden reads
 * answer 404, exactly as for a source that does not exist. See docs/immuta-api.md, "Visibility".
 */
// DECISION: writes (PUT, DELETE) and the handler endpoint ignore visibility: a GOVERNANCE user must be able to purge
// a disabled source it cannot read, and a client tells "hidden" from "gone" through the handler.
export function isVisibleTo(user: EmulatorUser, source: StoredDataSource, mode: VisibilityMode): boolean {
  if (mode === "open" || user.name === source.owner) return true;
  if (source.deleted) return false;
  return source.public || hasPermission(user, "GOVERNANCE") || source.subscribers.includes(user.name);
}

/** The caller's relation to a source, as search summaries report it (`subscriptionStatus`). */
export function subscriptionStatusOf(user: EmulatorUser, source: StoredDataSource): string {
  if (user.name === source.owner) return "owner";
  return source.subscribers.includes(user.name) ? "subscribed" : "not_subscribed";
}
