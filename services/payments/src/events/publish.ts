import { PaymentEventTypes, type PaymentAuthorizedData, type PaymentDeclinedData, type PaymentVoidedData } from '@shop/contracts/events/payments';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

// Answers to the checkout saga; the subject is the order id. They carry no card data, only the payment's id.

export const paymentAuthorized = (client: DbClient, topic: string, data: PaymentAuthorizedData) =>
  enqueue(client, topic, createEvent(SERVICE_NAME, { type: PaymentEventTypes.authorized, subject: data.orderId, data }));

export const paymentDeclined = (client: DbClient, topic: string, data: PaymentDeclinedData) =>
  enqueue(client, topic, createEvent(SERVICE_NAME, { type: PaymentEventTypes.declined, subject: data.orderId, data }));

/** The compensation for an authorization that landed for a cancelled order. */
export const paymentVoided = (client: DbClient, topic: string, data: PaymentVoidedData) =>
  enqueue(client, topic, createEvent(SERVICE_NAME, { type: PaymentEventTypes.voided, subject: data.orderId, data }));
