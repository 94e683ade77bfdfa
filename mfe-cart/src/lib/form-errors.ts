/**
 * Messages for a form: the server's `FormError.fields` (keyed by field path, e.g.
 * `shippingAddress/postalCode`) split into those the form shows next to a field and the rest,
 * which it shows above the form so nothing the server said is lost.
 */
export interface FieldMessages<F extends string> {
  byField: Partial<Record<F, string>>;
  other: string[];
}

/** `/shippingAddress/postalCode`, `shippingAddress.postalCode` and `shippingAddress/postalCode` name one field. */
export function normaliseFieldPath(path: string): string {
  return path.replace(/\./g, '/').replace(/^\/+|\/+$/g, '');
}

export function splitFieldMessages<F extends string>(
  fields: Readonly<Record<string, string>>,
  known: readonly F[],
): FieldMessages<F> {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  const names = new Set<string>(known);
  for (const [path, message] of Object.entries(fields)) {
    const field = normaliseFieldPath(path);
    if (names.has(field)) byField[field as F] ??= message;
    else other.push(message);
  }
  return { byField, other };
}

/** Client-side check before sending: every required field has something in it. */
export function missingFields<F extends string>(
  values: Readonly<Record<F, string>>,
  required: Readonly<Partial<Record<F, string>>>,
): Partial<Record<F, string>> {
  const messages: Partial<Record<F, string>> = {};
  for (const [field, label] of Object.entries(required) as [F, string][]) {
    if (!values[field]?.trim()) messages[field] = `Enter ${label}.`;
  }
  return messages;
}

export const hasMessages = (messages: object): boolean => Object.keys(messages).length > 0;
