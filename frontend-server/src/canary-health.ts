import { readReleaseManifest, withoutCanary, writeReleaseManifest } from './release-manifest.ts';
import { withinBudget } from './budget.ts';

/**
 * Automatic rollback: the shell's server compares each canary's share of failed sessions with its stable
 * build's (from bff-web's fragment reports) and drops a canary that fails clearly more often.
 */

/** One version's sessions in bff-web's `GET /api/fragment-reports/summary?fragment=<name>`. */
export interface VersionSessions {
  version: string;
  /** Distinct release cookies that mounted this version. */
  sessions: number;
  /** Of those, the ones that reported a load failure or render error for it. */
  failedSessions: number;
}

export interface CanaryPolicy {
  /** Sessions the canary needs before it is judged. */
  minSessions: number;
  /** How much higher (absolute, 0.05 = 5 points) the canary's failure rate may be than stable's. */
  errorMargin: number;
}

export type CanaryDecision = { action: 'keep'; why: string } | { action: 'drop'; reason: string };

const rate = (v: VersionSessions | undefined) => (v && v.sessions > 0 ? Math.min(v.failedSessions, v.sessions) / v.sessions : 0);
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/**
 * Whether to drop `canary`: only once it has `minSessions` sessions, and only when its failure rate
 * exceeds stable's (0 when stable has no sessions) by more than `errorMargin`. Pure.
 */
export function decideCanary(
  stableVersion: string,
  canaryVersion: string,
  versions: readonly VersionSessions[],
  policy: CanaryPolicy,
): CanaryDecision {
  const canary = versions.find((v) => v.version === canaryVersion);
  const stable = versions.find((v) => v.version === stableVersion);
  const seen = canary?.sessions ?? 0;
  if (seen < policy.minSessions) return { action: 'keep', why: `canary ${canaryVersion} has ${seen} of the ${policy.minSessions} sessions it needs to be judged` };
  const canaryRate = rate(canary);
  const stableRate = rate(stable);
  const summary =
    `canary ${canaryVersion} failed in ${canary!.failedSessions} of ${canary!.sessions} sessions (${pct(canaryRate)}), ` +
    `stable ${stableVersion} in ${stable?.failedSessions ?? 0} of ${stable?.sessions ?? 0} (${pct(stableRate)})`;
  if (canaryRate - stableRate > policy.errorMargin) {
    return { action: 'drop', reason: `${summary}: more than ${pct(policy.errorMargin)} above stable` };
  }
  return { action: 'keep', why: `${summary}: within ${pct(policy.errorMargin)} of stable` };
}

/** Checks a parsed summary answer; undefined when it is not one. */
function versionsOf(body: unknown): VersionSessions[] | undefined {
  const versions = (body as { versions?: unknown })?.versions;
  if (!Array.isArray(versions)) return undefined;
  return versions.filter(
    (v): v is VersionSessions =>
      typeof v?.version === 'string' && Number.isInteger(v.sessions) && v.sessions >= 0 && Number.isInteger(v.failedSessions) && v.failedSessions >= 0,
  );
}

export interface CanaryWatchOptions extends CanaryPolicy {
  manifestPath: string;
  /** bff-web, asked `GET /api/fragment-reports/summary?fragment=<name>`. */
  bffWebUrl: string;
  /** How long (ms) one summary request may take. */
  requestBudgetMs?: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  fetch?: typeof fetch;
}

/**
 * One pass: for each fragment with a canary, asks bff-web for its summary and drops the canary with
 * the reason when `decideCanary` says so (re-reading the manifest first, so a release made meanwhile
 * is kept). A bff-web that is down or answers nonsense leaves the canary as it is. Resolves with the
 * fragments whose canary was dropped; never rejects.
 */
export async function checkCanaries(options: CanaryWatchOptions): Promise<string[]> {
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  let manifest;
  try {
    manifest = readReleaseManifest(options.manifestPath);
  } catch (error) {
    options.log.warn({ err: error }, 'canary watch: the release manifest cannot be read');
    return [];
  }
  const dropped: string[] = [];
  for (const [fragment, releases] of Object.entries(manifest?.fragments ?? {})) {
    if (!releases.canary) continue;
    const url = new URL('/api/fragment-reports/summary', options.bffWebUrl);
    url.searchParams.set('fragment', fragment);
    let versions: VersionSessions[] | undefined;
    try {
      const answer = await withinBudget(options.requestBudgetMs ?? 2000, async (signal) => {
        const response = await fetchFn(url, { headers: { accept: 'application/json' }, signal });
        return { status: response.status, versions: response.ok ? versionsOf(await response.json()) : undefined };
      });
      versions = answer.versions;
      if (!versions) options.log.warn({ fragment, status: answer.status }, 'canary watch: no usable fragment report summary; canary kept');
    } catch (error) {
      options.log.warn({ fragment, err: (error as Error).message }, 'canary watch: bff-web did not answer; canary kept');
    }
    if (!versions) continue;
    const decision = decideCanary(releases.stable.version, releases.canary.version, versions, options);
    if (decision.action === 'keep') continue;
    try {
      const latest = readReleaseManifest(options.manifestPath);
      if (!latest) continue;
      const next = withoutCanary(latest, fragment, releases.canary.version, `automatic rollback: ${decision.reason}`);
      if (next === latest) continue;
      writeReleaseManifest(options.manifestPath, next);
      dropped.push(fragment);
      options.log.warn({ fragment, version: releases.canary.version, reason: decision.reason }, 'canary dropped: its sessions get the stable version from their next navigation');
    } catch (error) {
      options.log.warn({ fragment, err: error }, 'canary watch: could not write the release manifest');
    }
  }
  return dropped;
}

/** Runs `checkCanaries` every `intervalMs` (one pass at a time); returns the function that stops it. */
export function startCanaryWatch(options: CanaryWatchOptions & { intervalMs: number }): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void checkCanaries(options).finally(() => {
      running = false;
    });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
