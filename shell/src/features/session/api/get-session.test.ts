// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { inlinedSession, SESSION_BLOCK_ID } from './get-session.ts';

/** A page as the shell's server writes it, with `text` as the session block (none when undefined). */
function page(text?: string): Document {
  const doc = document.implementation.createHTMLDocument('Storefront');
  if (text !== undefined) {
    const block = doc.createElement('script');
    block.type = 'application/json';
    block.id = SESSION_BLOCK_ID;
    block.textContent = text;
    doc.head.append(block);
  }
  return doc;
}

describe('inlinedSession', () => {
  it("reads the session the shell's server inlined, a guest's or a signed-in one", () => {
    const guest = { user: null, cartId: 'guest-abc', csrfToken: 't1' };
    const signedIn = { user: { id: 'u-1', email: 'ada@example.com', name: 'Ada </script>' }, cartId: 'user-u-1', csrfToken: 't2' };
    expect(inlinedSession(page(JSON.stringify(guest)))).toEqual(guest);
    // As the server escapes it (`<` as \u003c): JSON.parse gives the name back.
    expect(inlinedSession(page(JSON.stringify(signedIn).replace(/</g, '\\u003c')))).toEqual(signedIn);
  });

  it('gives undefined without a block, or for one that is broken or not a session: the page asks instead', () => {
    expect(inlinedSession(page())).toBeUndefined();
    expect(inlinedSession(page(''))).toBeUndefined();
    expect(inlinedSession(page('{"user":null,'))).toBeUndefined();
    expect(inlinedSession(page('null'))).toBeUndefined();
    expect(inlinedSession(page('{"user":null,"cartId":"guest-abc"}'))).toBeUndefined();
    expect(inlinedSession(page('{"cartId":"guest-abc","csrfToken":"t"}'))).toBeUndefined();
    expect(inlinedSession(undefined)).toBeUndefined();
  });
});
