/** One fragment the shell can load: its federation name and where its manifest (or remote entry) lives. */
export interface RemoteDefinition {
  name: string;
  entry: string;
  /** The fragment's release, when the shell's server picks it from a release manifest (canaries). */
  version?: string;
}

/** The shape of `/remotes.json`. */
export interface RemotesFile {
  remotes: RemoteDefinition[];
}

export class RemotesConfigError extends Error {
  override name = 'RemotesConfigError';
}

// Federation container names end up as JS identifiers (e.g. `mfe_catalog`).
const REMOTE_NAME = /^[A-Za-z_$][\w$]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkEntry(entry: unknown, where: string): string {
  if (typeof entry !== 'string' || entry.trim() === '') throw new RemotesConfigError(`${where}.entry must be a non-empty string`);
  let url: URL;
  try {
    // A path such as `/fragments/catalog/mf-manifest.json` is resolved against the page's origin.
    url = new URL(entry, 'http://origin.invalid');
  } catch {
    throw new RemotesConfigError(`${where}.entry is not a URL: ${entry}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemotesConfigError(`${where}.entry must be an http(s) URL or an absolute path: ${entry}`);
  }
  if (!/^https?:\/\//i.test(entry) && !entry.startsWith('/')) {
    throw new RemotesConfigError(`${where}.entry must be an http(s) URL or an absolute path: ${entry}`);
  }
  return entry;
}

/** Checks `/remotes.json` (or `REMOTES_JSON`) and says which field is wrong. */
export function parseRemotes(input: unknown): RemotesFile {
  if (!isRecord(input) || !Array.isArray(input.remotes)) {
    throw new RemotesConfigError('expected an object {"remotes": [{"name", "entry"}, …]}');
  }
  const seen = new Set<string>();
  const remotes = input.remotes.map((remote: unknown, index): RemoteDefinition => {
    const where = `remotes[${index}]`;
    if (!isRecord(remote)) throw new RemotesConfigError(`${where} must be an object with name and entry`);
    const { name } = remote;
    if (typeof name !== 'string' || !REMOTE_NAME.test(name)) {
      throw new RemotesConfigError(`${where}.name must be a federation name like "mfe_catalog"`);
    }
    if (seen.has(name)) throw new RemotesConfigError(`${where}.name "${name}" is listed twice`);
    seen.add(name);
    const entry = checkEntry(remote.entry, where);
    if (remote.version === undefined) return { name, entry };
    if (typeof remote.version !== 'string' || remote.version === '') throw new RemotesConfigError(`${where}.version must be a non-empty string`);
    return { name, entry, version: remote.version };
  });
  return { remotes };
}

/** Where a fragment served from `origin` publishes its federation manifest. */
export function manifestUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/mf-manifest.json`;
}
