// The account page reads GET /me: an owner (the demo's owner1, two flats)
// sees their units and weight in plain words on a phone, and what is open for
// their vote: the demo's owners' vote tender and its motion, each linking to
// its ballot page.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STATE } from './global-setup';

const server = JSON.parse(readFileSync(STATE, 'utf8')) as { passwords: Record<string, string> };
const shots = resolve(process.env.SUNBID_E2E_OUT ?? './test-results', 'screens');

test('an owner sees their units, area and head, and what is open for their vote (GET /me)', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/login?redirect=/account');
  await page.getByLabel('用户名').fill('owner1');
  await page.getByLabel('密码', { exact: true }).fill(server.passwords.owner1!);
  const me = page.waitForResponse((r) => r.url().endsWith('/api/v1/me'));
  await page.getByRole('button', { name: '登录' }).click();
  const answer = await (await me).json();
  await expect(page.locator('[data-test=account-role]')).toHaveText('业主');
  await expect(page.locator('[data-test=account-community]')).toContainText('金山花园');
  expect(answer.owner.units.map((u: { unit: string }) => u.unit)).toEqual(['1-201', '1-202']);
  await expect(page.locator('[data-test=owner-weight]')).toContainText('计 1 人');
  const area = answer.owner.area_centi_m2 as number;
  await expect(page.locator('[data-test=owner-weight]')).toContainText(`${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')} 平方米`);
  // The demo's owners' vote tender and its motion are open (the demo seeds their past).
  expect(answer.owner.open_votes.map((v: { kind: string }) => v.kind).sort()).toEqual(['motion', 'tender']);
  await expect(page.locator('[data-test=open-vote]')).toHaveCount(2);
  await page.screenshot({ path: `${shots}/account-owner-phone.png`, fullPage: true });
});
