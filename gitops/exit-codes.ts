/** Exit codes of `pulumi-immuta-gitops`; CI jobs branch on them. */
export const ExitCode = {
  /** Success; for `drift`: nothing drifted. */
  ok: 0,
  /** `drift` only: at least one source differs from Immuta. */
  drift: 1,
  /** An error: bad arguments, an invalid catalogue, a failed preview, refresh or update. */
  error: 2,
  /** The guard tripped: more sources would be deleted or replaced than allowed; nothing was changed. */
  guard: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
