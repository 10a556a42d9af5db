/**
 * The playground in a real browser (Debian's Chromium through playwright-core): a newcomer's whole lifecycle by
 * typing and clicking — request, edit the draft (a refused save first), mark as sent, then as the customer accept,
 * approve admin access, revoke it and remove the relationship — checking what is on screen at each step; then the
 * request form with a mistake, and the same conversation at 1024 and 390 px wide. The final screen is saved as
 * test/artifacts/playground.png.
 */
import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { startTestApp } from '../support/app.js';
import { browserMissing, launchChromium } from '../support/browser.js';
import { eventually } from '../support/eventually.js';

const missing = browserMissing();
const SCREENSHOT = join(PACKAGE_ROOT, 'test', 'artifacts', 'playground.png');
const RESELLER_LINK_START = 'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship';

/** Wait for the line a saved draft puts on its card ("Draft saved by Avery Howard · 23 Nov 2026, 10:04 UTC"). */
async function draftSavedLine(card: Locator, name: string): Promise<string> {
  const line = card.getByText(`Draft saved by ${name} · `);
  await line.waitFor();
  return (await line.textContent()) ?? '';
}
const SAVED_AT = / · \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/;

/** The few DOM members the checks below read in the page (the tests compile without the DOM library). */
interface Rect {
  readonly left: number;
  readonly right: number;
}
interface DomElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly textContent: string | null;
  readonly firstElementChild: DomElement | null;
  getBoundingClientRect(): Rect;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
}

/** Card buttons that are cut off: sticking out of their card, or too narrow for their title. */
function clippedButtons(where: Page): Promise<string[]> {
  return where.locator('.card').evaluateAll((cards) =>
    (cards as unknown as DomElement[]).flatMap((card) => {
      const edge = card.getBoundingClientRect();
      return Array.from(card.querySelectorAll('.ac-pushButton'))
        .filter((button) => {
          const box = button.getBoundingClientRect();
          const title = button.firstElementChild ?? button;
          return box.left < edge.left - 0.5 || box.right > edge.right + 0.5 || title.scrollWidth > title.clientWidth;
        })
        .map((button) => button.textContent ?? '');
    }),
  );
}

/**
 * How an input is marked as invalid: the background of the card container that holds it and the problem's text (the
 * request form puts an invalid field in an "attention" container); '' when it sits directly in the card.
 */
function highlightOf(input: Locator, problem: string): Promise<string> {
  return input.evaluate((element, text) => {
    const field = element as unknown as DomElement;
    const card = field.closest('.ac-adaptiveCard');
    const box = field.closest('.ac-container');
    if (!card || !box || box === card || !(box.textContent ?? '').includes(text)) return '';
    const view = globalThis as unknown as { getComputedStyle(e: DomElement): { backgroundColor: string } };
    const color = view.getComputedStyle(box).backgroundColor;
    return color === 'rgba(0, 0, 0, 0)' || color === view.getComputedStyle(card).backgroundColor ? '' : color;
  }, problem);
}

describe(missing ? `playground in a browser (skipped: ${missing})` : 'playground in a browser', function () {
  let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let userName = '';
  const pageErrors: string[] = [];
  /** The customer panel's list of requests, held back on demand: it lags the cards, as on a slow network. */
  const list = { holding: false, held: [] as (() => void)[], asked: 0 };
  const releaseList = () => {
    for (const release of list.held.splice(0)) release();
  };

  before(async function () {
    if (missing) this.skip();
    t = await startTestApp();
    userName = ((await (await fetch(new URL('/playground/config', t.url))).json()) as { user: { name: string } }).user
      .name;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.route('**/playground/requests', async (route) => {
      list.asked++;
      if (list.holding) await new Promise<void>((resolve) => list.held.push(resolve));
      await route.continue();
    });
    await page.goto(t.url);
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async () => {
    list.holding = false;
    releaseList();
    await browser?.close();
    await t?.stop();
  });

  const chat = () => page.locator('#chat-messages');
  const channel = () => page.locator('#channel-messages');
  /** the bot's message in the chat that holds a card for this customer */
  const cardFor = (customer: string): Locator =>
    chat()
      .locator('li[data-role="bot"]')
      .filter({ has: page.getByText(customer, { exact: true }) });
  const notices = (title: string) => channel().locator('li[data-role="bot"]').filter({ hasText: title });
  const act = async (what: string) => {
    await page.locator(`button[data-act="${what}"]`).click();
    await page.getByRole('status').filter({ hasText: 'done (' }).first().waitFor();
  };

  it('subscribes #notifications on first visit and says so in the channel', async () => {
    await channel().getByText('This channel will now get notifications').waitFor();
    await channel().locator('li[data-role="user"]').getByText('@Partner Relationship Bot subscribe').waitFor();
  });

  it('posts the request card for a typed command, rendered by the Adaptive Cards renderer', async () => {
    await page.fill('#composer-text', 'request relationship Contoso Ltd admin@contoso.com domain contoso.com');
    await page.press('#composer-text', 'Enter');
    const card = cardFor('Contoso Ltd');
    await card.waitFor();
    assert.equal(await card.locator('.ac-adaptiveCard').count(), 1, 'the official renderer drew the card');
    await card.getByText('Draft — email not sent yet').waitFor();
    await card.getByText('Pending customer approval').waitFor();
    await card.getByText(RESELLER_LINK_START, { exact: false }).first().waitFor();
    for (const button of ['Save draft', 'Mark as sent', 'Cancel request']) {
      assert.equal(await card.getByRole('button', { name: button }).count(), 1, button);
    }
    // Action.OpenUrl (the mailto:) is drawn as a button with the link role
    assert.equal(await card.getByRole('link', { name: 'Open in email app' }).count(), 1);
    assert.deepEqual(await clippedButtons(page), [], 'every button whole, inside its card');
    assert.equal(await card.getByText(/^Draft saved by/).count(), 0, 'nobody saved the draft yet');
    // what the user typed is in the chat, before the answer
    await chat().locator('li[data-role="user"]').getByText('request relationship Contoso Ltd').waitFor();
  });

  it('refuses a draft without the reseller link and shows why, changing nothing', async () => {
    const card = cardFor('Contoso Ltd');
    const draft = card.locator('textarea');
    await draft.fill('Hello, please accept our invitation.');
    await card.getByRole('button', { name: 'Save draft' }).click();
    const result = card.locator('.invoke-result-error');
    await result.waitFor();
    assert.match(String(await result.textContent()), /Save draft → 400: .*reseller (relationship )?link/i);
    await card.getByText('Draft — email not sent yet').waitFor();
  });

  it('saves an edited draft that keeps the link (invoke answered with the updated card)', async () => {
    const card = cardFor('Contoso Ltd');
    // the refused text is still in the input, as in Teams; a reload shows the card as the bot last sent it
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const draft = card.locator('textarea');
    const original = await draft.inputValue();
    assert.ok(original.includes(RESELLER_LINK_START), 'the default draft carries the link');
    await draft.fill(original.replace(/^Hello,/, 'Hi Megan,'));
    await card.getByRole('button', { name: 'Save draft' }).click();
    await card.locator('.invoke-result').filter({ hasText: 'Save draft → 200: card updated' }).waitFor();
    assert.match(await card.locator('textarea').inputValue(), /^Hi Megan,/);
    // on the card itself: who saved it and when
    assert.match(await draftSavedLine(card, userName), SAVED_AT);
  });

  it('marks the email as sent: the card says so and no longer offers Mark as sent', async () => {
    const card = cardFor('Contoso Ltd');
    await card.getByRole('button', { name: 'Mark as sent' }).click();
    await card.getByText('Sent — waiting for the customer').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Mark as sent' }).count(), 0);
    assert.equal(await card.getByRole('button', { name: 'Cancel request' }).count(), 1, 'still open');
    assert.match(await card.locator('textarea').inputValue(), /^Hi Megan,/, 'the saved draft is kept');
    assert.match(await draftSavedLine(card, userName), SAVED_AT);
  });

  it('as the customer, accepting notifies #notifications once and updates the card in place', async () => {
    const select = page.locator('#customer-request');
    await select.locator('option', { hasText: 'Contoso Ltd · sent' }).waitFor({ state: 'attached' });
    // From here the panel's list is held back: it still shows the request as sent, with no tenant, after the card
    // says accepted. A click must act on the request as the bot has it, so it asks again (let through here).
    list.holding = true;
    const asked = list.asked;
    await page.locator('button[data-act="accept"]').click();
    await eventually(() => (list.asked > asked ? true : undefined), 'the panel asking for the current requests');
    releaseList();
    await page.getByRole('status').filter({ hasText: 'done (' }).first().waitFor();
    await notices('Customer accepted the reseller relationship').waitFor();
    await cardFor('Contoso Ltd').getByText('Accepted by the customer').waitFor();
    assert.equal(await cardFor('Contoso Ltd').count(), 1, 'updated in place, not posted again');
  });

  it('approving admin access, from a list that lags the card, approves as the customer that accepted', async () => {
    assert.equal(await page.locator('#customer-request option', { hasText: 'Contoso Ltd · sent' }).count(), 1, 'stale');
    const asked = list.asked;
    await page.locator('button[data-act="approve"]').click();
    await eventually(() => (list.asked > asked ? true : undefined), 'the panel asking for the current requests');
    list.holding = false;
    releaseList();
    await page.getByRole('status').filter({ hasText: 'done (' }).first().waitFor();
    await notices('Admin access (GDAP) approved').waitFor();
    await cardFor('Contoso Ltd')
      .getByText(/^Granted — /)
      .waitFor();
    const accepted = [...(t?.app.emulator?.state.customers.values() ?? [])].filter(
      (c) => c.companyName === 'Contoso Ltd',
    );
    assert.equal(accepted.length, 1, 'one Contoso tenant in Partner Center: the one that accepted also approved');
  });

  it('revoking admin access notifies once, with the Cloud Reseller Agreement reminder', async () => {
    await page.locator('button[data-act="terminate"]:enabled').waitFor();
    await act('terminate');
    const revoked = notices('Admin access (GDAP) revoked');
    await revoked.waitFor();
    await revoked.getByText('Cloud Reseller Agreement', { exact: false }).waitFor();
    await cardFor('Contoso Ltd').getByText('Revoked', { exact: true }).waitFor();
  });

  it('removing the relationship runs the reconciler and notifies once', async () => {
    await page.locator('button[data-act="remove"]:enabled').waitFor();
    await act('remove');
    await notices('Reseller relationship removed').waitFor();
    await cardFor('Contoso Ltd').getByText('Relationship removed').waitFor();
  });

  it('a customer registered under a longer name: the notice asks, one click links it, in place', async () => {
    await page.fill('#composer-text', 'request relationship Northwind it@northwind.com domain northwind.com');
    await page.press('#composer-text', 'Enter');
    await cardFor('Northwind').waitFor();
    const select = page.locator('#customer-request');
    const option = select.locator('option', { hasText: 'Northwind · draft' });
    await option.waitFor({ state: 'attached' });
    await select.selectOption({ label: (await option.textContent()) ?? '' });
    await act('accept-other');
    const notice = notices('A customer accepted, but no open request matches');
    await notice.getByText('Northwind Trading Holding GmbH', { exact: false }).first().waitFor();
    await notice.getByText('northwindtradingholdinggmb', { exact: false }).first().waitFor();
    await notice.getByRole('button', { name: /— Northwind$/ }).click();
    await notice.getByText('Linked to', { exact: false }).waitFor();
    assert.equal(await notice.getByRole('button', { name: /— Northwind$/ }).count(), 0, 'the buttons gave way');
    await cardFor('Northwind').getByText('Accepted by the customer').waitFor();
    await cardFor('Northwind').getByText('Registered name').waitFor();
    assert.equal(await notices('A customer accepted, but no open request matches').count(), 1, 'one notice');
  });

  it('the request form highlights an invalid field, its problem right under it; fixed, it becomes the card', async () => {
    await page.fill('#composer-text', 'request relationship');
    await page.press('#composer-text', 'Enter');
    const asked = chat().locator('li[data-role="bot"]').filter({ hasText: 'Who should receive' });
    await asked.waitFor();
    const form = chat().locator(`li[data-id="${(await asked.getAttribute('data-id')) ?? ''}"]`);
    await form.getByLabel('Customer name').fill('Fabrikam');
    await form.getByLabel('Contact email').fill('not-an-email');
    await form.getByRole('button', { name: 'Create request' }).click();
    const PROBLEM = '"not-an-email" is not an email address';
    const problem = form.getByText(PROBLEM, { exact: false });
    await problem.waitFor();
    await form.getByText('Please check the highlighted fields.').waitFor();

    const email = form.getByLabel('Contact email');
    assert.equal(await email.inputValue(), 'not-an-email', 'what was typed is kept');
    const input = await email.boundingBox();
    const text = await problem.boundingBox();
    assert.ok(input && text);
    const gap = text.y - (input.y + input.height);
    assert.ok(gap >= 0 && gap < 16, `the problem is right under the field (${gap} px below it)`);
    assert.ok(text.x < input.x + input.width && text.x + text.width > input.x, 'and in line with it');
    assert.notEqual(await highlightOf(email, PROBLEM), '', 'the field and its problem are highlighted');
    assert.equal(await highlightOf(form.getByLabel('Customer name'), ''), '', 'a valid field is not');

    await email.fill('it@fabrikam.example');
    await form.getByRole('button', { name: 'Create request' }).click();
    await form.getByText('Draft — email not sent yet').waitFor();
    await cardFor('Fabrikam').getByRole('button', { name: 'Cancel request' }).waitFor();
    assert.deepEqual(await clippedButtons(page), [], 'every button whole, inside its card');
  });

  /** The same conversation in a new window of this size, once it shows every message this window does. */
  async function openAt(width: number): Promise<Page> {
    if (!browser || !t) throw new Error('the browser and the app are started in before()');
    const other = await browser.newPage({ viewport: { width, height: 900 } });
    other.setDefaultTimeout(15_000);
    other.on('pageerror', (err) => pageErrors.push(err.message));
    await other.goto(t.url);
    await other.waitForSelector('body[data-ready="true"]');
    const messages = await chat().locator(':scope > li').count();
    // the page draws all it is sent at once, cards included
    await other
      .locator('#chat-messages > li')
      .nth(messages - 1)
      .waitFor();
    return other;
  }

  it('at 1024 px the chat is at least as wide as the side panel, and no button is cut off', async () => {
    const narrow = await openAt(1024);
    try {
      const chatBox = await narrow.locator('#chat').boundingBox();
      const sideBox = await narrow.locator('.side').boundingBox();
      assert.ok(chatBox && sideBox);
      assert.ok(chatBox.width >= sideBox.width, `chat ${chatBox.width} px, side panel ${sideBox.width} px`);
      assert.deepEqual(await clippedButtons(narrow), []);
    } finally {
      await narrow.close();
    }
  });

  it('at 390 px the page does not scroll sideways, the panels stack and no button is cut off', async () => {
    const phone = await openAt(390);
    try {
      const scrollWidth = await phone.locator('html').evaluate((html) => (html as unknown as DomElement).scrollWidth);
      assert.ok(scrollWidth <= 390, `the page is ${scrollWidth} px wide`);
      const chatBox = await phone.locator('#chat').boundingBox();
      const sideBox = await phone.locator('.side').boundingBox();
      assert.ok(chatBox && sideBox);
      assert.ok(sideBox.y >= chatBox.y + chatBox.height - 1, 'the side panel comes under the chat');
      assert.deepEqual(await clippedButtons(phone), []);
    } finally {
      await phone.close();
    }
  });

  it('shows each notification exactly once, survives a reload, and saves the final screen', async () => {
    await t?.app.worker.idle();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await notices('Reseller relationship removed').waitFor();
    const titles = await channel().locator('li[data-role="bot"]').allTextContents();
    const count = (title: string) => titles.filter((text) => text.includes(title)).length;
    assert.deepEqual(
      {
        accepted: count('Customer accepted the reseller relationship'),
        approved: count('Admin access (GDAP) approved'),
        revoked: count('Admin access (GDAP) revoked'),
        removed: count('Reseller relationship removed'),
      },
      { accepted: 1, approved: 1, revoked: 1, removed: 1 },
    );
    await page.locator('#customer-request option', { hasText: 'Contoso Ltd · removed' }).waitFor({ state: 'attached' });
    // the card's head (status, admin access) at the top of the chat
    await cardFor('Contoso Ltd').evaluate((item) => {
      (item as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' });
    });
    await mkdir(join(PACKAGE_ROOT, 'test', 'artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });
});
