// First-load JavaScript of the public tender page and the owner's pages
// (issue 15's budgets): the scripts and module preloads index.html
// references plus the route's chunk and the chunks it imports, each gzip
// -9. Reads dist/ and Vite's manifest.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGETS = [
  { route: 'src/pages/TenderList.vue', name: 'public tender list', limitKb: 250 },
  { route: 'src/pages/TenderNotice.vue', name: 'tender notice', limitKb: 250 },
  { route: 'src/pages/CandidatesPage.vue', name: 'candidates (public)', limitKb: 250 },
  { route: 'src/pages/AwardPage.vue', name: 'award (public)', limitKb: 250 },
  // The owner's phone pages: 150 KB.
  { route: 'src/pages/OwnerPage.vue', name: 'owner: my votes', limitKb: 150 },
  { route: 'src/pages/VotePage.vue', name: 'owner: ballot and result', limitKb: 150 },
  { route: 'src/pages/ActivatePage.vue', name: 'owner: activation', limitKb: 150 },
];

const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8'));
const html = readFileSync('dist/index.html', 'utf8');
const fromHtml = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);

function closure(key, into) {
  const e = manifest[key];
  if (!e || into.has(e.file)) return into;
  into.add(e.file);
  for (const i of e.imports ?? []) closure(i, into);
  return into;
}

const gz = (file) => gzipSync(readFileSync('dist/' + file), { level: 9 }).length;
let failed = false;
for (const b of BUDGETS) {
  const files = new Set(fromHtml);
  closure(b.route, files);
  let total = 0;
  const rows = [];
  for (const f of files) {
    const n = gz(f);
    total += n;
    rows.push(`  ${(n / 1024).toFixed(1).padStart(7)} KB  ${f}`);
  }
  const kb = total / 1024;
  const ok = kb <= b.limitKb;
  failed ||= !ok;
  console.log(`budget: ${b.name}: first-load JS ${kb.toFixed(1)} KB gzip -9 (limit ${b.limitKb} KB) ${ok ? 'OK' : 'OVER'}`);
  console.log(rows.join('\n'));
}
process.exit(failed ? 1 : 0);
