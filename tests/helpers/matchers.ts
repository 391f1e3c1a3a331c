/**
 * Jest's asymmetric matchers, typed `unknown` instead of `any`, so that type-aware lint can check the objects tests
 * compare against.
 */
export const anyInstanceOf = (type: unknown): unknown => expect.any(type);
export const textMatching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);
export const textContaining = (text: string): unknown => expect.stringContaining(text);
