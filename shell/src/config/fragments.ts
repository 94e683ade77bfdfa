/** The fragment modules the shell mounts: `<federation name>/<exposed module>`. */
export const fragments = {
  catalogPage: 'mfe_catalog/CatalogPage',
  productPage: 'mfe_catalog/ProductPage',
  miniCart: 'mfe_cart/MiniCart',
  cartPage: 'mfe_cart/CartPage',
} as const;

export type FragmentId = (typeof fragments)[keyof typeof fragments];
