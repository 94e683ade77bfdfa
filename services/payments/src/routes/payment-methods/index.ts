import { randomUUID } from 'node:crypto';
import { CardDetails, PaymentMethod } from '@shop/contracts/api/payments';
import { ApiError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { checkCard } from '../../card.ts';
import { insertPaymentMethod } from '../../repository.ts';

export default async function paymentMethodRoutes(app: App) {
  // Tokenises a card: the caller gets an id to charge later, and the number is kept nowhere.
  app.post(
    '/payment-methods',
    { schema: { body: CardDetails, response: { 201: PaymentMethod, 400: ApiError } } },
    async (req, reply) => {
      const card = checkCard(req.body);
      const method = await insertPaymentMethod(app.db, randomUUID(), card);
      return reply.code(201).send({ paymentMethodId: method.id, brand: method.brand, last4: method.last4 });
    },
  );
}
