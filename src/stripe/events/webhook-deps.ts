// What each Stripe event handler needs.
import type Stripe from 'stripe';
import type { Notifier } from '../../commands/types.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../logger.ts';

export interface WebhookDeps {
  stripe: Stripe;
  prisma: PrismaClient;
  logger: Logger;
  notifier: Notifier;
}

/** Handles one verified event. Throws when it could not be applied: Stripe then retries. */
export type EventHandler = (event: Stripe.Event, deps: WebhookDeps) => Promise<void>;

/** The id of an object Stripe may send expanded or as an id. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
