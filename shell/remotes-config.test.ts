import { describe, expect, it } from 'vitest';
import { pageHeadConfigFromEnv, remotesFromEnv } from './remotes-config.ts';

describe('remotesFromEnv', () => {
  it('defaults to the local fragment servers', () => {
    expect(remotesFromEnv({})).toEqual({
      remotes: [
        { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' },
        { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
      ],
    });
  });

  it('takes REMOTES_JSON as is when set', () => {
    const remotes = { remotes: [{ name: 'mfe_catalog', entry: 'https://cdn.example/c/mf-manifest.json' }] };
    expect(remotesFromEnv({ REMOTES_JSON: JSON.stringify(remotes), MFE_CATALOG_URL: 'http://ignored' })).toEqual(remotes);
  });

  it('names REMOTES_JSON when it is wrong', () => {
    expect(() => remotesFromEnv({ REMOTES_JSON: '{' })).toThrow(/^REMOTES_JSON is not valid JSON/);
    expect(() => remotesFromEnv({ REMOTES_JSON: '{"remotes":[{"name":"x"}]}' })).toThrow('REMOTES_JSON: remotes[0].entry');
  });
});

describe('pageHeadConfigFromEnv', () => {
  it('has strict defaults and takes whole milliseconds', () => {
    expect(pageHeadConfigFromEnv({})).toEqual({ dataBudgetMs: 300, manifestBudgetMs: 300, manifestTtlMs: 0, firstScreenBudgetMs: 200 });
    expect(pageHeadConfigFromEnv({ FIRST_DATA_BUDGET_MS: '0', MANIFEST_TTL_MS: '500', FIRST_SCREEN_BUDGET_MS: '0' })).toMatchObject({ dataBudgetMs: 0, manifestTtlMs: 500, firstScreenBudgetMs: 0 });
  });

  it('names a bad variable', () => {
    expect(() => pageHeadConfigFromEnv({ MANIFEST_BUDGET_MS: '1.5s' })).toThrow(/MANIFEST_BUDGET_MS/);
    expect(() => pageHeadConfigFromEnv({ FIRST_DATA_BUDGET_MS: '-1' })).toThrow(/FIRST_DATA_BUDGET_MS/);
  });
});
