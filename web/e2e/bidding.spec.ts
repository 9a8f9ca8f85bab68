// Sealed bidding in the browser (issue 15, Company): on a server of its own
// (its own port, data dir and dev clock, so the shared demo server's clock is
// untouched), the tenderer publishes a fresh tender through the API; three
// demo companies see it on 我的企业, seal bids in the page and download their
// opening files; one checks its receipt's inclusion proof under the pinned
// key, one replaces its bid (the old file then no longer matches), one
// withdraws and bids again; the admin moves the dev clock past the deadline;
// each company reveals from its file after the page showed the match; the
// clock passes the reveal window and the public sees the opening record with
// the three prices. Every request the pages sent is recorded: none before
// the first reveal carries a price (fen or yuan) or a plan text.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { seriousViolations } from './axe';
import { advanceDevClock, type ApiServer, type CreatedTender } from './fixtures';
import { publishTenderInBrowser } from './tenderer-steps';
import { startSunbid, stopSunbid, type Sunbid } from './global-setup';

const port = process.env.SUNBID_E2E_BID_PORT ?? '18744';
const baseURL = `https://127.0.0.1:${port}`;
const out = resolve(process.env.SUNBID_E2E_OUT ?? './test-results');
const shots = resolve(out, 'screens');
const files = resolve(out, 'opening-files');
const viewports = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

interface Company {
  user: string;
  uscc: string;
  name: string; // as registered (the demo)
  price: string; // yuan as typed
  fen: number;
  plan: string;
  staffing: string[]; // 保安, 保洁, 客服
  file?: string; // the opening file that opens its live bid
}

const companies: Company[] = [
  { user: 'ent1', uscc: '91350200776049653A', name: '厦门鹭岛物业服务有限公司', price: '2.37', fen: 237, plan: '鹭岛方案：24小时门岗，电梯每日巡检', staffing: ['6', '4', '2'] },
  { user: 'ent2', uscc: '91350500798359476R', name: '漳州九龙江物业管理有限公司', price: '2.58', fen: 258, plan: '九龙江方案：每日两次清扫，绿化每周修剪', staffing: ['5', '5', '1'] },
  { user: 'ent3', uscc: '91350503MA31DKY80A', name: '厦门海湾物业有限公司', price: '2.64', fen: 264, plan: '海湾方案：智能门禁，夜间双人巡逻', staffing: ['7', '3', '2'] },
];
const documents = [
  { name: '服务方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('plan') },
  { name: '营业执照.pdf', mimeType: 'application/pdf', buffer: Buffer.from('licence') },
];

let server: Sunbid;
let api: ApiServer;
let tender: CreatedTender;

// Every request any page sent, with the journey's phase when it was sent.
const sent: { phase: 'sealed' | 'revealing'; method: string; url: string; body: string }[] = [];
let phase: 'sealed' | 'revealing' = 'sealed';

// Step 1 of the journey: the demo's tenderer drafts and publishes the tender
// in the browser (招标向导), a lowest-price tender whose bids close 30 days on.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  server = await startSunbid(port);
  api = { baseURL, passwords: server.passwords };
  // The tenderer's own context: its requests are not the companies' (the
  // journey's record of what the bidding pages sent starts with them).
  const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: viewports.desktop });
  const page = await context.newPage();
  const title = '海湾花园物业服务项目招标（浏览器投标测试）';
  const id = await publishTenderInBrowser(page, {
    title,
    login: { username: 'tenderer', password: server.passwords.tenderer! },
    // The demo's lowest_price plan (server/src/demo.cc), which fixes the method.
    plan: 'M4',
    minValidBids: 3,
  });
  const r = await page.request.get(`/api/v1/tenders/${id}`);
  expect(r.ok()).toBeTruthy();
  const t = (await r.json()) as { title: string; status: string; rules: { bid_deadline: string; reveal_window_s: number } };
  expect(t.status).toBe('published');
  tender = { id, title: t.title, bidDeadlineMs: Date.parse(t.rules.bid_deadline), revealWindowS: t.rules.reveal_window_s };
  await context.close();
  mkdirSync(files, { recursive: true });
});
test.afterAll(async () => {
  if (server) await stopSunbid(server);
});

async function browse(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, viewport: viewports.desktop });
  context.on('request', (r) => sent.push({ phase, method: r.method(), url: r.url(), body: r.postData() ?? '' }));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { context, page, problems };
}

async function login(page: Page, user: string, to: string): Promise<void> {
  await page.goto(`/login?redirect=${encodeURIComponent(to)}`);
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码', { exact: true }).fill(server.passwords[user]!);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(new RegExp(to.replace(/[/]/g, '\\/') + '$'));
}

// Both widths: a full-page PNG, nothing overflows sideways, and axe finds
// no serious or critical violation in this state of the page.
async function shoot(page: Page, name: string): Promise<void> {
  for (const [size, vp] of Object.entries(viewports)) {
    await page.setViewportSize(vp);
    await page.screenshot({ path: `${shots}/${name}-${size}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} overflows at ${size}`).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page), `${name} at ${size}`).toEqual([]);
  }
  await page.setViewportSize(viewports.desktop);
}

// Fills the bid form, seals it (the opening file downloads), confirms the
// file was saved and sends the commitment. Answers the saved file's path and
// its commitment, after checking that the request carried only that.
async function sealAndSend(page: Page, c: Company, price: string, tag: string, screenshots = false): Promise<{ file: string; commitment: string }> {
  await page.getByLabel('报价（元/平方米·月）').fill(price);
  for (const [i, n] of c.staffing.entries()) await page.locator('[data-test=staff-count]').nth(i).fill(n);
  await page.getByLabel('服务方案（文字）').fill(c.plan);
  await page.locator('[data-test=files]').setInputFiles(documents);
  const digests = page.locator('[data-test=documents]');
  for (const d of documents) await expect(digests).toContainText(createHash('sha256').update(d.buffer).digest('hex'));
  if (screenshots) await shoot(page, 'bid-form');
  const download = page.waitForEvent('download');
  await page.locator('[data-test=seal]').click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(new RegExp(`^sunbid-opening-${tender.id}-\\d{8}T\\d{6}\\.json$`));
  const file = resolve(files, `${c.user}-${tag}.json`);
  await d.saveAs(file);
  const opening = JSON.parse(readFileSync(file, 'utf8')) as { salt_hex: string; commitment_sha256_hex: string; bid: { price_fen_per_m2_month: number; bidder_uscc: string } };
  expect(opening.salt_hex).toMatch(/^[0-9a-f]{64}$/);
  expect(opening.bid.bidder_uscc).toBe(c.uscc);
  // In large type: keep the file; nothing is sent until it is confirmed saved.
  await expect(page.locator('[data-test=keep]')).toContainText('请务必保存开标文件');
  await expect(page.locator('[data-test=sealed-commitment]')).toHaveText(opening.commitment_sha256_hex);
  await expect(page.locator('[data-test=send]')).toBeDisabled();
  if (screenshots) await shoot(page, 'bid-keep');
  await page.locator('[data-test=confirm-saved]').check();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tenders/${tender.id}/bids`) && r.request().method() === 'POST');
  await page.locator('[data-test=send]').click();
  const r = await answer;
  expect(r.status()).toBe(201);
  expect(r.request().postDataJSON()).toEqual({ commitment_sha256_hex: opening.commitment_sha256_hex });
  await expect(page.locator('[data-test=receipt-entry-ok]')).toBeVisible();
  await expect(page.locator('[data-test=my-commitment]')).toHaveText(opening.commitment_sha256_hex);
  return { file, commitment: opening.commitment_sha256_hex };
}

test('three companies seal bids in the browser, reveal from their files, and the public sees the opening', async ({ browser }) => {
  test.setTimeout(300_000);

  // ---- before the deadline: seal -------------------------------------------------
  for (const c of companies) {
    const { context, page, problems } = await browse(browser);
    await login(page, c.user, '/company');
    const first = c.user === 'ent1';
    await expect(page.locator('[data-test=credit-grade]')).not.toBeEmpty();
    const row = page.locator('[data-test=open-tender]').filter({ hasText: tender.title });
    await expect(row.locator('[data-test=qualified]')).toBeVisible();
    if (first) await shoot(page, 'company');
    await row.locator('[data-test=to-bid]').click();
    await expect(page).toHaveURL(new RegExp(`/tenders/${tender.id}/bid$`));
    await expect(page.locator('[data-test=no-bid]')).toBeVisible();

    // A price with a third decimal is refused in the page, nothing sent.
    await page.getByLabel('报价（元/平方米·月）').fill('2.375');
    await page.getByLabel('服务方案（文字）').fill(c.plan);
    await page.locator('[data-test=seal]').click();
    await expect(page.locator('[data-test=form-problem]')).toContainText('最多精确到分');

    if (c.user === 'ent2') {
      // Replace: a first bid, then the final one; the first file is kept to show it no longer opens.
      const old = await sealAndSend(page, c, '2.99', 'first');
      const final = await sealAndSend(page, c, c.price, 'final');
      expect(final.commitment).not.toBe(old.commitment);
      await expect(page.locator('[data-test=receipt]')).toContainText('替换了之前的投标');
      c.file = final.file;
    } else if (c.user === 'ent3') {
      // Withdraw, then bid again.
      await sealAndSend(page, c, '2.10', 'withdrawn');
      await page.locator('[data-test=withdraw-start]').click();
      await page.locator('[data-test=withdraw-confirm]').click();
      await expect(page.locator('[data-test=withdrawn]')).toBeVisible();
      await expect(page.locator('[data-test=no-bid]')).toBeVisible();
      c.file = (await sealAndSend(page, c, c.price, 'final')).file;
    } else {
      const sealed = await sealAndSend(page, c, c.price, 'final', true);
      c.file = sealed.file;
      // The receipt's inclusion proof, checked in the page under the pinned key.
      await page.getByLabel('验证公钥', { exact: true }).fill(server.verifierKey);
      await page.locator('[data-test=pin-key]').click();
      await expect(page.locator('[data-test=receipt-proof-ok]')).toBeVisible({ timeout: 15_000 });
      await shoot(page, 'bid-receipt');
      // After a reload the page reads its own receipt back (GET /bids/mine,
      // answered only to this company) and checks it again.
      const again = page.waitForResponse((r) => r.url().endsWith(`/tenders/${tender.id}/bids/mine`) && r.request().method() === 'GET');
      await page.reload();
      expect((await again).status()).toBe(200);
      await expect(page.locator('[data-test=receipt-commitment]')).toHaveText(sealed.commitment);
      await expect(page.locator('[data-test=receipt-entry-ok]')).toBeVisible();
      await expect(page.locator('[data-test=receipt-proof-ok]')).toBeVisible({ timeout: 15_000 });
    }
    expect(problems).toEqual([]);
    await context.close();
  }

  // The server never received a price or a plan before the reveal.
  const before = sent.filter((s) => s.phase === 'sealed');
  expect(before.filter((s) => s.url.endsWith(`/tenders/${tender.id}/bids`) && s.method === 'POST')).toHaveLength(5);
  const secrets = companies.flatMap((c) => [c.price, c.plan, '2.99', '2.10']);
  const fens = new Set([...companies.map((c) => c.fen), 299, 210]);
  for (const s of before) {
    for (const secret of secrets) expect(s.body + s.url, `${s.method} ${s.url} carries ${secret}`).not.toContain(secret);
    if (s.body.startsWith('{')) {
      const numbers: number[] = [];
      JSON.parse(s.body, (_k, v: unknown) => (typeof v === 'number' && numbers.push(v), v));
      for (const n of numbers) expect(fens.has(n), `${s.method} ${s.url} carries the number ${n}`).toBe(false);
      expect(s.body).not.toMatch(/price|service_plan|salt/);
    }
  }

  // ---- past the deadline (the admin moves the dev clock): reveal -----------------
  await advanceDevClock(api, Math.ceil((tender.bidDeadlineMs - Date.now()) / 1000) + 600);
  phase = 'revealing';
  for (const c of companies) {
    const { context, page, problems } = await browse(browser);
    await login(page, c.user, `/tenders/${tender.id}/bid`);
    await expect(page.locator('[data-test=reveal]')).toBeVisible();
    if (c.user === 'ent2') {
      // The file of the replaced bid: the page says it does not match and sends nothing.
      await page.locator('[data-test=opening-file]').setInputFiles(resolve(files, 'ent2-first.json'));
      await expect(page.locator('[data-test=mismatch]')).toBeVisible();
      await expect(page.locator('[data-test=reveal-send]')).toBeDisabled();
    }
    await page.locator('[data-test=opening-file]').setInputFiles(c.file!);
    await expect(page.locator('[data-test=match]')).toHaveText('✓ 与您密封的投标一致');
    await expect(page.locator('[data-test=reveal-price]')).toContainText(c.price);
    if (c.user === 'ent1') await shoot(page, 'bid-reveal');
    const answer = page.waitForResponse((r) => r.url().endsWith('/bids/mine/reveal'));
    await page.locator('[data-test=reveal-send]').click();
    expect((await answer).status()).toBe(200);
    await expect(page.locator('[data-test=revealed]')).toBeVisible();
    expect(problems).toEqual([]);
    await context.close();
  }

  // ---- the reveal window closes: the public opening record ------------------------
  const { context, page, problems } = await browse(browser);
  await page.goto(`/tenders/${tender.id}/opening`);
  await expect(page.locator('[data-test=not-yet]')).toContainText('尚未开标');
  await advanceDevClock(api, tender.revealWindowS + 600);
  await page.goto(`/tenders/${tender.id}`);
  await page.locator('[data-test=to-opening]').click();
  await expect(page).toHaveURL(new RegExp(`/tenders/${tender.id}/opening$`));
  await expect(page.locator('[data-test=opening-row]')).toHaveCount(3);
  const prices = await page.locator('[data-test=opening-price]').allTextContents();
  expect(prices.sort()).toEqual(companies.map((c) => c.price).sort());
  for (const c of companies) await expect(page.locator('[data-test=opening-row]').filter({ hasText: c.uscc })).toContainText(c.price);
  // Each bidder by its registered name (the API's bidder_name), not by its USCC alone.
  for (const c of companies) await expect(page.locator('[data-test=opening-row]').filter({ hasText: c.uscc }).locator('[data-test=opening-bidder]')).toHaveText(c.name);
  await shoot(page, 'opening');
  expect(problems).toEqual([]);
  await context.close();
});
