// Deliveries already handled. Chat platforms retry and replay; a unique key in the database, not
// memory, makes the second delivery a no-op on every replica.
import { isUniqueViolation } from '../billing/db-errors.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Claims a delivery key (`slack:event:Ev0123`, `slack:view:V0123:<hash>`).
 * @returns true the first time the key is claimed, false for every repeat.
 */
export async function claimDelivery(prisma: PrismaClient, key: string): Promise<boolean> {
  try {
    await prisma.processedDelivery.create({ data: { key: key.slice(0, 255) } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
