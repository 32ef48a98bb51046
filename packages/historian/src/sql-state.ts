/** The SQLSTATE of an error from `pg` (e.g. `'23505'`, unique violation), if it carries one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
