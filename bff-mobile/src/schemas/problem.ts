import { Type, type Static } from 'typebox';
import { ref } from './shared.ts';

export const FieldProblem = Type.Object(
  {
    detail: Type.String(),
    pointer: Type.Optional(Type.String({ description: 'JSON pointer into the request body, as a URI fragment: `#/shippingAddress/postalCode`' })),
    parameter: Type.Optional(Type.String({ description: 'name of the invalid query or path parameter' })),
    header: Type.Optional(Type.String({ description: 'name of the invalid request header' })),
  },
  { $id: 'FieldProblem' },
);

/** RFC 9457 problem details, with `code` (MOBILE_…) and, for invalid input, `errors` naming each part. */
export const Problem = Type.Object(
  {
    type: Type.String({ format: 'uri', description: 'identifies the kind of problem; ends in the slug of `code`' }),
    title: Type.String({ description: 'short summary of the kind of problem, the same for every occurrence' }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: 'what went wrong this time, for people' }),
    instance: Type.Optional(Type.String({ format: 'uri-reference', description: 'the request path' })),
    code: Type.String({ pattern: '^MOBILE_[A-Z_]+$', description: 'what an app branches on' }),
    errors: Type.Optional(Type.Array(ref(FieldProblem))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;

const problemContent = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref(Problem) } },
});

/**
 * Response entries for the statuses a route may answer with besides success; `default` covers those any
 * route may meet (413, 415, 429, 500, 503), so every answer the app can get is in the OpenAPI document.
 */
export function problems<const S extends Record<number, string>>(statuses: S) {
  const entries = Object.entries(statuses).map(([status, description]) => [status, problemContent(description)]);
  return {
    ...(Object.fromEntries(entries) as { [K in keyof S]: ReturnType<typeof problemContent> }),
    default: problemContent('any other problem: body too large (413), not JSON (415), rate limited (429), a service down (503)'),
  };
}

/** For GET routes: the answer to a matching `If-None-Match` (see the ETag of the 200). */
export const notModified = { 304: { description: 'Not Modified: If-None-Match holds the current ETag; no body', type: 'null' } } as const;
