// The web app in Debian's Chromium against a real sunbid (--demo --dev-clock):
// the public list in Chinese, the notice, the filters, the cookie login, a
// 401 back to the login keeping the route, the language switch, axe on every
// route of the router table, and screenshots at 1366×768 and 390×844.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { routeTable } from '../src/routes';
import { seriousViolations } from './axe';
import { STATE } from './global-setup';

const server = JSON.parse(readFileSync(STATE, 'utf8')) as { passwords: Record<string, string> };
const shots = resolve(process.env.SUNBID_E2E_OUT ?? './test-results', 'screens');
const viewports = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

// Every CSP violation ("Refused to …") or page error fails the test that saw
// it; an API error answer the page shows on purpose is no problem.
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

async function login(page: Page, user: string): Promise<void> {
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码', { exact: true }).fill(server.passwords[user]!);
  await page.getByRole('button', { name: '登录' }).click();
}

test('the public tender list renders in Chinese, with its filters', async ({ page }) => {
  const problems = watch(page);
  const t0 = Date.now();
  await page.goto('/tenders');
  await expect(page.getByRole('heading', { name: '招标公告' })).toBeVisible();
  await expect(page.getByRole('link', { name: /金山花园物业服务项目招标/ })).toBeVisible();
  await expect(page.locator('[data-test=tender-row]').getByText('公告中（投标期）')).toBeVisible();
  await expect(page.getByText('金山花园（湖里区）').first()).toBeVisible();
  const load = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  console.log(`tender list: load event at ${Math.round(load)} ms, list visible ${Date.now() - t0} ms after navigation`);
  // Filters: district and tier hit, another district is empty.
  await page.getByLabel('区', { exact: true }).fill('湖里区');
  await page.getByLabel('服务等级').selectOption('T2');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/district=/);
  // The demo's two T2 tenders of 湖里区: T1 in its bidding period, T2 in its owners' vote.
  await expect(page.locator('[data-test=tender-row]')).toHaveCount(2);
  await page.getByLabel('区', { exact: true }).fill('海沧区');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('[data-test=empty]')).toBeVisible();
  // The server's own message on an error (an unknown status in the address).
  await page.goto('/tenders?status=bogus');
  await expect(page.locator('[data-test=error]')).toContainText('状态无效');
  expect(problems).toEqual([]);
});

test('the tender notice: rules in plain Chinese, China time, a countdown', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/tenders');
  await page.getByRole('link', { name: /金山花园物业服务项目招标/ }).first().click();
  await expect(page).toHaveURL(/\/tenders\/T1$/);
  await expect(page.locator('[data-test=decision]')).toContainText('三分之二');
  await expect(page.locator('[data-test=rules]')).toContainText('每平方米每月 1.80 元至 3.00 元');
  // The demo sets T1's deadline 25 days after its start at 10:00 China time:
  // the page shows the API's instant in China time (UTC+8), whatever the day.
  const t1 = await (await page.request.get('/api/v1/tenders/T1')).json();
  const china = new Date(Date.parse(t1.bid_deadline) + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const shown = `${china.getUTCFullYear()}/${two(china.getUTCMonth() + 1)}/${two(china.getUTCDate())} ${two(china.getUTCHours())}:${two(china.getUTCMinutes())}`;
  expect(shown.endsWith(' 10:00')).toBe(true);
  await expect(page.locator('[data-test=deadline]')).toHaveText(shown);
  const first = await page.locator('[data-test=countdown]').textContent();
  await page.waitForTimeout(1100);
  expect(await page.locator('[data-test=countdown]').textContent()).not.toBe(first);
  expect(first).toMatch(/天/);
  expect(problems).toEqual([]);
});

test('login with the HttpOnly cookie; a 401 returns to the login keeping the route', async ({ page, context }) => {
  const problems = watch(page);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)account$/);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions') && r.request().method() === 'POST');
  await login(page, 'tenderer');
  const r = await answer;
  expect(r.status()).toBe(201);
  expect(await r.json()).not.toHaveProperty('token');
  expect(r.request().postDataJSON()).toMatchObject({ cookie: true });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('[data-test=account-role]')).toHaveText('业主委员会（招标人）');
  const cookie = (await context.cookies()).find((c) => c.name === '__Host-sunbid_session');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('sunbid_session');

  // The session ends behind the page's back: the next call is a 401.
  await context.clearCookies();
  await page.locator('[data-test=logout]').click();
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)account&expired=1$/);
  await expect(page.getByText('登录已过期')).toBeVisible();
  await login(page, 'tenderer');
  await expect(page).toHaveURL(/\/account$/);

  // Logout clears the cookie.
  await page.locator('[data-test=logout]').click();
  await expect(page).toHaveURL(/\/tenders$/);
  expect((await context.cookies()).find((c) => c.name === '__Host-sunbid_session')).toBeUndefined();
  // A wrong password shows the server's message.
  await page.goto('/login');
  await page.getByLabel('用户名').fill('tenderer');
  await page.getByLabel('密码', { exact: true }).fill('wrong-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('[data-test=login-error]')).toHaveText('用户名或密码错误');
  expect(problems).toEqual([]);
});

test('English through the switch; the API errors in English too', async ({ page }) => {
  await page.goto('/tenders?status=bogus');
  await page.locator('[data-test=lang]').click();
  await expect(page.getByRole('heading', { name: 'Tenders' })).toBeVisible();
  await expect(page.locator('[data-test=error]')).toContainText('unknown status');
  await page.locator('[data-test=lang]').click();
  await expect(page.getByRole('heading', { name: '招标公告' })).toBeVisible();
});

for (const row of routeTable) {
  test(`axe and screenshots: ${row.name} (${row.sample})`, async ({ page }) => {
    const problems = watch(page);
    if (row.auth) {
      await page.goto('/login');
      await login(page, row.role ?? 'ent1');
      await expect(page).toHaveURL(/\/(account|owner)$/);  // owners land on 我的表决
    }
    for (const [name, size] of Object.entries(viewports)) {
      await page.setViewportSize(size);
      await page.goto(row.sample);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('[data-test=loading]')).toHaveCount(0);
      await page.screenshot({ path: `${shots}/${row.name}-${name}.png`, fullPage: true });
      // Nothing overflows sideways at either width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${row.name} overflows at ${name}`).toBeLessThanOrEqual(0);
      const bad = await seriousViolations(page);
      expect(bad, `${row.name} at ${name}: ${JSON.stringify(bad)}`).toEqual([]);
    }
    expect(problems).toEqual([]);
  });
}
