import { Type, type Static } from 'typebox';

/**
 * What the shell reports to bff-web about each fragment it loads (`POST /api/fragment-reports`), and the
 * per-version summary that the release manifest's canary check reads (`GET /api/fragment-reports/summary`).
 */

/** The fragments (federation remote names) the shell loads; reports about anything else are refused. */
export const FRAGMENT_NAMES = ['mfe_catalog', 'mfe_cart'] as const;
export const FragmentName = Type.Union([Type.Literal('mfe_catalog'), Type.Literal('mfe_cart')]);
export type FragmentName = Static<typeof FragmentName>;

/**
 * A fragment build's version as `/remotes.json` names it (`version` beside `name` and `entry`): letters,
 * digits and `.`, `_`, `+`, `-`, at most 64 characters (semver, a date stamp or a content hash all fit).
 */
export const FRAGMENT_VERSION_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$';
export const FragmentVersion = Type.String({ pattern: FRAGMENT_VERSION_PATTERN });

/** The version reported when the shell does not know which build it asked for (`/remotes.json` unreadable). */
export const UNVERSIONED = 'unversioned';

/** The cookie the shell's server sets to keep a browser on one release (sticky canaries); a random id. */
export const RELEASE_COOKIE = 'shop_release';

/** `mounted`: the fragment rendered; `load-failed`: its remote could not be loaded; `render-error`: it threw. */
export const FragmentReportKind = Type.Union([Type.Literal('mounted'), Type.Literal('load-failed'), Type.Literal('render-error')]);
export type FragmentReportKind = Static<typeof FragmentReportKind>;

/** Body of `POST /api/fragment-reports` (answered 204). */
export const FragmentReport = Type.Object(
  {
    fragment: FragmentName,
    version: FragmentVersion,
    kind: FragmentReportKind,
    /** The error's message, for a failure; not counted, only logged. */
    message: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type FragmentReport = Static<typeof FragmentReport>;

export const FragmentReportsSummaryQuery = Type.Object({ fragment: FragmentName });
export type FragmentReportsSummaryQuery = Static<typeof FragmentReportsSummaryQuery>;

/**
 * Answer of `GET /api/fragment-reports/summary?fragment=`: per version seen recently, the distinct release
 * sessions that mounted it or failed with it (`sessions`), and those that failed (`failedSessions`).
 * Counts are Redis HyperLogLog estimates (standard error 0.81%).
 */
export const FragmentReportsSummary = Type.Object({
  fragment: FragmentName,
  versions: Type.Array(
    Type.Object({ version: Type.String(), sessions: Type.Integer({ minimum: 0 }), failedSessions: Type.Integer({ minimum: 0 }) }),
  ),
});
export type FragmentReportsSummary = Static<typeof FragmentReportsSummary>;
