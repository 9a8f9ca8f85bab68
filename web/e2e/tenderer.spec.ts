// The owners' committee (tenderer) in the browser, against the demo: the
// desk with the roster's art. 278 totals (read-only), the wizard's window
// end dates computed by the server, a publish refused by the 20-day rule
// (a deadline too early: the dev clock is not moved), a tender published and
// then seen in the public list, an amendment, and an objection answered.
import { expect, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STATE } from './global-setup';
import { chinaDeadline, fillWizard, loginInBrowser, publishTenderInBrowser } from './tenderer-steps';

const server = JSON.parse(readFileSync(STATE, 'utf8')) as { passwords: Record<string, string>; port: string };
const shots = resolve(process.env.SUNBID_E2E_OUT ?? './test-results', 'screens');
const tenderer = { username: 'tenderer', password: server.passwords.tenderer! };

test('the desk shows the community and the roster totals of art. 278, read-only', async ({ page }) => {
  const me = page.waitForResponse((r) => r.url().endsWith('/api/v1/me'));
  await loginInBrowser(page, tenderer.username, tenderer.password, '/tenderer');
  const community = (await (await me).json()).community as { id: string };
  const c = await (await page.request.get(`/api/v1/communities/${community.id}`)).json();
  await expect(page.locator('[data-test=community-name]')).toContainText(c.name);
  await expect(page.locator('[data-test=roster-units]')).toHaveText(`${c.roster.units} 套`);
  await expect(page.locator('[data-test=roster-heads]')).toHaveText(`${c.roster.owners_headcount} 人`);
  const area = c.roster.total_area_centi_m2 as number;
  await expect(page.locator('[data-test=roster-area]')).toContainText(`.${String(area % 100).padStart(2, '0')} ㎡`);
  // Two thirds, rounded up, in whole owners.
  await expect(page.locator('[data-test=quorum]')).toContainText(`不少于 ${Math.ceil((2 * c.roster.owners_headcount) / 3)} 人`);
  // The units themselves, one row each, behind a summary.
  await page.locator('[data-test=roster-units-list] summary').click();
  await expect(page.locator('[data-test=roster-unit]')).toHaveCount(c.roster.units);
  // Read-only: nothing on the page writes the roster.
  await expect(page.locator('[data-test=roster] input, [data-test=roster] button')).toHaveCount(0);
  await expect(page.locator('[data-test=my-tender]').first()).toBeVisible();
});

test('a deadline too early: the preview says so and the publish refusal explains the 20-day rule', async ({ page }) => {
  await loginInBrowser(page, tenderer.username, tenderer.password, '/tenderer');
  const early = await chinaDeadline(page, 10);
  // The demo's lowest_price plan: the next test's tender follows the owners_vote one.
  await fillWizard(page, { title: '截止过早的招标（测试）', deadlineChina: early, plan: 'M4' });
  await expect(page.locator('[data-test=plan-short]')).toContainText('不足 20 日');
  const earliest = await page.locator('[data-test=plan-earliest]').textContent();
  const answer = page.waitForResponse((r) => /\/api\/v1\/tenders\/[^/]+\/publish$/.test(r.url()));
  await page.locator('[data-test=publish]').click();
  const refused = await answer;
  expect(refused.status()).toBe(422);
  const body = await refused.json();
  expect(body.error.code).toBe('deadline_too_soon');
  await expect(page.locator('[data-test=publish-error]')).toContainText(body.error.message_zh);
  await expect(page.locator('[data-test=rule-20]')).toContainText('第二十四条');
  // The earliest instant the refusal names is the one the preview showed.
  await expect(page.locator('[data-test=rule-20]')).toContainText(earliest!.trim());
  const draft = (await page.locator('[data-test=draft-id]').textContent())!.trim();
  await page.screenshot({ path: `${shots}/wizard-refused-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${shots}/wizard-refused-phone.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The draft stays a draft; continued from its page with a later deadline, it publishes.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/tenderer/tenders/${draft}`);
  await expect(page.locator('[data-test=manage-status]')).toHaveText('草稿');
  await page.locator('[data-test=continue-draft]').click();
  await expect(page.getByLabel('项目名称')).toHaveValue('截止过早的招标（测试）');
  await page.locator('[data-test=step-5]').click();
  await expect(page.getByLabel('投标截止时间（北京时间）')).toHaveValue(early);
  await page.getByLabel('投标截止时间（北京时间）').fill(await chinaDeadline(page, 21));
  await page.locator('[data-test=preview]').click();
  await expect(page.locator('[data-test=plan-ok]')).toBeVisible();
  await page.locator('[data-test=step-6]').click();
  await page.locator('[data-test=publish]').click();
  await expect(page).toHaveURL(new RegExp(`/tenderer/tenders/${draft}\\?published=1$`));
  await expect(page.locator('[data-test=manage-status]')).toHaveText('公告中（投标期）');
});

test('walk the wizard, see the computed end dates, publish, and find it in the public list', async ({ page, baseURL }) => {
  const title = `金山花园二期物业服务招标 ${Date.now() % 100000}`;
  const previews: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/tenders/preview-windows')) previews.push(r.postData() ?? '');
  });
  const id = await publishTenderInBrowser(page, { title, login: tenderer, shots });
  expect(previews.length).toBeGreaterThan(0);
  // The published tender as the server has it: the deadline the wizard showed.
  const t = await (await page.request.get(`/api/v1/tenders/${id}`)).json();
  expect(t.status).toBe('published');
  expect(t.title).toBe(title);
  expect(Date.parse(JSON.parse(previews.at(-1)!).rules.bid_deadline)).toBe(Date.parse(t.bid_deadline));
  await expect(page.locator('[data-test=manage-status]')).toHaveText('公告中（投标期）');
  await expect(page.locator('[data-test=timeline]')).toContainText('发布招标公告');

  // The public list (no session needed) shows it.
  const anon = await page.context().browser()!.newContext({ baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN' });
  const pub = await anon.newPage();
  await pub.goto('/tenders');
  await expect(pub.getByRole('link', { name: title }).first()).toBeVisible();
  await anon.close();

  // 补遗: an amendment keeps a deadline 30 days away.
  await page.locator('[data-test=amend-text]').fill('补充说明：增加电梯维保要求。');
  await page.locator('[data-test=amend-submit]').click();
  await expect(page.locator('[data-test=amended]')).toBeVisible();
  await expect(page.getByText('已发布补遗 1 次。')).toBeVisible();
  await expect(page.locator('[data-test=timeline]')).toContainText('发布补遗');

  // An enterprise objects to the documents (through the API), the committee answers in the page.
  const ent = await request.newContext({ baseURL, ignoreHTTPSErrors: true });
  const session = await ent.post('/api/v1/sessions', { data: { username: 'ent1', password: server.passwords.ent1 } });
  expect(session.status()).toBe(201);
  const token = (await session.json()).token as string;
  const filed = await ent.post(`/api/v1/tenders/${id}/objections`, {
    data: { text: '资格条件中的星级要求过高，排斥潜在投标人。' },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(filed.status()).toBe(201);
  await ent.dispose();
  await page.reload();
  await expect(page.locator('[data-test=objection]')).toContainText('资格条件中的星级要求过高');
  await page.locator('[data-test=answer-text]').fill('星级要求依据服务等级确定，不作修改。');
  await page.locator('[data-test=answer-submit]').click();
  await expect(page.locator('[data-test=answered]')).toContainText('不作修改');
  await expect(page.locator('[data-test=timeline]')).toContainText('答复异议');
  for (const [name, size] of Object.entries({ desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } })) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${shots}/tender-manage-published-${name}.png`, fullPage: true });
  }
});
