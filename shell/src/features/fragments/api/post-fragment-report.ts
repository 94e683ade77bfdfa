import type { FragmentReport, FragmentReportKind } from '@shop/contracts/api/fragment-reports';
import { api } from '../../../lib/api-client.ts';
import { remoteOf } from '../utils/plan-registration.ts';
import { remoteVersion } from '../utils/load-fragment.ts';

/** bff-web's route for the shell's fragment reports (through the same-origin `/api` proxy). */
const REPORTS_PATH = '/fragment-reports';
/** The contract's limit on a report's message. */
const MESSAGE_MAX = 500;

/** `<remote> <kind>` of the reports sent since the page loaded: each at most once per page load. */
const sent = new Set<string>();
/** Errors a fragment's load rejected with, so its error boundary does not report them again as render errors. */
const loadFailures = new WeakSet<object>();

/**
 * Tells bff-web how fragment `fragmentId` (`mfe_catalog/CatalogPage`) fared, with its remote's version
 * (see remoteVersion): `mounted`, `load-failed` or `render-error` (with `error`'s message, cut to 500
 * characters). Sent once per remote and kind per page load, as a keepalive beacon; never throws, never waits.
 */
export function postFragmentReport(fragmentId: string, kind: FragmentReportKind, error?: unknown): void {
  const fragment = remoteOf(fragmentId) as FragmentReport['fragment'];
  const once = `${fragment} ${kind}`;
  if (sent.has(once)) return;
  sent.add(once);
  const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  const report: FragmentReport = {
    fragment,
    version: remoteVersion(fragment),
    kind,
    ...(message ? { message: message.slice(0, MESSAGE_MAX) } : {}),
  };
  api.beacon(REPORTS_PATH, report);
}

/**
 * Reports `error` as fragment `fragmentId`'s load failure and returns it (an Error made of it if it was not an
 * object), marked so that the slot's error boundary does not report it again as a render error.
 */
export function reportLoadFailure(fragmentId: string, error: unknown): object {
  postFragmentReport(fragmentId, 'load-failed', error);
  const marked = typeof error === 'object' && error !== null ? error : new Error(String(error));
  loadFailures.add(marked);
  return marked;
}

/** Whether `error` is a load failure reportLoadFailure has reported already. */
export const isReportedLoadFailure = (error: unknown): boolean => typeof error === 'object' && error !== null && loadFailures.has(error);
