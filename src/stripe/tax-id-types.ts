// Which Stripe tax id type carries a billing profile's tax id, so that Stripe prints it on the
// invoice. Only forms our validation stores exactly as Stripe expects them are sent as typed
// tax ids; any other tax id is printed through a custom invoice field instead.
import type { BillingProfileFields } from '../billing/profile.ts';

const EU_COUNTRIES = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);

/** A tax id as Stripe's customer tax id API takes it. */
export interface StripeTaxId {
  type: 'eu_vat' | 'gb_vat' | 'au_abn' | 'in_gst' | 'ca_bn' | 'ca_gst_hst' | 'us_ein';
  value: string;
}

/** The Stripe tax id of a profile, or null when Stripe has no type for its country's form. */
export function stripeTaxIdOf(profile: BillingProfileFields): StripeTaxId | null {
  const { country, taxId: value } = profile;
  if (EU_COUNTRIES.has(country)) return { type: 'eu_vat', value };
  // Northern Ireland trades with the EU under XI: Stripe files such numbers as EU VAT.
  if (country === 'GB') return { type: value.startsWith('XI') ? 'eu_vat' : 'gb_vat', value };
  if (country === 'AU') return { type: 'au_abn', value };
  if (country === 'IN') return { type: 'in_gst', value };
  if (country === 'CA') return { type: value.length === 9 ? 'ca_bn' : 'ca_gst_hst', value };
  if (country === 'US') return { type: 'us_ein', value };
  return null;
}
