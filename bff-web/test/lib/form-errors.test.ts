import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { fieldErrors } from '../../src/lib/form-errors.ts';

const Form = Type.Object(
  {
    address: Type.Object({ city: Type.String({ minLength: 1 }), zip: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
    note: Type.Optional(Type.String({ maxLength: 3 })),
  },
  { additionalProperties: false },
);

describe('fieldErrors', () => {
  it('lists every invalid, missing and unknown field by its path', () => {
    expect(fieldErrors(Form, { address: { zip: 'abc', x: 1 }, note: 'long', y: 2 }, { 'address/zip': 'Five digits' })).toEqual({
      'address/city': 'is required',
      'address/zip': 'Five digits',
      'address/x': 'is not a field of this form',
      note: expect.stringMatching(/3/),
      y: 'is not a field of this form',
    });
  });

  it('names a nested object of the wrong type, and a body that is no object', () => {
    expect(fieldErrors(Form, { address: 'Berlin' })).toEqual({ address: 'must be an object' });
    expect(fieldErrors(Form, null)).toEqual({ body: 'The form must be sent as a JSON object' });
  });

  it('finds nothing wrong with a valid form', () => {
    expect(fieldErrors(Form, { address: { city: 'Berlin', zip: '10115' } })).toEqual({});
  });
});
