// The zh-CN and English messages have the same keys (every page is in both
// languages), and no message is empty.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Read as files: an import would go through the i18n plugin's precompiler.
const read = (name: string) => JSON.parse(readFileSync(resolve(__dirname, '../../src/i18n/locales', name), 'utf8')) as Tree;
const zhCN = read('zh-CN.json');
const en = read('en.json');

type Tree = { [k: string]: string | Tree };

function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

// The {placeholders} a message interpolates.
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const zh = leaves(zhCN);
  const enl = leaves(en);
  it('zh-CN and en have the same keys', () => {
    expect([...enl.keys()].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh.keys()].filter((k) => !enl.has(k))).toEqual([]);
    expect(zh.size).toBeGreaterThan(300);
  });
  it('no message is empty, and both languages interpolate the same parameters', () => {
    for (const [k, v] of zh) {
      expect(v.trim(), k).not.toBe('');
      expect(enl.get(k)?.trim(), k).not.toBe('');
      expect(params(enl.get(k) ?? ''), k).toEqual(params(v));
    }
  });
  it('English messages are in English (no Han characters), except the name of the other language', () => {
    const han = [...enl].filter(([k, v]) => k !== 'app.lang' && /\p{Script=Han}/u.test(v)).map(([k]) => k);
    expect(han).toEqual([]);
  });
});
