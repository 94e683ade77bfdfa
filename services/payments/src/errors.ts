import { HttpError } from '@shop/platform/errors';

export const invalidCardNumber = (problem: string) =>
  new HttpError(400, 'PAYMENTS_INVALID_CARD_NUMBER', `cardNumber ${problem}`);

export const cardExpired = (expiry: string) =>
  new HttpError(400, 'PAYMENTS_CARD_EXPIRED', `expiry ${expiry} is in the past`);
