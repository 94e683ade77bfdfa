import { describe, expect, it } from 'vitest';
import { CART_UPDATED, SESSION_CHANGED, cartUpdatedEvent, sessionChangedEvent } from './events.ts';

describe('DOM events mfe-cart emits', () => {
  it('announces cart changes as a typed cart:updated event', () => {
    const event = cartUpdatedEvent({ itemCount: 3 });
    expect(event.type).toBe(CART_UPDATED);
    expect(event.type).toBe('cart:updated');
    expect(event.detail).toEqual({ itemCount: 3 });
  });

  it('announces a new session (sign-in, registration, sign-out) as session:changed', () => {
    const user = { id: 'u-1', email: 'ada@example.com', name: 'Ada' };
    expect(sessionChangedEvent({ user })).toMatchObject({ type: SESSION_CHANGED, detail: { user } });
    expect(SESSION_CHANGED).toBe('session:changed');
    expect(sessionChangedEvent({ user: null }).detail.user).toBeNull();
  });
});
