// The endpoints of the Stripe stand-in, one function per route. Each takes the parsed request and
// the stand-in's state and returns Stripe's answer, with Stripe's validation where our code
// depends on it: Checkout's expiry window and smallest amounts, refused tax ids, unknown ids.
// Objects come from the builders in stripe-events.ts; `expand[]` is ignored, so links stay ids.
import type Stripe from 'stripe';
import { checkoutSession, customer, stripeErrorBody, taxId } from './stripe-events.ts';

export interface StripeState {
  customers: Map<string, Stripe.Customer>;
  sessions: Map<string, Stripe.Checkout.Session>;
  /** Each customer's tax ids, oldest first. */
  taxIds: Map<string, Stripe.TaxId[]>;
  invoices: Map<string, Stripe.Invoice>;
  newId(prefix: string): string;
  /** Unix seconds. */
  now(): number;
}

export interface StripeRouteRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

export interface StripeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An answer in Stripe's error shape. */
export const stripeError = (status: number, type: string, message: string, code?: string) => ({
  status,
  body: stripeErrorBody(type, message, { code }),
});

const invalid = (message: string, param?: string, code?: string, status = 400) => ({
  status,
  body: stripeErrorBody('invalid_request_error', message, { code, param }),
});
const missing = (kind: string, id: string, param: string) =>
  invalid(`No such ${kind}: '${id}'`, param, 'resource_missing', 404);
const ok = (body: unknown): StripeAnswer => ({ status: 200, body });
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
// Metadata keys of digits only reach here as an array (see parseStripeForm); entries restore them.
const metadataOf = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};

type Params = Record<string, string>;
type Route = (state: StripeState, request: StripeRouteRequest, params: Params) => StripeAnswer;

// Stripe's smallest charge per currency in its minor units (JPY has none; HUF is stated in
// hundredths). Other currencies get 50 here.
const MINIMUM_CHARGE: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, huf: 17_500 };
const MAXIMUM_CHARGE = 99_999_999;

// Checkout keeps a session open from 30 minutes to 24 hours after it is created.
const MIN_LIFETIME_S = 30 * 60;
const MAX_LIFETIME_S = 24 * 60 * 60;

// Posted params land on the object as sent; an empty string unsets a field, as at Stripe, and
// an empty metadata value deletes its key.
function applyParams(target: Record<string, unknown>, params: Record<string, unknown>) {
  for (const [key, value] of Object.entries(params)) {
    const current = target[key];
    if (key === 'metadata') {
      const kept = value === '' || !isRecord(current) ? {} : { ...current };
      for (const [name, set] of Object.entries(metadataOf(value))) {
        if (set === '') delete kept[name];
        else kept[name] = set;
      }
      target.metadata = kept;
    } else if (value === '') target[key] = null;
    else if (isRecord(value)) {
      const nested: Record<string, unknown> = isRecord(current) ? current : {};
      applyParams(nested, value);
      target[key] = nested;
    } else target[key] = value;
  }
}

const NO_ADDRESS: Stripe.Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

function createCustomer(state: StripeState, { body }: StripeRouteRequest) {
  const { tax_id_data: taxIdData, expand: _expand, ...details } = body;
  const taxIdParams = Array.isArray(taxIdData) ? taxIdData.filter(isRecord) : [];
  for (const [index, data] of taxIdParams.entries()) {
    const refusal = taxIdRefusal(data, `tax_id_data[${index}]`);
    if (refusal) return refusal;
  }

  const created = customer({ id: state.newId('cus_Test'), created: state.now() });
  if (isRecord(details.address)) created.address = { ...NO_ADDRESS };
  applyParams(created as unknown as Record<string, unknown>, details);
  const taxIds = taxIdParams.map((data) => newTaxId(state, created.id, data));
  state.customers.set(created.id, created);
  state.taxIds.set(created.id, taxIds);
  return ok(created);
}

function retrieveCustomer(state: StripeState, _: StripeRouteRequest, { id = '' }: Params) {
  const found = state.customers.get(id);
  return found ? ok(found) : missing('customer', id, 'id');
}

function updateCustomer(state: StripeState, { body }: StripeRouteRequest, { id = '' }: Params) {
  const found = state.customers.get(id);
  if (!found) return missing('customer', id, 'id');
  const { expand: _expand, ...details } = body;
  if (isRecord(details.address) && !found.address) found.address = { ...NO_ADDRESS };
  applyParams(found as unknown as Record<string, unknown>, details);
  return ok(found);
}

function listTaxIds(state: StripeState, request: StripeRouteRequest, { id = '' }: Params) {
  if (!state.customers.has(id)) return missing('customer', id, 'customer');
  const newestFirst = [...(state.taxIds.get(id) ?? [])].reverse();
  return page(newestFirst, request, 'tax_id');
}

function createTaxId(state: StripeState, { body }: StripeRouteRequest, { id = '' }: Params) {
  if (!state.customers.has(id)) return missing('customer', id, 'customer');
  const refusal = taxIdRefusal(body, '');
  if (refusal) return refusal;

  const created = newTaxId(state, id, body);
  state.taxIds.set(id, [...(state.taxIds.get(id) ?? []), created]);
  return ok(created);
}

function deleteTaxId(state: StripeState, _: StripeRouteRequest, { id = '', taxIdId = '' }: Params) {
  if (!state.customers.has(id)) return missing('customer', id, 'customer');
  const existing = state.taxIds.get(id) ?? [];
  const kept = existing.filter((candidate) => candidate.id !== taxIdId);
  if (kept.length === existing.length) return missing('tax_id', taxIdId, 'id');

  state.taxIds.set(id, kept);
  return ok({ id: taxIdId, object: 'tax_id', deleted: true });
}

// A value containing INVALID stands for a number that Stripe's checks refuse.
function taxIdRefusal(data: Record<string, unknown>, prefix: string): StripeAnswer | null {
  const param = (name: string) => (prefix ? `${prefix}[${name}]` : name);
  for (const name of ['type', 'value']) {
    const message = `Missing required param: ${name}.`;
    if (!text(data[name])) return invalid(message, param(name), 'parameter_missing');
  }
  if (String(data.value).includes('INVALID')) {
    return invalid(`Invalid value for ${String(data.type)}.`, param('value'), 'tax_id_invalid');
  }
  return null;
}

function newTaxId(state: StripeState, customerId: string, data: Record<string, unknown>) {
  const type = String(data.type);
  const value = String(data.value);
  // EU VAT numbers start with their country (Greece as EL, Northern Ireland as XI); other types
  // are named after theirs.
  const prefix = (type === 'eu_vat' ? value : type).slice(0, 2).toUpperCase();
  const country = ({ EL: 'GR', XI: 'GB' } as Record<string, string>)[prefix] ?? prefix;
  return taxId(customerId, { id: state.newId('txi_'), created: state.now(), type, value, country });
}

function createCheckoutSession(state: StripeState, { body }: StripeRouteRequest) {
  const mode = text(body.mode);
  if (!mode) return invalid('Missing required param: mode.', 'mode', 'parameter_missing');
  const priced = pricedLineItems(body.line_items);
  if ('status' in priced) return priced;
  const refusal = amountRefusal(priced.amount, priced.currency);
  if (refusal) return refusal;

  const now = state.now();
  const expiresAt = body.expires_at === undefined ? now + MAX_LIFETIME_S : Number(body.expires_at);
  const lifetime = expiresAt - now;
  if (!Number.isInteger(expiresAt) || lifetime < MIN_LIFETIME_S || lifetime > MAX_LIFETIME_S) {
    const limit = lifetime > MAX_LIFETIME_S ? 'be less than 24 hours' : 'be at least 30 minutes';
    const message = `The \`expires_at\` timestamp must ${limit} from Checkout Session creation.`;
    return invalid(message, 'expires_at');
  }

  const id = state.newId('cs_test_');
  const session = checkoutSession({
    id,
    created: now,
    mode,
    status: 'open',
    payment_status: 'unpaid',
    currency: priced.currency,
    amount_subtotal: priced.amount,
    amount_total: priced.amount,
    client_reference_id: text(body.client_reference_id),
    customer: text(body.customer),
    customer_email: text(body.customer_email),
    metadata: metadataOf(body.metadata),
    payment_intent: null,
    expires_at: expiresAt,
    url: `https://checkout.stripe.test/c/pay/${id}`,
    success_url: text(body.success_url),
    cancel_url: text(body.cancel_url),
    invoice_creation: mode === 'payment' ? invoiceCreation(body.invoice_creation) : null,
  });
  state.sessions.set(id, session);
  return ok(session);
}

function invoiceCreation(sent: unknown): Stripe.Checkout.Session['invoice_creation'] {
  const data = isRecord(sent) && isRecord(sent.invoice_data) ? sent.invoice_data : {};
  return {
    enabled: isRecord(sent) && sent.enabled === 'true',
    invoice_data: {
      account_tax_ids: null,
      custom_fields: null,
      description: text(data.description),
      footer: text(data.footer),
      issuer: null,
      metadata: metadataOf(data.metadata),
      rendering_options: null,
    },
  };
}

// Only inline prices (`price_data`) are known: the stand-in keeps no catalogue of Prices.
function pricedLineItems(lineItems: unknown) {
  if (!Array.isArray(lineItems)) return { amount: null, currency: null };
  let amount = 0;
  let currency: string | null = null;

  for (const [index, item] of lineItems.entries()) {
    const param = `line_items[${index}]`;
    const priceData = isRecord(item) ? item.price_data : undefined;
    if (!isRecord(item) || !isRecord(priceData)) {
      return invalid('No such price: the stand-in knows price_data only.', `${param}[price]`);
    }
    const unitAmount = Number(priceData.unit_amount);
    const quantity = Number(item.quantity ?? 1);
    if (!Number.isInteger(unitAmount) || unitAmount < 0 || !Number.isInteger(quantity)) {
      return invalid('Invalid integer.', `${param}[price_data][unit_amount]`);
    }
    currency = String(priceData.currency ?? '').toLowerCase();
    amount += unitAmount * quantity;
  }
  return { amount, currency };
}

// Stripe checks the session's total, not each line.
function amountRefusal(amount: number | null, currency: string | null): StripeAnswer | null {
  if (amount === null || currency === null) return null;
  const minimum = MINIMUM_CHARGE[currency] ?? 50;
  if (amount >= minimum && amount <= MAXIMUM_CHARGE) return null;

  const [code, limit] =
    amount < minimum
      ? ['amount_too_small', `at least ${minimum}`]
      : ['amount_too_large', `at most ${MAXIMUM_CHARGE}`];
  const message = `The Checkout Session's total amount due must be ${limit} ${currency} (minor units).`;
  return invalid(message, undefined, code);
}

function retrieveCheckoutSession(state: StripeState, _: StripeRouteRequest, { id = '' }: Params) {
  const found = state.sessions.get(id);
  return found ? ok(found) : missing('checkout.session', id, 'session');
}

function listCheckoutSessions(state: StripeState, request: StripeRouteRequest) {
  const { query } = request;
  // `created` is either one timestamp or a range of `gt`, `gte`, `lt` and `lte` bounds.
  const range = isRecord(query.created)
    ? query.created
    : { gte: query.created, lte: query.created };
  const bound = (name: string, none: number) =>
    range[name] === undefined ? none : Number(range[name]);
  const inRange = (created: number) =>
    created >= bound('gte', -Infinity) &&
    created > bound('gt', -Infinity) &&
    created <= bound('lte', Infinity) &&
    created < bound('lt', Infinity);
  const matches = (field: string, actual: unknown) =>
    query[field] === undefined || query[field] === actual;

  const found = [...state.sessions.values()].filter(
    (session) =>
      inRange(session.created) &&
      matches('status', session.status) &&
      matches('customer', session.customer) &&
      matches('payment_intent', session.payment_intent),
  );
  // Newest first, as Stripe lists; sessions of the same second, the latest made first.
  const newestFirst = found
    .map((session, order) => ({ session, order }))
    .sort((a, b) => b.session.created - a.session.created || b.order - a.order)
    .map(({ session }) => session);
  return page(newestFirst, request, 'checkout.session');
}

function retrieveInvoice(state: StripeState, _: StripeRouteRequest, { id = '' }: Params) {
  const found = state.invoices.get(id);
  return found ? ok(found) : missing('invoice', id, 'invoice');
}

// One page of Stripe's cursor pagination: up to `limit` (1 to 100, default 10) items after the
// `starting_after` id, with `has_more` while the cursor can move on.
function page(items: Array<{ id: string }>, { query, path }: StripeRouteRequest, kind: string) {
  const limit = query.limit === undefined ? 10 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalid('This value must be between 1 and 100.', 'limit');
  }
  let start = 0;
  if (typeof query.starting_after === 'string') {
    start = items.findIndex((item) => item.id === query.starting_after) + 1;
    if (start === 0) return missing(kind, query.starting_after, 'starting_after');
  }

  const data = items.slice(start, start + limit);
  return ok({ object: 'list', data, has_more: start + limit < items.length, url: path });
}

const ROUTES: Array<[method: string, pattern: string, route: Route]> = [
  ['POST', '/v1/customers', createCustomer],
  ['GET', '/v1/customers/:id', retrieveCustomer],
  ['POST', '/v1/customers/:id', updateCustomer],
  ['GET', '/v1/customers/:id/tax_ids', listTaxIds],
  ['POST', '/v1/customers/:id/tax_ids', createTaxId],
  ['DELETE', '/v1/customers/:id/tax_ids/:taxIdId', deleteTaxId],
  ['POST', '/v1/checkout/sessions', createCheckoutSession],
  ['GET', '/v1/checkout/sessions', listCheckoutSessions],
  ['GET', '/v1/checkout/sessions/:id', retrieveCheckoutSession],
  ['GET', '/v1/invoices/:id', retrieveInvoice],
];

function matchPath(pattern: string, path: string): Params | null {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return null;
  const params: Params = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index] ?? '';
    if (part.startsWith(':') && value !== '') params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

/** Stripe's answer to a request, or its 404 for a URL it does not know. */
export function answerStripeRequest(state: StripeState, request: StripeRouteRequest) {
  for (const [method, pattern, route] of ROUTES) {
    const params = method === request.method ? matchPath(pattern, request.path) : null;
    if (params) return route(state, request, params);
  }
  const url = `${request.method}: ${request.path}`;
  return invalid(`Unrecognized request URL (${url}).`, undefined, undefined, 404);
}
