/** The header link's accessible name; end-to-end tests find the link by it. */
export function cartLabel(itemCount: number): string {
  return `Cart (${itemCount})`;
}
