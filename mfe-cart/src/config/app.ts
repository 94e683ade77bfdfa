/** Browser-side settings of the cart fragment. */
export const config = {
  /** Client route of the cart page; the shell maps it to `mfe_cart/CartPage`. */
  cartPath: '/cart',
  catalogPath: '/',
} as const;
