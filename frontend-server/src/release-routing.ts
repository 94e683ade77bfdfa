import { createHash, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { parseCookie, stringifySetCookie } from 'cookie';
import { readReleaseManifest, type ReleaseManifest } from './release-manifest.ts';

/**
 * Which build of each fragment one browser gets: the stable one, or the canary for a stable share of
 * release cookies. The cookie is the shell server's own, independent of the shopper's session, so
 * signing in or out keeps the versions a browser sees.
 */

/** The release cookie: a random id per browser (bff-web's fragment reports count sessions by it). */
export const RELEASE_COOKIE = 'shop_release';
/** How long (s) a browser keeps its release id: 30 days. */
export const RELEASE_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;
const RELEASE_ID = /^[A-Za-z0-9-]{8,64}$/;

/** One entry of `/remotes.json`; `version` is set for a fragment the release manifest names. */
export interface ResolvedRemote {
  name: string;
  entry: string;
  version?: string;
}

/**
 * Where `releaseId` falls for `fragment`'s canary `version`: a number in [0, 100), the same every time
 * for the same three (the first 32 bits of their SHA-256). A new canary version reshuffles the browsers.
 */
export function releaseBucket(releaseId: string, fragment: string, version: string): number {
  const digest = createHash('sha256').update(`${releaseId}\0${fragment}\0${version}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/**
 * `remotes` as the browser with `releaseId` gets them: each fragment the manifest names points at its
 * canary (when the browser's bucket is below its percent) or its stable build, with `version`; the
 * others stay as they are. No manifest: `remotes` unchanged. Pure.
 */
export function resolveRemotes(
  remotes: readonly ResolvedRemote[],
  manifest: ReleaseManifest | undefined,
  releaseId: string,
): ResolvedRemote[] {
  if (!manifest) return [...remotes];
  return remotes.map((remote) => {
    const releases = manifest.fragments[remote.name];
    if (!releases) return remote;
    const { canary, stable } = releases;
    const build = canary && releaseBucket(releaseId, remote.name, canary.version) < canary.percent ? canary : stable;
    return { name: remote.name, entry: build.entry, version: build.version };
  });
}

/** The release id the request's cookie carries, if it is one this server could have issued. */
export function releaseIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const id = parseCookie(cookieHeader)[RELEASE_COOKIE];
  return id && RELEASE_ID.test(id) ? id : undefined;
}

/** A fresh release id and the Set-Cookie header value that gives it to the browser (HttpOnly, SameSite=Lax, Path=/). */
export function newReleaseCookie(secure: boolean): { id: string; setCookie: string } {
  const id = randomUUID();
  return {
    id,
    setCookie: stringifySetCookie({
      name: RELEASE_COOKIE,
      value: id,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: RELEASE_COOKIE_MAX_AGE_S,
      secure,
    }),
  };
}

/**
 * The release manifest at `path`, read again whenever its file changes (size, mtime or inode: the
 * writers rename a new file over it). `current()` never throws: without a file it is undefined, and a
 * file it cannot read leaves the last good copy in use (reported once through `onError`).
 */
export function watchReleaseManifest(path: string, onError: (error: Error) => void = () => {}) {
  let signature = '';
  let manifest: ReleaseManifest | undefined;
  return {
    path,
    async current(): Promise<ReleaseManifest | undefined> {
      let next: string;
      try {
        const s = await stat(path);
        next = `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        next = 'none';
      }
      if (next === signature) return manifest;
      signature = next;
      if (next === 'none') {
        manifest = undefined;
        return manifest;
      }
      try {
        manifest = readReleaseManifest(path);
      } catch (error) {
        onError(error as Error);
      }
      return manifest;
    },
  };
}
