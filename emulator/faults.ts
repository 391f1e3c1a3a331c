import { createPrng, type Prng } from "./prng";
import type { ActiveFaultRule, FaultKind, FaultRule } from "./types";

/** Used when a `slow` rule gives no `slowMs`: longer than any sensible client timeout in a test. */
const DEFAULT_SLOW_MS = 30_000;

/** A fault chosen for one request. */
export interface AppliedFault {
  rule: FaultRule;
  kind: FaultKind;
  /** Wait before processing (`latency`) or before responding (`slow`); 0 otherwise. */
  delayMs: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number | null;
  matches: (method: string, path: string) => boolean;
}

/**
 * Holds the fault rules and decides, per request, which one applies. Rules are tried in order; the first
 * whose method and path match and whose probability draw succeeds applies and, if it has `times`, is
 * consumed. All randomness comes from one seeded PRNG, re-seeded whenever rules are installed, so a test
 * that installs the same rules and sends the same requests sees the same faults.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private prng: Prng;

  constructor(private seed: number) {
    this.prng = createPrng(seed);
  }

  // DECISION: installing rules re-seeds the PRNG, so a test's faults do not depend on earlier traffic.
  setRules(rules: readonly FaultRule[], seed: number = this.seed): void {
    this.seed = seed;
    this.prng = createPrng(seed);
    this.rules = rules.map((rule) => ({
      rule: { ...rule },
      remaining: rule.times ?? null,
      matches: matcherFor(rule),
    }));
  }

  clear(): void {
    this.setRules([]);
  }

  list(): ActiveFaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, remaining }));
  }

  pick(method: string, path: string): AppliedFault | undefined {
    if (this.rules.length === 0) return undefined;
    for (const active of this.rules) {
      if (active.remaining === 0 || !active.matches(method, path)) continue;
      const probability = active.rule.probability ?? 1;
      // Draw only for real chances, so adding a certain rule does not shift the sequence of the others.
      if (probability < 1 && this.prng.next() >= probability) continue;
      if (active.remaining !== null) active.remaining -= 1;
      return { rule: active.rule, kind: active.rule.kind, delayMs: this.delayFor(active.rule) };
    }
    return undefined;
  }

  private delayFor(rule: FaultRule): number {
    if (rule.kind === "slow") return rule.slowMs ?? DEFAULT_SLOW_MS;
    if (rule.kind !== "latency") return 0;
    const jitter = rule.latencyJitterMs ? Math.floor(this.prng.next() * rule.latencyJitterMs) : 0;
    return (rule.latencyMs ?? 0) + jitter;
  }
}

/** `path` is exact, or a pattern whose `*` matches any run of characters, `/` included. */
// DECISION: `/dataSource/*` matches `/dataSource/1` and `/dataSource/name/x` but not `/dataSource`; paths are
// matched raw (not URL-decoded) and without the query string.
function matcherFor(rule: FaultRule): (method: string, path: string) => boolean {
  const method = rule.method?.toUpperCase();
  const pattern = rule.path;
  const pathMatches =
    pattern === undefined
      ? () => true
      : pattern.includes("*")
        ? regExpMatcher(pattern)
        : (path: string) => path === pattern;
  return (requestMethod, path) => (method === undefined || requestMethod === method) && pathMatches(path);
}

function regExpMatcher(pattern: string): (path: string) => boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const regExp = new RegExp(`^${source}$`);
  return (path) => regExp.test(path);
}
