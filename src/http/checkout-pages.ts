// The pages Stripe Checkout sends the payer back to. They promise nothing about the money: the
// credit comes from the verified webhook, and the chat says so when it lands.
import type { Express } from 'express';

export const CHECKOUT_SUCCESS_PATH = '/billing/checkout/success';
export const CHECKOUT_CANCEL_PATH = '/billing/checkout/cancel';

export function registerCheckoutPages(app: Express): void {
  app.get(CHECKOUT_SUCCESS_PATH, (_request, response) => {
    response
      .type('html')
      .send(
        page(
          'Payment received',
          'Thank you. Your credits appear in chat shortly, with a message in the channel where ' +
            'the top-up was asked for. You can close this page.',
        ),
      );
  });
  app.get(CHECKOUT_CANCEL_PATH, (_request, response) => {
    response
      .type('html')
      .send(
        page(
          'Payment cancelled',
          'Nothing was charged. To add credits later, type /billing add with the amount in chat.',
        ),
      );
  });
}

// Fixed text only: nothing from the request is echoed into the page.
function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · billing-bot</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f7f9; color: #1d1f23; margin: 0; }
  main { max-width: 28rem; margin: 15vh auto; background: #fff; padding: 2rem 2.5rem;
         border-radius: 12px; box-shadow: 0 1px 4px rgb(0 0 0 / 0.08); }
  h1 { font-size: 1.4rem; margin: 0 0 0.75rem; }
  p { line-height: 1.5; margin: 0; }
</style>
</head>
<body><main><h1>${title}</h1><p>${message}</p></main></body>
</html>
`;
}
