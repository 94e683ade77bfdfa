import { manifestUrl, parseRemotes, RemotesConfigError, type RemotesFile } from './src/features/fragments/utils/parse-remotes.ts';

type Env = Record<string, string | undefined>;

export const defaultFragmentUrls = {
  MFE_CATALOG_URL: 'http://localhost:3001',
  MFE_CART_URL: 'http://localhost:3002',
} as const;

/**
 * What `/remotes.json` answers: `REMOTES_JSON` verbatim (checked) if set, else one entry per fragment
 * built from `MFE_CATALOG_URL` / `MFE_CART_URL`. Repointing a fragment needs a restart, not a rebuild.
 */
export function remotesFromEnv(env: Env): RemotesFile {
  if (env.REMOTES_JSON) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.REMOTES_JSON);
    } catch (error) {
      throw new RemotesConfigError(`REMOTES_JSON is not valid JSON: ${(error as Error).message}`);
    }
    try {
      return parseRemotes(parsed);
    } catch (error) {
      throw new RemotesConfigError(`REMOTES_JSON: ${(error as Error).message}`);
    }
  }
  return parseRemotes({
    remotes: [
      { name: 'mfe_catalog', entry: manifestUrl(env.MFE_CATALOG_URL ?? defaultFragmentUrls.MFE_CATALOG_URL) },
      { name: 'mfe_cart', entry: manifestUrl(env.MFE_CART_URL ?? defaultFragmentUrls.MFE_CART_URL) },
    ],
  });
}
