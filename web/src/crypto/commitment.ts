// The sealed bid's commitment (docs/bid-commitment.md, sunbid/bid/v1),
// computed in the page with WebCrypto:
//   SHA-256( "sunbid/bid/v1\n" ‖ salt (32 bytes) ‖ canonical JSON of the bid )
import { canonicalBytes, type JsonValue } from './canonical';

const TAG = new TextEncoder().encode('sunbid/bid/v1\n');

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error('not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// A fresh 32-byte salt from the browser's CSPRNG.
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// The commitment as 64 lowercase hex characters.
export async function bidCommitment(salt: Uint8Array, bid: JsonValue): Promise<string> {
  if (salt.length !== 32) throw new Error('the salt must be 32 bytes');
  const canon = canonicalBytes(bid);
  const pre = new Uint8Array(TAG.length + salt.length + canon.length);
  pre.set(TAG, 0);
  pre.set(salt, TAG.length);
  pre.set(canon, TAG.length + salt.length);
  return toHex(await sha256(pre));
}
