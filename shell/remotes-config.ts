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

/** The time budgets of the page head (page-head.ts), in ms. */
export interface PageHeadConfig {
  dataBudgetMs: number;
  manifestBudgetMs: number;
  manifestTtlMs: number;
  firstScreenBudgetMs: number;
}

function msFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new RemotesConfigError(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return value;
}

/**
 * `FIRST_DATA_BUDGET_MS` (300): how long a page waits for bff-web's answer to inline it;
 * `MANIFEST_BUDGET_MS` (300): how long it waits for a remote's manifest it has not cached;
 * `MANIFEST_TTL_MS` (0): how long a fetched manifest is reused (0: fetched per page, so a remote that
 * stops answering gets no preloads);
 * `FIRST_SCREEN_BUDGET_MS` (200): how long it waits for the page fragment's server to render its first
 * screen, once the first data is there. A budget of 0 turns its part off.
 * Throws RemotesConfigError naming a bad variable.
 */
export function pageHeadConfigFromEnv(env: Env): PageHeadConfig {
  return {
    dataBudgetMs: msFromEnv(env, 'FIRST_DATA_BUDGET_MS', 300),
    manifestBudgetMs: msFromEnv(env, 'MANIFEST_BUDGET_MS', 300),
    manifestTtlMs: msFromEnv(env, 'MANIFEST_TTL_MS', 0),
    firstScreenBudgetMs: msFromEnv(env, 'FIRST_SCREEN_BUDGET_MS', 200),
  };
}
