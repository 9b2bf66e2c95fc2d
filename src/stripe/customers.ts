// The Stripe customer of a billing account: created from the billing profile on the first
// top-up, and kept in step with it afterwards, so invoices carry the legal name, address and
// tax id that admins maintain in chat.
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Account } from '../billing/accounts.ts';
import type { BillingProfileFields } from '../billing/profile.ts';
import type { PaymentProfileProblems } from '../commands/types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { isTaxIdRejection } from './stripe-errors.ts';
import { stripeTaxIdOf } from './tax-id-types.ts';

/** What the customer of an account looks like to the caller: its id and what Stripe refused. */
export interface AccountCustomer {
  customerId: string;
  problems: PaymentProfileProblems;
}

/**
 * The account's Stripe customer with the profile's details, created on first need. Two
 * replicas creating it at once send the same idempotency key, so Stripe makes one customer and
 * both store its id.
 */
export async function ensureCustomer(
  stripe: Stripe,
  prisma: PrismaClient,
  account: Account,
  profile: BillingProfileFields | null,
): Promise<AccountCustomer> {
  // An existing customer gets the details again: a push after an edit may have failed.
  if (account.stripeCustomerId) {
    const problems = profile ? await pushProfile(stripe, account.stripeCustomerId, profile) : {};
    return { customerId: account.stripeCustomerId, problems };
  }

  const params: Stripe.CustomerCreateParams = {
    ...(profile ? customerDetails(profile) : { name: `Billing account ${account.id}` }),
    metadata: { account_id: account.id },
  };
  // Requests racing with the same details share one customer. Stripe refuses a key reused with
  // other parameters, so the details are part of the key.
  const digest = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
  const customer = await stripe.customers.create(params, {
    idempotencyKey: `customer:${account.id}:${digest}`,
  });
  await prisma.account.updateMany({
    where: { id: account.id, stripeCustomerId: null },
    data: { stripeCustomerId: customer.id },
  });
  const stored = await prisma.account.findUniqueOrThrow({ where: { id: account.id } });
  const customerId = stored.stripeCustomerId ?? customer.id;

  const problems = profile ? await syncTaxId(stripe, customerId, profile) : {};
  return { customerId, problems };
}

/**
 * Pushes a profile to an existing customer. The tax id goes first: when Stripe refuses it,
 * nothing else changes, and the problem is returned on the tax id field.
 */
export async function pushProfile(
  stripe: Stripe,
  customerId: string,
  profile: BillingProfileFields,
): Promise<PaymentProfileProblems> {
  const problems = await syncTaxId(stripe, customerId, profile);
  if (problems.taxId) return problems;
  await stripe.customers.update(customerId, customerDetails(profile));
  return {};
}

function customerDetails(profile: BillingProfileFields) {
  const typed = stripeTaxIdOf(profile);
  return {
    name: profile.legalName,
    address: {
      line1: profile.addressLine1,
      line2: profile.addressLine2 ?? '',
      city: profile.city,
      state: profile.region ?? '',
      postal_code: profile.postalCode ?? '',
      country: profile.country,
    },
    // A tax id Stripe has no type for is printed on every invoice as a custom field.
    invoice_settings: {
      custom_fields: typed ? '' : [{ name: 'Tax ID', value: profile.taxId }],
    },
  } satisfies Stripe.CustomerUpdateParams;
}

// Adds the profile's tax id before removing the others, so a refusal leaves Stripe as it was.
async function syncTaxId(
  stripe: Stripe,
  customerId: string,
  profile: BillingProfileFields,
): Promise<PaymentProfileProblems> {
  const wanted = stripeTaxIdOf(profile);
  const existing = await stripe.customers.listTaxIds(customerId, { limit: 100 });
  const isWanted = (taxId: Stripe.TaxId) =>
    wanted !== null && taxId.type === wanted.type && taxId.value === wanted.value;

  if (wanted && !existing.data.some(isWanted)) {
    try {
      await stripe.customers.createTaxId(customerId, wanted);
    } catch (error) {
      if (!isTaxIdRejection(error)) throw error;
      return {
        taxId:
          `Stripe did not accept this tax ID for invoices (${error.message.slice(0, 200)}). ` +
          'Check it and save again.',
      };
    }
  }
  for (const taxId of existing.data.filter((candidate) => !isWanted(candidate))) {
    await stripe.customers.deleteTaxId(customerId, taxId.id);
  }
  return {};
}
