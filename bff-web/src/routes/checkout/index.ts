import { PlaceOrderBody } from '@shop/contracts/api/orders';
import { CheckoutBody } from '@shop/contracts/api/checkout';
import { ApiError, FormError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { cartEmpty, cartTooLarge, checkoutRefused, invalidForm, ordersUnavailable, paymentsUnavailable } from '../../errors.ts';
import { DownstreamError, isRefusal } from '@shop/platform/clients/downstream';
import { formValidatorCompiler } from '../../lib/form-errors.ts';
import { checkoutKey } from '../../lib/idempotency.ts';
import { CheckoutAccepted, CheckoutHeaders } from '../../schemas/orders.ts';
import { requireUser, sessionUser } from '../../plugins/sessions.ts';
import { cartFailure } from '../cart/index.ts';

/** What the checkout form shows under each field, missing or invalid. */
const FIELD_MESSAGES = {
  shippingAddress: 'Enter a shipping address',
  'shippingAddress/name': "Enter the recipient's name (up to 100 characters)",
  'shippingAddress/line1': 'Enter the street and house number (up to 200 characters)',
  'shippingAddress/city': 'Enter the city (up to 100 characters)',
  'shippingAddress/postalCode': 'Enter a postal code of 2 to 12 characters',
  'shippingAddress/country': 'Enter a two-letter country code such as DE',
  payment: 'Enter your card details',
  'payment/cardNumber': 'Enter a card number of 12 to 19 digits',
  'payment/expiry': 'Enter the expiry date as MM/YY',
  'payment/cvc': 'Enter the 3 or 4 digit security code',
  'idempotency-key': 'The Idempotency-Key header must be 8 to 100 visible ASCII characters',
};

const MAX_LINES = (PlaceOrderBody.properties.lines as { maxItems?: number }).maxItems ?? 50;

/** What payments refuses about a card, by its code, as the form shows it under the field. */
const CARD_REFUSALS: Record<string, [field: string, message: string]> = {
  PAYMENTS_INVALID_CARD_NUMBER: ['payment/cardNumber', 'This card number is not valid; please check it'],
  PAYMENTS_CARD_EXPIRED: ['payment/expiry', 'This card has expired'],
};

/** A refusal with a code we do not know goes under the field its message names (payments starts it with the field). */
function cardFieldError(err: DownstreamError): Record<string, string> {
  const known = err.code ? CARD_REFUSALS[err.code] : undefined;
  if (known) return { [known[0]]: known[1] };
  const said = err.message.toLowerCase();
  const field = said.includes('expir') ? 'payment/expiry' : said.includes('cvc') ? 'payment/cvc' : 'payment/cardNumber';
  return { [field]: err.message };
}

/**
 * Places the signed-in user's cart as an order. The order id comes back at once (202); the saga
 * (reserve → charge → confirm) then runs in the services and its progress reaches the page as
 * `order:status`. The cart is not cleared here: the cart service empties it when the order is confirmed.
 */
export default async function checkoutRoutes(app: App) {
  app.addHook('preValidation', requireUser);

  app.post(
    '/checkout',
    {
      schema: {
        headers: CheckoutHeaders,
        body: CheckoutBody,
        response: { 202: CheckoutAccepted, 400: FormError, 401: ApiError, 403: ApiError, 409: ApiError, 502: ApiError, 503: ApiError },
      },
      validatorCompiler: formValidatorCompiler(FIELD_MESSAGES),
    },
    async (req, reply) => {
      const user = sessionUser(req);
      const cart = await app.clients.cart.getCart(req.session!.data.cartId).catch(cartFailure);
      if (cart.lines.length === 0) throw cartEmpty();
      if (cart.lines.length > MAX_LINES) throw cartTooLarge(MAX_LINES);

      const card = await app.clients.payments.createPaymentMethod(req.body.payment).catch((err: unknown) => {
        if (isRefusal(err)) throw invalidForm(cardFieldError(err));
        throw paymentsUnavailable();
      });
      const order = await app.clients.orders
        .placeOrder({
          customerId: user.id,
          lines: cart.lines.map(({ sku, name, quantity, unitPrice }) => ({ sku, name, quantity, unitPrice })),
          shippingAddress: req.body.shippingAddress,
          paymentMethodId: card.paymentMethodId,
          idempotencyKey: checkoutKey(user.id, req.headers['idempotency-key'], cart, req.body),
        })
        .catch((err: unknown) => {
          if (isRefusal(err)) throw checkoutRefused(err.status, err.message);
          throw ordersUnavailable();
        });
      return reply.code(202).send({ orderId: order.id, status: order.status });
    },
  );
}
