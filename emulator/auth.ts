import { randomBytes, timingSafeEqual } from "node:crypto";
import { forbidden, unauthorized } from "./boom";
import type { EmulatorUser, Permission, TenantUser } from "./types";

interface Session {
  user: TenantUser;
  expiresAt: number;
}

/** A fresh random secret: 32 hex characters, the look of an Immuta API key. */
export function randomSecret(): string {
  return randomBytes(16).toString("hex");
}

/** Users (by API key) and the bearer tokens exchanged for them. */
// DECISION: three header forms are accepted — `<apiKey>`, `<token>` and `Bearer <token>` — and nothing else;
// `Bearer <apiKey>` is a 401, so a client that mixes the forms up fails here before it fails on a tenant.
// DECISION: tokens live in memory only (a restart or DELETE /__emulator/tokens expires them; a reset does not).
// DECISION: users get numeric ids in order of configuration, from 1 (the demo user), stable across restarts.
export class Authenticator {
  private readonly usersByKey = new Map<string, TenantUser>();
  private readonly usersByName = new Map<string, TenantUser>();
  // Insertion order is expiry order (one TTL for all), so expired sessions are always at the front.
  private readonly sessions = new Map<string, Session>();

  constructor(
    users: readonly EmulatorUser[],
    private readonly tokenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    users.forEach((user, index) => {
      if (this.usersByKey.has(user.apiKey))
        throw new Error(`Two emulator users share one API key (${user.name})`);
      if (this.usersByName.has(user.name)) throw new Error(`Two emulator users are named ${user.name}`);
      const tenantUser: TenantUser = { ...user, permissions: [...user.permissions], id: index + 1 };
      this.usersByKey.set(user.apiKey, tenantUser);
      this.usersByName.set(user.name, tenantUser);
    });
  }

  /** The user owning an API key, for `POST /bim/apikey/authenticate`. */
  userForApiKey(apiKey: string): TenantUser | undefined {
    return this.usersByKey.get(apiKey);
  }

  /** A configured user by name (the control API names users). */
  userNamed(name: string): TenantUser | undefined {
    return this.usersByName.get(name);
  }

  issueToken(user: TenantUser): string {
    this.dropExpiredSessions();
    const token = randomBytes(24).toString("hex");
    this.sessions.set(token, { user, expiresAt: this.now() + this.tokenTtlMs });
    return token;
  }

  /** Expires every token now (control API), so clients can be made to re-authenticate. */
  expireAllTokens(): void {
    this.sessions.clear();
  }

  /**
   * Resolves an Authorization header value to a user, or throws a 401 that never echoes the value. With
   * `acceptApiKey` false (mode `rawApiKey: refused`) only exchanged tokens authenticate.
   */
  authenticate(authorization: string | undefined, acceptApiKey = true): TenantUser {
    if (authorization === undefined || authorization.trim() === "") {
      throw unauthorized("Missing authentication");
    }
    const value = authorization.trim();
    const bearer = /^bearer\s+(.+)$/i.exec(value);
    if (bearer) return this.userForToken(bearer[1].trim());
    const user = this.usersByKey.get(value);
    // DECISION: a refused raw key gets the same 401 as an unknown credential: a tenant gives no hint either.
    if (user) {
      if (acceptApiKey) return user;
      throw unauthorized("Invalid credentials");
    }
    return this.userForToken(value);
  }

  private userForToken(token: string): TenantUser {
    const session = this.sessions.get(token);
    if (!session) throw unauthorized("Invalid credentials");
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(token);
      throw unauthorized("Token expired");
    }
    return session.user;
  }

  private dropExpiredSessions(): void {
    const now = this.now();
    for (const [token, session] of this.sessions) {
      if (session.expiresAt > now) break;
      this.sessions.delete(token);
    }
  }
}

export function hasPermission(user: EmulatorUser, permission: Permission): boolean {
  return user.permissions.includes(permission);
}

/** 403 unless the user holds `permission`; the message names it so the fix is obvious. */
export function requirePermission(user: EmulatorUser, permission: Permission, action: string): void {
  if (!hasPermission(user, permission)) {
    throw forbidden(`User ${user.name} needs the ${permission} permission to ${action}`);
  }
}

/** DELETE/PUT and tagging rule: the global GOVERNANCE permission, or owning the data source. */
export function requireGovernanceOrOwnership(user: EmulatorUser, owner: string, action: string): void {
  if (!hasPermission(user, "GOVERNANCE") && user.name !== owner) {
    throw forbidden(
      `User ${user.name} needs the GOVERNANCE permission or must be the data source owner to ${action}`,
    );
  }
}

/** Constant-time comparison for the admin token. */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
