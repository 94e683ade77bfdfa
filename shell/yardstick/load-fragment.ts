import type { ComponentType } from 'react';
// The first screen's fragments are part of the app itself, as one app without federation would have them.
import CatalogPage from '@shop/mfe-catalog/expose/catalog-page';
import ProductPage from '@shop/mfe-catalog/expose/product-page';
import MiniCart from '@shop/mfe-cart/expose/mini-cart';
import AddToCart from '@shop/mfe-cart/expose/add-to-cart';

/**
 * The yardstick's stand-in for `src/features/fragments/utils/load-fragment.ts`: the same fragments
 * imported directly instead of through Module Federation. The first screen's (catalog, product,
 * mini-cart, Add to cart) are in the main bundle; the other pages are split as a lazy import each.
 */
type AnyComponent = ComponentType<object>;

const bundled: Record<string, AnyComponent> = {
  'mfe_catalog/CatalogPage': CatalogPage as AnyComponent,
  'mfe_catalog/ProductPage': ProductPage as AnyComponent,
  'mfe_cart/MiniCart': MiniCart as AnyComponent,
  'mfe_cart/AddToCart': AddToCart as AnyComponent,
};

const split: Record<string, () => Promise<{ default: unknown }>> = {
  'mfe_cart/CartPage': () => import('@shop/mfe-cart/expose/cart-page'),
  'mfe_cart/CheckoutPage': () => import('@shop/mfe-cart/expose/checkout-page'),
  'mfe_cart/OrderPage': () => import('@shop/mfe-cart/expose/order-page'),
  'mfe_cart/OrdersPage': () => import('@shop/mfe-cart/expose/orders-page'),
  'mfe_cart/AccountPage': () => import('@shop/mfe-cart/expose/account-page'),
};

let gate: Promise<unknown> = Promise.resolve();

/** Nothing to register; keeps the shell's rule that fragments render after the session answered. */
export function registerRemotesOnce(before?: Promise<unknown>): Promise<void> {
  if (before) gate = before.catch(() => undefined);
  return Promise.resolve();
}

/** The fragment `id`'s component, once the session has answered. Rejects for an unknown id. */
export async function loadFragment<P extends object>(id: string): Promise<ComponentType<P>> {
  await gate;
  const component = bundled[id] ?? ((await split[id]?.())?.default as AnyComponent | undefined);
  if (!component) throw new Error(`the yardstick has no fragment ${id}`);
  return component as ComponentType<P>;
}

/** mfe-catalog's `loadRemoteComponent`, for the Add to cart button inside its tiles. */
export async function loadRemoteComponent<P extends object>(id: string): Promise<ComponentType<P>> {
  return loadFragment<P>(id);
}

/** The shell's fragment reports name a version per remote; the yardstick's fragments are part of the app. */
export function remoteVersion(_name: string): string {
  return 'bundled';
}
