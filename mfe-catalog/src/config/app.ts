/** Browser-side settings of the catalog fragment. Paths are same-origin: the shell proxies them to bff-web. */
export const config = {
  apiBase: '/api',
  /** How long a fetched page counts as fresh; live updates keep stock and price current meanwhile. */
  staleTimeMs: 30_000,
  /** The checkout team's button, loaded through the shell's federation runtime. */
  addToCartModule: 'mfe_cart/AddToCart',
  /** Which build this is, shown under the catalog so a deploy can be seen; set VITE_RELEASE when building. */
  release: import.meta.env.VITE_RELEASE || 'dev',
} as const;
