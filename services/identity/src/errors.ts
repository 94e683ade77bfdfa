import { HttpError } from '@shop/platform/errors';

export const emailTaken = () =>
  new HttpError(409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');

// One answer for an unknown email and a wrong password, so the API does not reveal who has an account.
export const invalidCredentials = () =>
  new HttpError(401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');

export const invalidRefreshToken = () =>
  new HttpError(401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked; sign in again');

export const userNotFound = (id: string) =>
  new HttpError(404, 'IDENTITY_USER_NOT_FOUND', `No user with id ${id}`);
