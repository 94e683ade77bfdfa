import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerToClientEvents } from '@shop/contracts/live';
import { startShop, type Browser, type Shop } from '../shop.ts';
import { cartUpdated, listenOnRandomPort, MemoryEvents, orderStatusChanged, stockChanged } from '@shop/platform/testing/live-events';
import { next, openSocket, watch, type TestSocket } from '../live-fakes.ts';

// Private rooms over the socket: joined by the server from the cookie session, never on a client's word.
let shop: Shop;
let events: MemoryEvents;
let url: string;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  events = new MemoryEvents();
  shop = await startShop({ liveEvents: events });
  url = await listenOnRandomPort(shop.app);
  await expect.poll(() => events.starts, { timeout: 5_000 }).toBeGreaterThan(0);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await shop.close();
});

async function socketOf(browser: Browser | undefined) {
  const socket = await openSocket(url, browser?.sid);
  sockets.push(socket);
  return socket;
}

async function member(email: string) {
  const browser = shop.browser();
  await browser.register(email);
  const user = shop.identity.userByEmail(email)!;
  return { browser, user, cartId: `user-${user.id}`, socket: await socketOf(browser) };
}

/** Everything a socket receives, to show what did not arrive once a later message has. */
function received(socket: TestSocket) {
  const seen: { event: keyof ServerToClientEvents; data: unknown }[] = [];
  socket.onAny((event, data) => seen.push({ event, data }));
  return seen;
}

describe('private rooms', () => {
  it("pushes a user's order status and cart changes to that user's sockets only", async () => {
    const ada = await member('ada@example.com');
    const bob = await member('bob@example.com');
    const bobSeen = received(bob.socket);

    const adaStatus = next(ada.socket, 'order:status');
    const bobStatus = next(bob.socket, 'order:status');
    const adaOrder = randomUUID();
    await events.publish(orderStatusChanged(adaOrder, ada.user.id, 'cancelled', 3, 'Payment declined'));
    const bobOrder = randomUUID();
    await events.publish(orderStatusChanged(bobOrder, bob.user.id, 'reserved', 2));
    expect(await adaStatus).toEqual({ orderId: adaOrder, status: 'cancelled', reason: 'Payment declined', version: 3 });
    expect(await bobStatus).toEqual({ orderId: bobOrder, status: 'reserved', version: 2 });

    const adaCart = next(ada.socket, 'cart:changed');
    const bobCart = next(bob.socket, 'cart:changed');
    await events.publish(cartUpdated(ada.cartId, 4, 7));
    await events.publish(cartUpdated(bob.cartId, 1, 2));
    expect(await adaCart).toEqual({ cartId: ada.cartId, itemCount: 4, version: 7 });
    expect(await bobCart).toEqual({ cartId: bob.cartId, itemCount: 1, version: 2 });

    expect(bobSeen.map((m) => m.data)).toEqual([
      { orderId: bobOrder, status: 'reserved', version: 2 },
      { cartId: bob.cartId, itemCount: 1, version: 2 },
    ]);
  });

  it("puts a guest's sockets in the guest cart's room, and a socket without a session in none", async () => {
    const guest = shop.browser();
    const { cartId } = (await guest.session()).json();
    const guestSocket = await socketOf(guest);
    const anonymous = await socketOf(undefined);
    const forged = await openSocket(url, 'A'.repeat(43)); // a session id nobody was given
    sockets.push(forged);
    const anonymousSeen = received(anonymous);
    const forgedSeen = received(forged);
    await watch(anonymous, ['KIT-0001']);
    await watch(forged, ['KIT-0001']);

    const changed = next(guestSocket, 'cart:changed');
    await events.publish(cartUpdated(cartId, 2, 1));
    expect(await changed).toEqual({ cartId, itemCount: 2, version: 1 });

    // A later product update reaches the others: by then the cart change would have, had they been in its room.
    const last = Promise.all([next(anonymous, 'stock:changed'), next(forged, 'stock:changed')]);
    await events.publish(stockChanged('KIT-0001', 3, 9));
    await last;
    expect(anonymousSeen.map((m) => m.event)).toEqual(['stock:changed']);
    expect(forgedSeen.map((m) => m.event)).toEqual(['stock:changed']);
  });

  it('keeps no handshake request once a socket is open (memory per socket), yet joins its rooms from the cookie', async () => {
    const ada = await member('ada@example.com');
    const [serverSide] = await shop.app.io.fetchSockets();
    const local = shop.app.io.of('/').sockets.get(serverSide!.id)!;
    expect(local.conn.request).toBeNull();
    expect(local.handshake.headers).toEqual({});
    expect(serverSide!.rooms).toContain(`cart:${ada.cartId}`);
    expect(serverSide!.rooms).toContain(`user:${ada.user.id}`);
    const changed = next(ada.socket, 'cart:changed');
    await events.publish(cartUpdated(ada.cartId, 1, 5));
    expect(await changed).toEqual({ cartId: ada.cartId, itemCount: 1, version: 5 });
  });

  it("gives a client no way to join another user's room", async () => {
    const ada = await member('ada@example.com');
    const mallory = await member('mallory@example.com');
    const seen = received(mallory.socket);

    expect(await watch(mallory.socket, [`user:${ada.user.id}`])).toEqual({ error: expect.stringMatching(/SKU/) });
    (mallory.socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit('join', `user:${ada.user.id}`);
    (mallory.socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit('session:refresh');

    const own = next(mallory.socket, 'order:status');
    await events.publish(orderStatusChanged(randomUUID(), ada.user.id, 'confirmed', 5));
    await events.publish(cartUpdated(ada.cartId, 9, 9));
    const mine = randomUUID();
    await events.publish(orderStatusChanged(mine, mallory.user.id, 'placed', 1));
    expect((await own).orderId).toBe(mine);
    expect(seen.map((m) => m.data)).toEqual([{ orderId: mine, status: 'placed', version: 1 }]);
  });

  it("moves a page's open socket along on sign-in and sign-out, without reconnecting", async () => {
    const browser = shop.browser();
    const guestCart = (await browser.session()).json().cartId;
    const socket = await socketOf(browser);
    const socketId = socket.id;

    await browser.register('ada@example.com');
    const ada = shop.identity.userByEmail('ada@example.com')!;
    const status = next(socket, 'order:status');
    const orderId = randomUUID();
    await events.publish(orderStatusChanged(orderId, ada.id, 'placed', 1));
    expect((await status).orderId).toBe(orderId);

    const seen = received(socket);
    const cart = next(socket, 'cart:changed');
    await events.publish(cartUpdated(guestCart, 1, 5)); // the merged-away guest cart: no longer this page's
    await events.publish(cartUpdated(`user-${ada.id}`, 2, 3));
    expect(await cart).toEqual({ cartId: `user-${ada.id}`, itemCount: 2, version: 3 });

    const guestAgain = (await browser.post('/api/session/sign-out')).json().cartId;
    const after = next(socket, 'cart:changed');
    await events.publish(orderStatusChanged(orderId, ada.id, 'confirmed', 4)); // signed out: not for this page any more
    await events.publish(cartUpdated(`user-${ada.id}`, 0, 4));
    await events.publish(cartUpdated(guestAgain, 1, 1));
    expect(await after).toEqual({ cartId: guestAgain, itemCount: 1, version: 1 });
    expect(seen.map((m) => m.event)).toEqual(['cart:changed', 'cart:changed']);
    expect(socket.id).toBe(socketId);
  });

  it('keeps the private rooms of a connection that drops and recovers', async () => {
    const ada = await member('ada@example.com');
    // Recovery resumes after the last message a socket got, so it needs one first.
    const first = next(ada.socket, 'cart:changed');
    await events.publish(cartUpdated(ada.cartId, 1, 1));
    await first;

    const dropped = new Promise((resolve) => ada.socket.once('disconnect', resolve));
    ada.socket.io.engine.close();
    await dropped;
    const orderId = randomUUID();
    await events.publish(orderStatusChanged(orderId, ada.user.id, 'paid', 3)); // while away: replayed

    expect(await next(ada.socket, 'order:status')).toEqual({ orderId, status: 'paid', version: 3 });
    expect(ada.socket.recovered).toBe(true);
  });

  it('a reconnecting socket of a signed-out session gets no user room back', async () => {
    const ada = await member('ada@example.com');
    const stale = ada.browser.sid!;
    await ada.browser.post('/api/session/sign-out');
    ada.socket.disconnect();

    const socket = await openSocket(url, stale); // the old cookie, replayed
    sockets.push(socket);
    const seen = received(socket);
    await watch(socket, ['KIT-0001']);
    await events.publish(orderStatusChanged(randomUUID(), ada.user.id, 'confirmed', 9));
    const last = next(socket, 'stock:changed');
    await events.publish(stockChanged('KIT-0001', 1, 1));
    await last;
    expect(seen.map((m) => m.event)).toEqual(['stock:changed']);
  });
});
