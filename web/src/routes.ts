// The route table. `sample` is a concrete path of the route that the
// browser tests visit (axe runs on every row, so no page can be missed).
import type { RouteRecordRaw } from 'vue-router';

export interface RouteRow {
  path: string;
  name: string;
  sample: string;
  auth?: boolean;
  // The demo account the browser tests log in as for this page (default ent1).
  role?: string;
  load: () => Promise<unknown>;
}

export const routeTable: RouteRow[] = [
  { path: '/tenders', name: 'tenders', sample: '/tenders', load: () => import('./pages/TenderList.vue') },
  { path: '/tenders/:id', name: 'tender', sample: '/tenders/T1', load: () => import('./pages/TenderNotice.vue') },
  { path: '/tenders/:id/bid', name: 'bid', sample: '/tenders/T1/bid', auth: true, load: () => import('./pages/BidPage.vue') },
  { path: '/tenders/:id/opening', name: 'opening', sample: '/tenders/T1/opening', load: () => import('./pages/OpeningPage.vue') },
  { path: '/tenders/:id/candidates', name: 'candidates', sample: '/tenders/T2/candidates', load: () => import('./pages/CandidatesPage.vue') },
  { path: '/tenders/:id/award', name: 'award', sample: '/tenders/T2/award', load: () => import('./pages/AwardPage.vue') },
  { path: '/audit', name: 'audit', sample: '/audit', load: () => import('./pages/AuditPage.vue') },
  { path: '/verify', name: 'verify', sample: '/verify#index=1', load: () => import('./pages/VerifyPage.vue') },
  { path: '/login', name: 'login', sample: '/login', load: () => import('./pages/LoginPage.vue') },
  { path: '/account', name: 'account', sample: '/account', auth: true, load: () => import('./pages/AccountPage.vue') },
  { path: '/company', name: 'company', sample: '/company', auth: true, load: () => import('./pages/CompanyPage.vue') },
  { path: '/tenderer', name: 'tenderer', sample: '/tenderer', auth: true, role: 'tenderer', load: () => import('./pages/TendererHome.vue') },
  { path: '/tenderer/new', name: 'tender-wizard', sample: '/tenderer/new', auth: true, role: 'tenderer', load: () => import('./pages/TenderWizard.vue') },
  { path: '/tenderer/tenders/:id', name: 'tender-manage', sample: '/tenderer/tenders/T1', auth: true, role: 'tenderer', load: () => import('./pages/TenderManage.vue') },
  { path: '/owner', name: 'owner', sample: '/owner', auth: true, role: 'owner1', load: () => import('./pages/OwnerPage.vue') },
  { path: '/vote/:kind(tender|motion)/:id', name: 'vote', sample: '/vote/motion/M5', load: () => import('./pages/VotePage.vue') },
  { path: '/activate', name: 'activate', sample: '/activate#code=7K3M-Q9TZ-4WXA-R', load: () => import('./pages/ActivatePage.vue') },
  { path: '/:rest(.*)*', name: 'not-found', sample: '/no-such-page', load: () => import('./pages/NotFound.vue') },
];

export function routeRecords(): RouteRecordRaw[] {
  return [
    { path: '/', redirect: '/tenders' },
    ...routeTable.map(
      (r): RouteRecordRaw => ({
        path: r.path,
        name: r.name,
        component: r.load as RouteRecordRaw['component'] & (() => Promise<never>),
        meta: { auth: r.auth === true },
      }),
    ),
  ];
}
