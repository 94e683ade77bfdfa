import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';

describe('input every server refuses before a route sees it', () => {
  // Found by orders' fuzzing: a city of "\u0000" reached PostgreSQL, which cannot store U+0000 in text,
  // and the checkout answered 500.
  it('refuses U+0000 in a body, query string or path with a 400 naming where it is', async () => {
    const app = createServer({ name: 'server-test', logLevel: 'silent' });
    const seen: unknown[] = [];
    app.post('/orders/:id', { schema: { body: Type.Object({ address: Type.Object({ city: Type.String() }) }) } }, async (req) => {
      seen.push(req.body);
      return { ok: true };
    });
    try {
      const body = await app.inject({ method: 'POST', url: '/orders/1', payload: { address: { city: 'Ber\u0000lin' } } });
      expect(body.statusCode).toBe(400);
      expect(body.json()).toMatchObject({ code: 'NUL_CHARACTER', message: expect.stringContaining('body') });
      expect(body.json().message).toContain('address.city');

      const query = await app.inject({ method: 'POST', url: '/orders/1?q=%00', payload: { address: { city: 'Berlin' } } });
      expect(query.statusCode).toBe(400);
      expect(query.json().message).toContain('query string');

      const path = await app.inject({ method: 'POST', url: '/orders/1%00', payload: { address: { city: 'Berlin' } } });
      expect(path.statusCode).toBe(400);
      expect(path.json().message).toContain('path');
      expect(seen).toEqual([]);

      const fine = await app.inject({ method: 'POST', url: '/orders/1', payload: { address: { city: 'Berlin' } } });
      expect(fine.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
