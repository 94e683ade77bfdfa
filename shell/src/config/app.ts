/** Browser-side settings of the shell. */
export const config = {
  shopName: 'Storefront',
  /** Served by the shell's own server (from `REMOTES_JSON` or the fragment URLs); never cached. */
  remotesUrl: '/remotes.json',
} as const;
