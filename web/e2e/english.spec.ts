// English through the switch on the main pages: after the switch, no text of
// the page is Chinese except the data the API sent (tender titles, names,
// addresses, server-side texts) and the switch's own label (中文, the name of
// the other language). Every string of every JSON answer the page received is
// taken out of the page's text first; what is left must hold no Han character.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { STATE } from './global-setup';

const server = JSON.parse(readFileSync(STATE, 'utf8')) as { passwords: Record<string, string> };
const HAN = /\p{Script=Han}+/gu;
const HAS_HAN = /\p{Script=Han}/u;

// Every string value in an API answer (and inside strings that are JSON
// themselves, such as an entry's canonical bytes).
function strings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    out.add(v);
    if (v.startsWith('{') || v.startsWith('[')) {
      try {
        strings(JSON.parse(v), out);
      } catch {
        /* not JSON */
      }
    }
  } else if (Array.isArray(v)) {
    for (const x of v) strings(x, out);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) strings(x, out);
  }
}

// Collects the strings of the API answers the page receives into the set
// `into.data`, which the caller replaces before each page.
function collect(page: Page, into: { data: Set<string> }): void {
  page.on('response', async (r) => {
    if (!r.url().includes('/api/v1/') || !(r.headers()['content-type'] ?? '').includes('json')) return;
    const data = into.data;
    try {
      strings(await r.json(), data);
    } catch {
      /* no body (e.g. a redirect) */
    }
  });
}

// The Han runs left on the page once the API's data is taken out.
async function chineseLeft(page: Page, data: Set<string>): Promise<string[]> {
  let text = await page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll('[data-test=lang]').forEach((e) => e.remove());
    return body.innerText;
  });
  for (const s of [...data].filter((x) => HAS_HAN.test(x)).sort((a, b) => b.length - a.length)) text = text.split(s).join(' ');
  // Data the pages join: lists joined with 、 and names split into parts.
  for (const s of data) for (const part of s.split(/[、，,；;\s]+/)) if (part.length > 1) text = text.split(part).join(' ');
  return [...new Set(text.match(HAN) ?? [])];
}

const pages: { path: string; user?: string; ready: string }[] = [
  { path: '/tenders', ready: '[data-test=tender-row]' },
  { path: '/tenders/T1', ready: '[data-test=rules]' },
  { path: '/tenders/T1/opening', ready: '[data-test=not-yet]' },
  { path: '/tenders/T2/candidates', ready: '[data-test=candidates]' },
  { path: '/tenders/T2/award', ready: '[data-test=not-yet]' },
  { path: '/vote/motion/M1', ready: 'h1' },
  { path: '/audit', ready: 'h1' },
  { path: '/verify#index=1', ready: 'h1' },
  { path: '/login', ready: 'form' },
  { path: '/company', user: 'ent1', ready: '[data-test=credit-grade]' },
  { path: '/tenders/T1/bid', user: 'ent1', ready: '[data-test=my-bid]' },
  { path: '/account', user: 'ent1', ready: '[data-test=account-role]' },
  { path: '/tenderer', user: 'tenderer', ready: 'h1' },
  { path: '/owner', user: 'owner1', ready: 'h1' },
];

// One browser context per user (one login, one switch to English), its
// pages in turn: each page is judged with the API data of its own load only.
for (const user of [...new Set(pages.map((p) => p.user))]) {
  test(`English: ${user ? `as ${user}, ` : ''}${pages.filter((p) => p.user === user).map((p) => p.path).join(', ')} hold no Chinese of their own`, async ({ page }) => {
    if (user) {
      await page.goto('/login');
      await page.getByLabel('用户名').fill(user);
      await page.getByLabel('密码', { exact: true }).fill(server.passwords[user]!);
      await page.getByRole('button', { name: '登录' }).click();
      await expect(page).toHaveURL(/\/(account|owner)$/);
    }
    await page.goto('/tenders');
    await page.locator('[data-test=lang]').click();
    await expect(page.getByRole('heading', { name: 'Tenders' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    const into = { data: new Set<string>() };
    collect(page, into);
    for (const p of pages.filter((x) => x.user === user)) {
      into.data = new Set<string>();
      await page.goto(p.path);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('[data-test=loading]')).toHaveCount(0);
      await expect(page.locator(p.ready).first()).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.lang), `${p.path} keeps English`).toBe('en');
      expect(await chineseLeft(page, into.data), `${p.path} in English`).toEqual([]);
    }
  });
}
