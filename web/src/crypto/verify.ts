// The browser's verifier of the audit log: the rules of `sunbid-verify trail`
// (audit_log/src/trail.cc verify_trail, checkpoint.cc, entry_format.cc,
// merkle.cc) in TypeScript, with WebCrypto's SHA-256 and Ed25519.
//
// - checkpoint: a C2SP signed note (docs/checkpoint.md) verified under a
//   PINNED verifier key — the trail's own `key` member is never trusted;
// - every entry: canonical JSON with exactly the nine members of
//   docs/audit-entry.md, its `index` the trail's, the chain link to the
//   entry before when they are adjacent in the log, its RFC 6962 inclusion
//   proof against the checkpoint's root.
// A failure names the entry as sunbid-verify does ("entry N: reason") with
// the same code: input_unusable, checkpoint_invalid, entry_invalid,
// proof_invalid. The shared tamper vectors (tests/vectors/tamper/) hold both
// to the same blame. Recomputing draws and decisions stays in sunbid-verify.
import { canonicalJson, JsonFraction, parseJson, type JsonValue } from './canonical';
import { sha256, toHex } from './commitment';

export type FailureCode = 'input_unusable' | 'checkpoint_invalid' | 'entry_invalid' | 'proof_invalid';

export class VerifyFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly entry: number | null = null,
  ) {
    super(message);
  }
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Uint8Array;
}

export interface VerifiedEntry {
  index: number;
  text: string; // the entry's exact canonical JSON
  type: string;
  payload: Map<string, JsonValue>;
}

export interface VerifiedTrail {
  origin: string;
  treeSize: bigint;
  rootHex: string;
  entries: VerifiedEntry[];
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const utf8 = new TextEncoder();

// ---- bytes, hex, base64 ---------------------------------------------------

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// 64 hex characters, either case (hash_from_hex), else null.
function hashFromHex(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{64}$/.test(s)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

// RFC 4648 §4 base64, canonical only (unused bits zero), else null.
export function base64Decode(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  let raw: string;
  try {
    raw = atob(text);
  } catch {
    return null;
  }
  const out = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  return base64Encode(out) === text ? out : null;
}

// ---- Merkle (RFC 6962 / RFC 9162) -----------------------------------------

export async function leafHash(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([0]), entry));
}

async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([1]), left, right));
}

// RFC 9162 §2.1.3.2; throws a message on failure (merkle.cc verify_inclusion).
export async function verifyInclusion(
  leaf: Uint8Array,
  index: bigint,
  size: bigint,
  proof: Uint8Array[],
  root: Uint8Array,
): Promise<void> {
  if (index >= size) throw new Error(`叶子序号超出树的大小 / leaf index ${index} is not below the tree size ${size}`);
  const wrongLength = '证明长度错误 / proof has the wrong number of hashes';
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) throw new Error(wrongLength);
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Error(wrongLength);
  if (!equalBytes(r, root)) {
    throw new Error('计算出的根哈希与期望不符 / computed root hash does not match the expected one');
  }
}

// ---- keys and signed notes (docs/checkpoint.md) ----------------------------

function isUnicodeSpace(c: number): boolean {
  return [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000].includes(c) || (c >= 0x2000 && c <= 0x200a);
}

function isValidKeyName(name: string): boolean {
  if (name === '') return false;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || c === 0x2b || isUnicodeSpace(c) || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

// UTF-8 text without control characters other than \n (is_clean_text).
function isCleanText(s: string): boolean {
  return !/[\u0000-\u0009\u000b-\u001f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

export interface VerifierKey {
  name: string;
  keyId: number;
  keyIdHex: string;
  publicKey: Uint8Array; // 32 bytes
}

// `<name>+<key id hex8>+<base64(0x01 ‖ key)>`; throws a message when malformed.
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const [name, rest] = chop(text.trim(), '+');
  const [idHex, b64] = chop(rest, '+');
  const key = base64Decode(b64);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex) || !key || key.length === 0 || !isValidKeyName(name)) {
    throw new Error('验证公钥格式错误（应为 名称+8位十六进制标识+base64） / verifier key is malformed (want name+hex8+base64)');
  }
  const d = await sha256(concat(utf8.encode(name + '\n'), key));
  const computed = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  const keyId = parseInt(idHex, 16) >>> 0;
  if (computed !== keyId) throw new Error('验证公钥的密钥标识与公钥不符 / verifier key id does not match the key');
  if (key[0] !== 0x01) throw new Error('不支持的签名算法 / unsupported signature algorithm');
  if (key.length !== 33) throw new Error('Ed25519 公钥长度应为 32 字节 / Ed25519 public key must be 32 bytes');
  return { name, keyId, keyIdHex: idHex.toLowerCase(), publicKey: key.slice(1) };
}

// A browser without Ed25519 in WebCrypto (Chrome < 137, older in-app
// browsers such as some WeChat versions) cannot check the signature: that is
// said plainly, never reported as a bad signature.
export const NO_ED25519 =
  '此浏览器不支持 Ed25519 签名验证（WebCrypto），请用新版 Chrome、Edge、Firefox 或 Safari 打开，或使用 sunbid-verify / this browser has no Ed25519 in WebCrypto: open the page in a recent Chrome, Edge, Firefox or Safari, or use sunbid-verify';

async function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  let k: CryptoKey;
  try {
    k = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    if ((e as Error).name === 'NotSupportedError' || !crypto.subtle) throw new VerifyFailure('input_unusable', NO_ED25519);
    return false; // a key WebCrypto refuses (not a valid point) verifies nothing
  }
  try {
    return await crypto.subtle.verify({ name: 'Ed25519' }, k, signature, message);
  } catch {
    return false;
  }
}

// The body (signed text) and signature lines of a note; throws a message.
function parseSignedNote(note: string): { text: string; sigs: { name: string; keyId: number; signature: Uint8Array }[] } {
  const malformed = (why: string) => new Error(`签名便笺格式错误 / signed note is malformed: ${why}`);
  if (!isCleanText(note)) throw malformed('note must be UTF-8 without control characters other than newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before signatures');
  const text = note.slice(0, split + 1);
  let block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformed('signature block must be non-empty and end with a newline');
  const sigs: { name: string; keyId: number; signature: Uint8Array }[] = [];
  while (block !== '') {
    const nl = block.indexOf('\n');
    let line = block.slice(0, nl);
    block = block.slice(nl + 1);
    const where = `signature line ${sigs.length + 1}`;
    if (sigs.length === 100) throw malformed('more than 100 signatures');
    if (!line.startsWith('\u2014 ')) throw malformed(`${where} does not start with "— "`);
    line = line.slice(2);
    const [name, b64] = chop(line, ' ');
    if (!isValidKeyName(name)) throw malformed(`${where} has an invalid key name`);
    const sig = base64Decode(b64);
    if (b64 === '' || !sig) throw malformed(`${where} is not canonical base64`);
    if (sig.length < 5) throw malformed(`${where} is too short`);
    sigs.push({ name, keyId: ((sig[0]! << 24) | (sig[1]! << 16) | (sig[2]! << 8) | sig[3]!) >>> 0, signature: sig.slice(4) });
  }
  return { text, sigs };
}

function parseCheckpointBody(text: string): Checkpoint {
  const malformed = (why: string) => new Error(`检查点正文格式错误 / checkpoint body is malformed: ${why}`);
  if (text === '' || !text.endsWith('\n')) throw malformed('must end with a newline');
  if (!isCleanText(text)) throw malformed('must be UTF-8 without control characters other than newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('needs origin, size and root lines');
  lines.forEach((l, i) => {
    if (l === '') throw malformed(`line ${i + 1} is empty`);
  });
  const size = lines[1]!;
  if (size.length > 1 && size[0] === '0') throw malformed('tree size has a leading zero');
  if (!/^[0-9]+$/.test(size)) throw malformed('tree size is not a decimal number');
  if (BigInt(size) > UINT64_MAX) throw malformed('tree size does not fit in 64 bits');
  const root = base64Decode(lines[2]!);
  if (!root || root.length !== 32) throw malformed('root is not the canonical base64 of 32 bytes');
  return { origin: lines[0]!, size: BigInt(size), root };
}

// The checkpoint of a note signed by the pinned key, or a VerifyFailure
// (checkpoint_invalid; input_unusable for a malformed pinned key).
export async function verifyCheckpointNote(note: string, pinnedKey: string): Promise<Checkpoint> {
  let key: VerifierKey;
  try {
    key = await parseVerifierKey(pinnedKey);
  } catch (e) {
    throw new VerifyFailure('input_unusable', `unusable input: the pinned key: ${(e as Error).message}`);
  }
  const fail = (why: string): never => {
    let size = 0n;
    try {
      size = parseCheckpointBody(parseSignedNote(note).text).size;
    } catch {
      /* the shape is wrong too: size 0, as sunbid-verify says */
    }
    throw new VerifyFailure('checkpoint_invalid', `checkpoint (tree size ${size}): ${why}`);
  };
  let parsed: ReturnType<typeof parseSignedNote>;
  try {
    parsed = parseSignedNote(note);
  } catch (e) {
    return fail((e as Error).message);
  }
  let verified = false;
  const body = utf8.encode(parsed.text);
  for (const s of parsed.sigs) {
    if (s.name !== key.name || s.keyId !== key.keyId) continue; // a witness or another key
    if (!(await ed25519Verify(key.publicKey, body, s.signature))) fail('签名验证失败 / signature does not verify');
    verified = true;
  }
  if (!verified) fail('便笺没有此公钥的签名 / note carries no signature by this key');
  try {
    return parseCheckpointBody(parsed.text);
  } catch (e) {
    return fail((e as Error).message);
  }
}

// ---- entries (docs/audit-entry.md) -----------------------------------------

const MEMBERS = ['actor', 'index', 'payload', 'prev', 'role', 'source', 'tender', 'time', 'type'] as const;

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

// parse_rfc3339_ms_utc: YYYY-MM-DDTHH:MM:SS.mmmZ with a real date.
export function isEntryTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && se <= 59;
}

// Canonical JSON check: a text is canonical iff it parses strictly and
// re-encodes to itself (docs/canonical-json.md §3). Returns the reason or null.
export function canonicalDefect(text: string): string | null {
  let v: JsonValue;
  try {
    v = parseJson(text);
  } catch (e) {
    return `非规范 JSON / non-canonical JSON: ${(e as Error).message}`;
  }
  let again: string;
  try {
    again = canonicalJson(v);
  } catch (e) {
    return `非规范 JSON / non-canonical JSON: ${(e as Error).message}`;
  }
  return again === text ? null : '非规范 JSON / non-canonical JSON: not in canonical form';
}

interface EntryView {
  index: bigint;
  prev: Uint8Array;
  type: string;
  payload: Map<string, JsonValue>;
}

// parse_entry; throws the reason.
function parseEntry(text: string): EntryView {
  const defect = canonicalDefect(text);
  if (defect) throw new Error(defect);
  const v = parseJson(text);
  const invalid = (member: string, why: string) => new Error(`日志条目无效 / invalid log entry: member "${member}" ${why}`);
  if (!(v instanceof Map)) throw invalid('', 'entry is not an object');
  const keys = [...v.keys()];
  if (keys.length !== MEMBERS.length) throw invalid('', `has ${keys.length} members, expected 9`);
  keys.forEach((k, i) => {
    if (k !== MEMBERS[i]) throw invalid(k, `is unexpected (expected "${MEMBERS[i]}")`);
  });
  const get = (k: string) => v.get(k) as JsonValue;
  if (typeof get('actor') !== 'string') throw invalid('actor', 'is not a string');
  const index = get('index');
  if (typeof index !== 'bigint' || index < 0n) throw invalid('index', 'is not a non-negative integer');
  const payload = get('payload');
  if (!(payload instanceof Map)) throw invalid('payload', 'is not an object');
  const prev = get('prev');
  if (typeof prev !== 'string' || !/^[0-9a-f]{64}$/.test(prev)) throw invalid('prev', 'is not 64 lowercase hex characters');
  if (typeof get('role') !== 'string') throw invalid('role', 'is not a string');
  const source = get('source');
  if (source !== null && typeof source !== 'string') throw invalid('source', 'is neither a string nor null');
  const tender = get('tender');
  if (tender !== null && typeof tender !== 'string') throw invalid('tender', 'is neither a string nor null');
  const time = get('time');
  if (typeof time !== 'string' || !isEntryTime(time)) throw invalid('time', 'is not an RFC 3339 UTC time with milliseconds');
  const type = get('type');
  if (typeof type !== 'string' || type === '') throw invalid('type', 'is not a non-empty string');
  return { index, prev: hashFromHex(prev)!, type, payload };
}

// ---- the trail (docs/tender-trail.md) --------------------------------------

// What strict JSON input refuses besides the grammar (parse_strict_json):
// fractions, integers outside int64, lone surrogates.
function strictDefect(v: JsonValue): string | null {
  if (v instanceof JsonFraction) return `${v.text} is not an integer`;
  if (typeof v === 'bigint') return v < INT64_MIN || v > INT64_MAX ? `${v} is outside int64` : null;
  if (typeof v === 'string') return isCleanText(v.replace(/[\u0000-\u001f]/g, ' ')) ? null : 'a string holds a lone surrogate';
  if (Array.isArray(v)) {
    for (const x of v) {
      const d = strictDefect(x);
      if (d) return d;
    }
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      const d = strictDefect(k) ?? strictDefect(x);
      if (d) return d;
    }
  }
  return null;
}

function unusable(why: string): VerifyFailure {
  return new VerifyFailure('input_unusable', `unusable input: ${why}`);
}

// Verifies a trail file's bytes under the pinned key. Throws a VerifyFailure
// naming the entry at fault; `onProgress(done, total)` after each entry.
export async function verifyTrail(
  bytes: Uint8Array,
  pinnedKey: string,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifiedTrail> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw unusable('the trail is not valid JSON: invalid UTF-8');
  }
  let doc: JsonValue;
  try {
    doc = parseJson(text);
  } catch (e) {
    throw unusable('the trail is not valid JSON: ' + (e as Error).message);
  }
  const defect = strictDefect(doc);
  if (defect) throw unusable('the trail is not valid JSON: ' + defect);
  if (!(doc instanceof Map)) throw unusable('the trail is not a JSON object');
  const note = doc.get('checkpoint');
  const key = doc.get('key');
  const treeSize = doc.get('tree_size');
  const entries = doc.get('entries');
  if (typeof note !== 'string' || typeof key !== 'string' || typeof treeSize !== 'bigint' || !Array.isArray(entries)) {
    throw unusable('the trail lacks checkpoint, key, tree_size or entries');
  }
  const cp = await verifyCheckpointNote(note, pinnedKey);
  if (cp.size !== treeSize) {
    throw new VerifyFailure('checkpoint_invalid', `checkpoint (tree size ${cp.size}): the trail claims tree_size ${treeSize}`);
  }
  const out: VerifiedTrail = { origin: cp.origin, treeSize: cp.size, rootHex: toHex(cp.root), entries: [] };
  let previous: { index: bigint; hash: Uint8Array } | null = null;
  for (const v of entries) {
    if (!(v instanceof Map)) throw unusable('a trail entry is not an object');
    const index = v.get('index');
    const entry = v.get('entry');
    const proof = v.get('proof');
    if (typeof index !== 'bigint' || index < 0n || typeof entry !== 'string' || !Array.isArray(proof)) {
      throw unusable('a trail entry lacks index, entry or proof');
    }
    const n = Number(index);
    const entryErr = (why: string) => new VerifyFailure('entry_invalid', `entry ${index}: ${why}`, n);
    if (previous && index <= previous.index) throw entryErr('out of order in the trail');
    let view: EntryView;
    try {
      view = parseEntry(entry);
    } catch (e) {
      throw entryErr((e as Error).message);
    }
    if (view.index !== index) throw entryErr(`carries index ${view.index}`);
    const entryBytes = utf8.encode(entry);
    if (previous && previous.index + 1n === index && !equalBytes(view.prev, previous.hash)) {
      throw entryErr('chain link to the previous entry broken');
    }
    const hashes: Uint8Array[] = [];
    for (const h of proof) {
      const hash = typeof h === 'string' ? hashFromHex(h) : null;
      if (!hash) throw entryErr('proof hash is not 64 hex characters');
      hashes.push(hash);
    }
    try {
      await verifyInclusion(await leafHash(entryBytes), index, cp.size, hashes, cp.root);
    } catch (e) {
      throw new VerifyFailure('proof_invalid', `entry ${index}: inclusion proof fails: ${(e as Error).message}`, n);
    }
    previous = { index, hash: await sha256(entryBytes) };
    out.entries.push({ index: n, text: entry, type: view.type, payload: view.payload });
    onProgress?.(out.entries.length, entries.length);
  }
  return out;
}

// ---- one entry by its index (the /verify#index=N page) ----------------------

export interface CheckedEntry {
  index: number;
  treeSize: bigint;
  origin: string;
  leafHex: string;
  // The entry's canonical JSON when it is public; null for a withheld entry,
  // of which only the stub (its leaf hash) is shown.
  text: string | null;
  type: string | null;
  payload: Map<string, JsonValue> | null;
}

// Checks entry `index` as served (its exact bytes, or a withheld entry's
// stub) against an inclusion proof answer {index, tree_size, leaf_hash,
// proof, checkpoint} under the pinned key.
export async function verifyEntryProof(
  index: number,
  entryText: string,
  proofAnswer: { index: number; tree_size: number; leaf_hash: string; proof: string[]; checkpoint: string },
  pinnedKey: string,
): Promise<CheckedEntry> {
  const cp = await verifyCheckpointNote(proofAnswer.checkpoint, pinnedKey);
  const fail = (code: FailureCode, why: string) => new VerifyFailure(code, `entry ${index}: ${why}`, index);
  if (BigInt(proofAnswer.tree_size) !== cp.size) {
    throw new VerifyFailure('checkpoint_invalid', `checkpoint (tree size ${cp.size}): the proof claims tree_size ${proofAnswer.tree_size}`);
  }
  if (proofAnswer.index !== index) throw fail('proof_invalid', `the proof is for index ${proofAnswer.index}`);
  let leaf: Uint8Array;
  let text: string | null = entryText;
  let type: string | null = null;
  let payload: Map<string, JsonValue> | null = null;
  const stub = /^\{"entry_hash":"([0-9a-f]{64})","index":(0|[1-9][0-9]*),"leaf_hash":"([0-9a-f]{64})"\}$/.exec(entryText);
  if (stub) {
    if (BigInt(stub[2]!) !== BigInt(index)) throw fail('entry_invalid', `the stub carries index ${stub[2]}`);
    leaf = hashFromHex(stub[3]!)!;
    text = null;
  } else {
    let view: EntryView;
    try {
      view = parseEntry(entryText);
    } catch (e) {
      throw fail('entry_invalid', (e as Error).message);
    }
    if (view.index !== BigInt(index)) throw fail('entry_invalid', `carries index ${view.index}`);
    leaf = await leafHash(utf8.encode(entryText));
    type = view.type;
    payload = view.payload;
  }
  const proof = proofAnswer.proof.map((h) => hashFromHex(h));
  if (proof.some((h) => h === null)) throw fail('entry_invalid', 'proof hash is not 64 hex characters');
  try {
    await verifyInclusion(leaf, BigInt(index), cp.size, proof as Uint8Array[], cp.root);
  } catch (e) {
    throw fail('proof_invalid', `inclusion proof fails: ${(e as Error).message}`);
  }
  return { index, treeSize: cp.size, origin: cp.origin, leafHex: toHex(leaf), text, type, payload };
}

// The raw texts of the items of a GET /audit/entries answer: the server
// embeds each entry byte for byte, so the exact bytes are sliced out of the
// answer's text rather than re-serialized.
export function rawItems(answer: string): string[] {
  const head = '{"items":[';
  if (!answer.startsWith(head)) throw new Error('not an entries page');
  const items: string[] = [];
  let i = head.length;
  while (answer[i] !== ']') {
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < answer.length; i++) {
      const c = answer[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    items.push(answer.slice(start, i));
    if (answer[i] === ',') i++;
    else if (answer[i] !== ']') throw new Error('not an entries page');
  }
  return items;
}
