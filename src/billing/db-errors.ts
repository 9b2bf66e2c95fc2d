// Recognising database outcomes that are part of the billing rules, not failures.

/** True when a write hit a unique constraint (Prisma's P2002, or PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (code === 'P2002' || code === '23505') return true;
  return cause !== undefined && cause !== error && isUniqueViolation(cause);
}
