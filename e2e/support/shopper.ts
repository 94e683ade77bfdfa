import { expect, type Page } from '@playwright/test';

/** What a shopper does in the browser, step by step, as the tests need it. */

export const CARD_ACCEPTED = '4242 4242 4242 4242';
export const CARD_DECLINED = '4000 0000 0000 0002';
export const PASSWORD = 'correct horse battery staple';

/** An email no earlier run has registered. */
export function uniqueEmail(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A card expiry two years ahead, as MM/YY. */
export function futureExpiry(): string {
  const year = (new Date().getFullYear() + 2) % 100;
  return `12/${String(year).padStart(2, '0')}`;
}

export const cartLink = (page: Page, count: number) => page.getByRole('link', { name: `Cart (${count})`, exact: true });

/** Marks the document; `stillSameDocument` fails if the page was reloaded or left since. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __e2eMark: boolean }).__e2eMark = true));
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark === true);
}

/** From any page: the header's "Sign in", then the account page's registration form. */
export async function register(page: Page, name: string, email: string): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  // The shell's header follows the session.
  await expect(page.getByRole('banner').getByRole('link', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export interface CheckoutDetails {
  postalCode?: string;
  cardNumber?: string;
}

/** Fills the checkout form (valid unless told otherwise) and places the order. */
export async function placeOrder(page: Page, details: CheckoutDetails = {}): Promise<void> {
  const form = page.getByRole('form', { name: 'Shipping and payment' });
  await form.getByLabel('Full name', { exact: true }).fill('Ada Lovelace');
  await form.getByLabel('Address', { exact: true }).fill('1 Main Street');
  await form.getByLabel('Postal code', { exact: true }).fill(details.postalCode ?? 'D02 X285');
  await form.getByLabel('City', { exact: true }).fill('Dublin');
  await form.getByLabel('Country', { exact: true }).selectOption('IE');
  await form.getByLabel('Card number', { exact: true }).fill(details.cardNumber ?? CARD_ACCEPTED);
  await form.getByLabel('Expiry', { exact: true }).fill(futureExpiry());
  await form.getByLabel('Security code', { exact: true }).fill('123');
  await form.getByRole('button', { name: 'Place order' }).click();
}
