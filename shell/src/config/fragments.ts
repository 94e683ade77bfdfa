/** The fragment modules the shell mounts: `<federation name>/<exposed module>`. */
export const fragments = {
  catalogPage: 'mfe_catalog/CatalogPage',
  productPage: 'mfe_catalog/ProductPage',
  miniCart: 'mfe_cart/MiniCart',
  cartPage: 'mfe_cart/CartPage',
  checkoutPage: 'mfe_cart/CheckoutPage',
  orderPage: 'mfe_cart/OrderPage',
  ordersPage: 'mfe_cart/OrdersPage',
  accountPage: 'mfe_cart/AccountPage',
} as const;

export type FragmentId = (typeof fragments)[keyof typeof fragments];

/**
 * How long (ms) a slot waits for its fragment: the manifest fetch, the remote entry and the module
 * load together. Past it the slot shows its fallback, so a hung fragment server cannot hold a page.
 */
export const FRAGMENT_LOAD_BUDGET_MS = 8_000;
