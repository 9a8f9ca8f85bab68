// A receipt (a bid's or a ballot's) checked in the page: the answer's own
// entry must hold what was sent (`checkEntry`, which throws a readable
// error); its leaf hash is computed from those exact bytes and its inclusion
// proof verified against a checkpoint signed under the pinned key
// (crypto/verify.ts). Checkpoints are signed at most once a second, so the
// proof is asked again until one covers the entry (at most ~10 s).
import { onUnmounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, ApiError, must } from '@/api/client';
import { pinnedKey } from '@/audit/pinnedKey';
import { verifyEntryProof, VerifyFailure, type CheckedEntry } from '@/crypto/verify';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Resolves null when `stopped()` turns true first (the page was left).
export async function proveReceipt(logIndex: number, entry: string, key: string, stopped: () => boolean): Promise<CheckedEntry | null> {
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      const proof = await must(api.GET('/audit/proof/inclusion', { params: { query: { index: logIndex } } }));
      return await verifyEntryProof(logIndex, entry, proof, key);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'index_out_of_range' && attempt < 20) {
        await sleep(500);
        continue;
      }
      throw e;
    }
  }
  return null;
}

export interface ReceiptCheck {
  entryOk: Ref<boolean>;
  problem: Ref<string>;
  waiting: Ref<boolean>;
  checked: ShallowRef<CheckedEntry | null>;
}

// Runs the check now and whenever the receipt or the pinned key changes.
// `checkEntry` throws an error with text(locale) when the entry does not
// hold what was sent.
export function useReceiptCheck(receipt: () => { logIndex: number; entry: string }, checkEntry: () => void): ReceiptCheck {
  const { locale } = useI18n();
  const entryOk = ref(false);
  const problem = ref('');
  const waiting = ref(false);
  const checked = shallowRef<CheckedEntry | null>(null);
  let stopped = false;
  const say = (e: unknown) => {
    const readable = e as { text?: (l: string) => string };
    if (e instanceof VerifyFailure) return e.message;
    return typeof readable.text === 'function' ? readable.text(locale.value) : String(e);
  };
  async function run(): Promise<void> {
    problem.value = '';
    checked.value = null;
    entryOk.value = false;
    try {
      checkEntry();
      entryOk.value = true;
    } catch (e) {
      problem.value = say(e);
      return;
    }
    if (!pinnedKey.value) return;
    waiting.value = true;
    try {
      const r = receipt();
      checked.value = await proveReceipt(r.logIndex, r.entry, pinnedKey.value, () => stopped);
    } catch (e) {
      problem.value = say(e);
    } finally {
      waiting.value = false;
    }
  }
  watch(() => [receipt().logIndex, receipt().entry, pinnedKey.value], run, { immediate: true });
  onUnmounted(() => (stopped = true));
  return { entryOk, problem, waiting, checked };
}
