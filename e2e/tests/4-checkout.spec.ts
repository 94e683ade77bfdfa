import { expect, test, type Page } from '@playwright/test';
import { getProduct, getStock, setStock } from '../support/admin.ts';
import {
  CARD_DECLINED,
  PASSWORD,
  cartLink,
  markDocument,
  placeOrder,
  register,
  stillSameDocument,
  uniqueEmail,
} from '../support/shopper.ts';
import { countNumberFormats, numberFormatsMade } from '../support/intl.ts';

// Two products no other spec changes; stock is set before each test so earlier runs do not matter.
const KETTLE = { sku: 'KIT-0006', name: 'Electric Kettle' };
const LAMP = { sku: 'LGT-0001', name: 'Desk Lamp' };
const STOCK = 50;

let original: Record<string, number> = {};
test.beforeAll(async () => {
  original = {
    [KETTLE.sku]: (await getStock(KETTLE.sku)).available,
    [LAMP.sku]: (await getStock(LAMP.sku)).available,
  };
});
test.beforeEach(async () => {
  await setStock(KETTLE.sku, STOCK);
  await setStock(LAMP.sku, STOCK);
});
test.afterAll(async () => {
  for (const [sku, available] of Object.entries(original)) await setStock(sku, available);
});

const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;
// The saga runs through Kafka and three services; give it time without making the test a timing test.
const SAGA = { timeout: 30_000 };

/** Adds the kettle from its catalog tile. */
async function addKettleFromTile(page: Page) {
  await page.goto('/?query=kettle');
  const tile = page.getByRole('article', { name: KETTLE.name });
  await tile.getByRole('button', { name: 'Add to cart' }).click();
  await expect(tile.getByText(`${KETTLE.name} is in your cart.`)).toBeVisible();
}

/** Adds the lamp from its product page. */
async function addLampFromProductPage(page: Page) {
  await page.goto(`/products/${LAMP.sku}`);
  await expect(page.getByRole('heading', { name: LAMP.name, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
}

test.describe('cart, sign-in and checkout', () => {
  test('a guest fills a cart, registers, sees it merged, checks out and watches the order reach confirmed', async ({ page }) => {
    test.setTimeout(90_000);
    const kettlePrice = (await getProduct(KETTLE.sku)).price.amount;
    const lampPrice = (await getProduct(LAMP.sku)).price.amount;

    await addKettleFromTile(page);
    await expect(cartLink(page, 1)).toBeVisible();
    await addLampFromProductPage(page);
    await expect(cartLink(page, 2)).toBeVisible();

    await register(page, 'Ada Merged', uniqueEmail('merge'));
    await cartLink(page, 2).click();
    await expect(page).toHaveURL(/\/cart$/);
    const kettleRow = page.getByRole('row', { name: new RegExp(KETTLE.name) });
    const lampRow = page.getByRole('row', { name: new RegExp(LAMP.name) });
    await expect(kettleRow).toContainText(euros(kettlePrice));
    await expect(lampRow).toContainText(euros(lampPrice));
    await expect(kettleRow.getByLabel(`Quantity of ${KETTLE.name}`)).toHaveText('1');
    await expect(lampRow.getByLabel(`Quantity of ${LAMP.name}`)).toHaveText('1');
    await expect(page.getByTestId('cart-total')).toHaveText(euros(kettlePrice + lampPrice));

    await page.getByRole('button', { name: 'Checkout' }).click();
    await expect(page).toHaveURL(/\/checkout$/);
    await placeOrder(page);
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: /^Order [0-9A-F]{8}$/ })).toBeVisible();
    await markDocument(page);

    await expect(page.getByTestId('order-status')).toHaveText('Confirmed', SAGA);
    const progress = page.getByRole('list', { name: 'Order progress' });
    for (const step of ['Placed', 'Reserved', 'Paid', 'Confirmed']) await expect(progress).toContainText(step);
    await expect(page.getByText('Your order is confirmed.')).toBeVisible();
    // The confirmed order empties the cart, and the header hears of it over the socket.
    await expect(cartLink(page, 0)).toBeVisible(SAGA);
    expect(await stillSameDocument(page)).toBe(true);

    await test.step('the order is listed under "Your orders"', async () => {
      const orderNumber = (await page.getByRole('heading', { level: 1 }).textContent())?.replace('Order ', '') ?? '';
      await page.getByRole('link', { name: 'All your orders' }).click();
      await expect(page.getByRole('row', { name: new RegExp(`Order ${orderNumber}`) })).toContainText('Confirmed');
    });
  });

  test('the cart page shows the amounts as bff-web wrote them: it makes no Intl.NumberFormat', async ({ page, context }) => {
    await countNumberFormats(context);
    const kettlePrice = (await getProduct(KETTLE.sku)).price.amount;
    await addKettleFromTile(page);
    await cartLink(page, 1).click();
    await expect(page.getByTestId('cart-total')).toHaveText(euros(kettlePrice));
    await expect(page.getByRole('row', { name: new RegExp(KETTLE.name) })).toContainText(euros(kettlePrice));
    expect(await numberFormatsMade(page)).toBe(0);
  });

  test('a declined card cancels the order with a clear message, and the cart keeps its lines', async ({ page }) => {
    test.setTimeout(90_000);
    await addLampFromProductPage(page);
    await expect(cartLink(page, 1)).toBeVisible();
    await register(page, 'Ada Declined', uniqueEmail('declined'));

    await page.goto('/checkout');
    await placeOrder(page, { cardNumber: CARD_DECLINED });
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await markDocument(page);
    await expect(page.getByTestId('order-status')).toHaveText('Cancelled', SAGA);
    await expect(page.getByRole('status').getByText('Your card was declined.')).toBeVisible();
    expect(await stillSameDocument(page)).toBe(true);

    await page.getByRole('link', { name: 'Back to your cart' }).click();
    await expect(page.getByRole('row', { name: new RegExp(LAMP.name) })).toBeVisible();
    await expect(cartLink(page, 1)).toBeVisible();
  });

  test('signing out leaves an empty guest cart; signing back in brings the account\'s cart back', async ({ page }) => {
    const email = uniqueEmail('signout');
    await addKettleFromTile(page);
    await register(page, 'Ada Returns', email);
    await expect(cartLink(page, 1)).toBeVisible();

    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(cartLink(page, 0)).toBeVisible();

    await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email', { exact: true }).fill(email);
    await form.getByLabel('Password', { exact: true }).fill('not the password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(form.getByRole('alert')).toBeVisible();
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Ada Returns', exact: true })).toBeVisible();
    await expect(cartLink(page, 1)).toBeVisible();
  });

  test('two tabs of one shopper stay in sync without a reload', async ({ context }) => {
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto('/?query=kettle');
    await second.goto('/cart');
    await expect(cartLink(first, 0)).toBeVisible();
    await expect(cartLink(second, 0)).toBeVisible();
    await expect(second.getByText('Your cart is empty.')).toBeVisible();
    await markDocument(second);

    await first.getByRole('article', { name: KETTLE.name }).getByRole('button', { name: 'Add to cart' }).click();
    await expect(cartLink(first, 1)).toBeVisible();
    await expect(cartLink(second, 1)).toBeVisible();
    await expect(second.getByRole('row', { name: new RegExp(KETTLE.name) })).toBeVisible();

    // And back: a change on the cart page reaches the catalog tab.
    await second.getByRole('button', { name: `One more ${KETTLE.name}` }).click();
    await expect(cartLink(second, 2)).toBeVisible();
    await expect(cartLink(first, 2)).toBeVisible();
    expect(await stillSameDocument(second)).toBe(true);
  });

  test('adding more than is in stock says how many are left, next to the button', async ({ page }) => {
    await setStock(KETTLE.sku, 1);
    await page.goto('/?query=kettle');
    const tile = page.getByRole('article', { name: KETTLE.name });
    const button = tile.getByRole('button', { name: 'Add to cart' });
    await button.click();
    await expect(cartLink(page, 1)).toBeVisible();
    await button.click();
    // The cart service's own words, e.g. "Only 1 of KIT-0006 left; …".
    await expect(tile.getByRole('alert')).toContainText(/only 1\b/i);
    await expect(cartLink(page, 1)).toBeVisible();
  });

  test('a bad postal code and card number are named next to their fields', async ({ page }) => {
    await addKettleFromTile(page);
    await register(page, 'Ada Typo', uniqueEmail('form'));
    await page.goto('/checkout');
    await placeOrder(page, { postalCode: 'X', cardNumber: '1234' });

    const form = page.getByRole('form', { name: 'Shipping and payment' });
    await expect(form.getByRole('alert')).toBeVisible();
    // Each message is tied to its field (aria-describedby) and shown right under it.
    await expect(form.getByLabel('Postal code', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Postal code', { exact: true })).toHaveAccessibleDescription(/\S/);
    await expect(form.getByLabel('Card number', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Card number', { exact: true })).toHaveAccessibleDescription(/\S/);
    await expect(form.getByLabel('City', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(/\/checkout$/);
    await expect(cartLink(page, 1)).toBeVisible();
  });
});
