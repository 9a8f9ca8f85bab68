// /verify#index=N's check (verifyEntryProof) on a log signed here with a
// fresh Ed25519 key (Node's WebCrypto): a document.published entry with its
// source digest, a withheld entry's stub, and what must be refused.
import { describe, expect, it } from 'vitest';
import { fromHex, sha256, toHex } from '../../src/crypto/commitment';
import { leafHash, rawItems, verifyEntryProof, VerifyFailure } from '../../src/crypto/verify';

const utf8 = new TextEncoder();
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

async function node(l: Uint8Array, r: Uint8Array): Promise<Uint8Array> {
  return sha256(new Uint8Array([1, ...l, ...r]));
}

// A two-leaf log: a signed checkpoint and each leaf's one-hash proof.
async function log(entries: Uint8Array[]) {
  const leaves = await Promise.all(entries.map((e) => leafHash(e)));
  const root = await node(leaves[0]!, leaves[1]!);
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const name = 'test.sunbid.local/log';
  const keyBytes = new Uint8Array([1, ...pub]);
  const id = (await sha256(new Uint8Array([...utf8.encode(name + '\n'), ...keyBytes]))).slice(0, 4);
  const body = `${name}\n2\n${b64(root)}\n`;
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, utf8.encode(body)));
  const note = `${body}\n— ${name} ${b64(new Uint8Array([...id, ...sig]))}\n`;
  const key = `${name}+${toHex(id)}+${b64(keyBytes)}`;
  const proof = (i: number) => ({ index: i, tree_size: 2, leaf_hash: toHex(leaves[i]!), proof: [toHex(leaves[1 - i]!)], checkpoint: note });
  return { key, proof, leaves };
}

const doc =
  '{"actor":"system","index":0,"payload":{"kind":"tender_notice","source_sha256":"' +
  'ab'.repeat(32) +
  '"},"prev":"' +
  '0'.repeat(64) +
  '","role":"system","source":null,"tender":"T1","time":"2026-12-07T00:00:00.000Z","type":"document.published"}';
const sealed =
  '{"actor":"acct-1","index":1,"payload":{"blind":"' +
  'cd'.repeat(32) +
  '"},"prev":"' +
  '0'.repeat(64) +
  '","role":"enterprise","source":null,"tender":"T1","time":"2026-12-07T00:00:01.000Z","type":"bid.committed"}';

describe('/verify#index=N: one entry and its inclusion proof under the pinned key', () => {
  it('a document.published entry verifies and shows its kind and source digest', async () => {
    const l = await log([utf8.encode(doc), utf8.encode(sealed)]);
    const c = await verifyEntryProof(0, doc, l.proof(0), l.key);
    expect(c.type).toBe('document.published');
    expect(c.payload!.get('source_sha256')).toBe('ab'.repeat(32));
    expect(c.payload!.get('kind')).toBe('tender_notice');
    expect(c.treeSize).toBe(2n);
  });

  it("a withheld entry's stub proves in without its content", async () => {
    const l = await log([utf8.encode(doc), utf8.encode(sealed)]);
    const bytes = utf8.encode(sealed);
    const stub = `{"entry_hash":"${toHex(await sha256(bytes))}","index":1,"leaf_hash":"${toHex(l.leaves[1]!)}"}`;
    const c = await verifyEntryProof(1, stub, l.proof(1), l.key);
    expect(c.text).toBeNull();
    expect(c.leafHex).toBe(toHex(l.leaves[1]!));
  });

  it('a changed entry, a wrong index and another key are refused', async () => {
    const l = await log([utf8.encode(doc), utf8.encode(sealed)]);
    const fail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e instanceof VerifyFailure ? `${e.code} ${e.entry}` : String(e);
      }
      return 'ok';
    };
    expect(await fail(verifyEntryProof(0, doc.replace('ab', 'ac'), l.proof(0), l.key))).toBe('proof_invalid 0');
    expect(await fail(verifyEntryProof(1, doc, l.proof(0), l.key))).toBe('proof_invalid 1');
    const other = await log([utf8.encode(doc), utf8.encode(sealed)]);
    expect(await fail(verifyEntryProof(0, doc, l.proof(0), other.key))).toBe('checkpoint_invalid null');
    expect(await fail(verifyEntryProof(0, doc, l.proof(0), 'nonsense'))).toBe('input_unusable null');
  });

  it("the items of an entries page are cut from the answer's exact text", () => {
    const answer = `{"items":[${doc},{"entry_hash":"${'0'.repeat(64)}","index":1,"leaf_hash":"${'1'.repeat(64)}"}],"log_size":2,"next_cursor":null}`;
    const items = rawItems(answer);
    expect(items).toEqual([doc, `{"entry_hash":"${'0'.repeat(64)}","index":1,"leaf_hash":"${'1'.repeat(64)}"}`]);
    expect(rawItems('{"items":[],"log_size":0,"next_cursor":null}')).toEqual([]);
    expect(fromHex('00ff')).toEqual(new Uint8Array([0, 255]));
  });
});
