// The owners' committee's browser steps, shared by the specs: draft and
// publish a tender through the wizard (招标向导), reading the window end dates
// the server computed. Other journeys (the enterprises' sealed bids) start
// from the tender this publishes.
import { expect, type Page } from '@playwright/test';

export interface PublishOptions {
  title: string;
  // Log in first (else the page's session must already be the tenderer's).
  login?: { username: string; password: string };
  // The passed selection plan (选聘方案) to follow; default the demo's
  // owners_vote plan that no tender follows yet (server/src/demo.cc: M1 and
  // M2 are the seeded tenders', M4 a lowest_price plan).
  plan?: string;
  tier?: string; // default: the first tier of the table
  method?: 'owners_vote' | 'composite_score' | 'lowest_price' | 'lottery' | 'committee_vote' | 'vote_then_lottery';
  // "YYYY-MM-DDTHH:mm" China time; default 10:00 on the server's date + 30 days.
  deadlineChina?: string;
  minValidBids?: number;
  // Where to save a screenshot of each step (none when absent).
  shots?: string;
}

// The server's clock (the demo's dev clock may differ from the machine's).
export async function serverNow(page: Page): Promise<number> {
  const r = await page.request.get('/api/v1/health');
  expect(r.ok()).toBeTruthy();
  return Date.parse(((await r.json()) as { time: string }).time);
}

// 10:00 China time on the China date `days` after the server's today.
export async function chinaDeadline(page: Page, days: number): Promise<string> {
  const now = await serverNow(page);
  const d = new Date(now + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
  return `${d}T10:00`;
}

export async function loginInBrowser(page: Page, username: string, password: string, to: string): Promise<void> {
  await page.goto(`/login?redirect=${encodeURIComponent(to)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(new RegExp(to.replace(/[/?]/g, '\\$&') + '$'));
}

// Fills the wizard's six steps up to the publish step — first the owners'
// selection plan, which fills the tier, budget, term, thresholds and
// decision — computing the window end dates on the way (POST
// /tenders/preview-windows).
export async function fillWizard(page: Page, o: PublishOptions): Promise<void> {
  if (o.login) await loginInBrowser(page, o.login.username, o.login.password, '/tenderer/new');
  else await page.goto('/tenderer/new');
  const deadline = o.deadlineChina ?? (await chinaDeadline(page, 30));
  await expect(page.getByLabel('选聘方案议题')).toBeVisible();
  await page.getByLabel('选聘方案议题').selectOption(o.plan ?? 'M3');
  await expect(page.locator('[data-test=sel-plan]')).toContainText('每平方米每月');
  if (o.shots) await page.screenshot({ path: `${o.shots}/wizard-0-plan.png`, fullPage: true });
  await page.locator('[data-test=next]').click();
  await expect(page.getByLabel('项目名称')).toBeVisible();
  await page.getByLabel('项目名称').fill(o.title);
  if (o.tier) await page.getByLabel('服务等级').selectOption(o.tier);
  await expect(page.locator('[data-test=tier-range]')).toContainText('每平方米每月');
  if (o.shots) await page.screenshot({ path: `${o.shots}/wizard-1-basics.png`, fullPage: true });
  await page.locator('[data-test=next]').click();
  if (o.minValidBids !== undefined) await page.getByLabel('有效投标下限').fill(String(o.minValidBids));
  await page.locator('[data-test=next]').click();
  if (o.method) await page.getByLabel('定标方法').selectOption(o.method);
  await page.locator('[data-test=next]').click();
  await page.getByLabel('投标截止时间（北京时间）').fill(deadline);
  const preview = page.waitForResponse((r) => r.url().endsWith('/api/v1/tenders/preview-windows'));
  await page.locator('[data-test=preview]').click();
  expect((await preview).status()).toBe(200);
  await expect(page.locator('[data-test=plan-deadline]')).toHaveText(deadline.replace(/-/g, '/').replace('T', ' '));
  if (o.shots) await page.screenshot({ path: `${o.shots}/wizard-4-windows.png`, fullPage: true });
  await page.locator('[data-test=next]').click();
  await expect(page.locator('[data-test=publish]')).toBeVisible();
}

// Drafts and publishes a tender in the browser as the community's tenderer;
// returns the new tender's id.
export async function publishTenderInBrowser(page: Page, o: PublishOptions): Promise<string> {
  await fillWizard(page, o);
  await expect(page.locator('[data-test=plan-ok]')).toBeVisible();
  await page.locator('[data-test=publish]').click();
  await expect(page).toHaveURL(/\/tenderer\/tenders\/[^/?]+\?published=1$/);
  await expect(page.locator('[data-test=published-ok]')).toBeVisible();
  const id = (await page.locator('[data-test=manage-id]').textContent())!.trim();
  if (o.shots) await page.screenshot({ path: `${o.shots}/wizard-published.png`, fullPage: true });
  return id;
}
