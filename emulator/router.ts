import { badRequest } from "./boom";

type Segment = { literal: string } | { param: string; rest: boolean };

interface Route<H> {
  method: string;
  segments: Segment[];
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

/**
 * A minimal method + path router. Patterns use `{name}` for one segment and `{name*}` for the rest of the
 * path. Parameters are split on the raw path and then URL-decoded, so `%2F` inside a name stays in the name.
 */
// DECISION: as in hapi, literal segments win over parameters, a trailing slash is a different path (404), a
// known path with another method is a 404, and undecodable `%` escapes in a parameter are a 400.
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = pattern
      .split("/")
      .slice(1)
      .map((part): Segment => {
        const param = /^\{(\w+)(\*)?\}$/.exec(part);
        return param ? { param: param[1], rest: param[2] === "*" } : { literal: part };
      });
    this.routes.push({ method, segments, handler });
    // Most literal segments first, so `/dataSource/name/{name*}` beats `/dataSource/{id}`.
    this.routes.sort((a, b) => literalCount(b) - literalCount(a));
    return this;
  }

  /** The matching route, or undefined (a 404). Throws a 400 Boom on undecodable parameters. */
  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = path.split("/").slice(1);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const rawParams = matchSegments(route.segments, parts);
      if (rawParams) return { handler: route.handler, params: decodeParams(rawParams) };
    }
    return undefined;
  }
}

function literalCount(route: Route<unknown>): number {
  return route.segments.filter((segment) => "literal" in segment).length;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const part = parts[index];
    if (part === undefined) return undefined;
    if ("literal" in segment) {
      if (segment.literal !== part) return undefined;
    } else if (segment.rest) {
      const rest = parts.slice(index).join("/");
      if (rest === "") return undefined;
      params[segment.param] = rest;
      return params;
    } else {
      if (part === "") return undefined;
      params[segment.param] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decodeParams(rawParams: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawParams)) {
    try {
      params[name] = decodeURIComponent(raw);
    } catch {
      throw badRequest(`Invalid URL encoding in path parameter ${name}`, { source: "params", keys: [name] });
    }
  }
  return params;
}

/** Parses a path id: decimal digits, a safe integer. Anything else is a 400 naming the parameter. */
// DECISION: `/dataSource/abc`, `-1`, `1e3`, `1.0` and ids beyond 2^53 are a 400; `0` is a valid id (404).
export function idParam(params: Record<string, string>, name: string): number {
  const raw = params[name] ?? "";
  const value = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(value)) {
    throw badRequest(`Invalid request params input: "${name}" must be a positive integer`, {
      source: "params",
      keys: [name],
    });
  }
  return value;
}
