import { Type } from 'typebox';
import { PasswordGrantBody, RefreshBody, RegisterBody, TokenPair } from '@shop/contracts/api/identity';

export const RegisterRequest = Type.Object(RegisterBody.properties, { additionalProperties: false });
export const TokenRequest = Type.Object(PasswordGrantBody.properties, { additionalProperties: false });
export const RefreshRequest = Type.Object(RefreshBody.properties, { additionalProperties: false });

export const Tokens = Type.Object(TokenPair.properties, {
  $id: 'Tokens',
  description: 'send accessToken as `Authorization: Bearer`; before expiresIn seconds run out, trade refreshToken for new ones',
});
