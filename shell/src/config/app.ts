/** Browser-side settings of the shell. */
export const config = {
  shopName: 'Storefront',
  /** Served by the shell's own server (from `REMOTES_JSON` or the fragment URLs); never cached. */
  remotesUrl: '/remotes.json',
  /** bff-web, same origin: the shell's server proxies it. */
  apiBase: '/api',
  accountPath: '/account',
} as const;
