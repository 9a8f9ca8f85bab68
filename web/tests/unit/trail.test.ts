// The browser verifier against the trail tamper vectors that the C++ tests
// read (tests/vectors/tamper/: same files, not copies): the untouched trail
// verifies under the pinned key, and each one-byte change is refused with
// sunbid-verify's code, naming the same entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leafHash, verifyCheckpointNote, verifyInclusion, verifyTrail, VerifyFailure } from '../../src/crypto/verify';
import { fromHex, toHex } from '../../src/crypto/commitment';

interface Cases {
  key: string;
  entries: number;
  cases: { name: string; offset: number; byte: string; code: string; entry: number | null; message: string }[];
}
const dir = new URL('../../../tests/vectors/tamper/', import.meta.url);
const trail = new Uint8Array(readFileSync(new URL('trail.json', dir)));
const doc = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Cases;

async function outcome(bytes: Uint8Array, key: string): Promise<{ code: string; entry: number | null; message: string }> {
  try {
    await verifyTrail(bytes, key);
    return { code: 'ok', entry: null, message: '' };
  } catch (e) {
    if (!(e instanceof VerifyFailure)) throw e;
    return { code: e.code, entry: e.entry, message: e.message };
  }
}

describe('trail tamper vectors (shared with audit_log_tests)', () => {
  it('the untouched trail verifies under the pinned key', async () => {
    const seen: number[] = [];
    const t = await verifyTrail(trail, doc.key, (done) => seen.push(done));
    expect(t.entries).toHaveLength(doc.entries);
    expect(t.treeSize).toBe(12n);
    expect(seen.at(-1)).toBe(doc.entries);
  });

  it('has the cases the C++ test checks', () => {
    expect(doc.cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of doc.cases) {
    it(c.name, async () => {
      const t = trail.slice();
      expect(t[c.offset]).not.toBe(parseInt(c.byte, 16));
      t[c.offset] = parseInt(c.byte, 16);
      const r = await outcome(t, doc.key);
      expect({ code: r.code, entry: r.entry }).toEqual({ code: c.code, entry: c.entry });
      if (c.entry !== null) expect(r.message.startsWith(`entry ${c.entry}: `)).toBe(true);
    });
  }

  it('another pinned key refuses the checkpoint; a malformed one is unusable input', async () => {
    const other = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    expect((await outcome(trail, other)).code).toBe('checkpoint_invalid');
    expect((await outcome(trail, 'not a key')).code).toBe('input_unusable');
  });
});

describe('checkpoint and Merkle against docs/checkpoint.md and docs/audit-entry.md', () => {
  it('the Go note package example checkpoint (size 8) verifies', async () => {
    const note =
      'PeterNeumann\n8\npdrGsf8dyhPc+UI9y/G7tNvOfoy/f0wBTPQMbIFxor0=\n\n— PeterNeumann x08go0gabzsT9ruJqUW+W3Uv85oczkbuJys9FDZ8u+tLTswY5Rm3jL+KIbYQAmlGSIy3z8cjitkUF3JvXx2eXtE2zQ0=\n';
    const cp = await verifyCheckpointNote(note, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    expect(cp.size).toBe(8n);
    expect(toHex(cp.root)).toBe('a5dac6b1ff1dca13dcf9423dcbf1bbb4dbce7e8cbf7f4c014cf40c6c8171a2bd');
  });

  it('the worked entry of docs/audit-entry.md has the documented leaf hash', async () => {
    const e =
      '{"actor":"system","index":0,"payload":{"n":0,"text":"测试 / test"},"prev":"0000000000000000000000000000000000000000000000000000000000000000","role":"system","source":null,"tender":"T1","time":"2026-01-01T00:00:00.000Z","type":"test.entry"}';
    expect(toHex(await leafHash(new TextEncoder().encode(e)))).toBe('b5105b0cf6a1b64dccb78102c422bdc19e2e39c0cee5010cc7ad9689e4986047');
  });

  it('an inclusion proof of a one-leaf tree is empty; a wrong length is refused', async () => {
    const leaf = fromHex('b5105b0cf6a1b64dccb78102c422bdc19e2e39c0cee5010cc7ad9689e4986047');
    await verifyInclusion(leaf, 0n, 1n, [], leaf);
    await expect(verifyInclusion(leaf, 0n, 1n, [leaf], leaf)).rejects.toThrow(/wrong number/);
    await expect(verifyInclusion(leaf, 1n, 1n, [], leaf)).rejects.toThrow(/not below/);
  });
});
