/**
 * An error a client caused or can act on. Each workspace lists its own in `src/errors.ts`,
 * with codes prefixed by the workspace (CATALOG_PRODUCT_NOT_FOUND, …).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
