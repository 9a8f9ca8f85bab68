// The verifier key the user pinned: pasted by the user (from the printed
// notice, the supervisor or another independent source) and, if they wish,
// remembered in this browser's localStorage for later visits. It is never
// fetched from the server the page checks: a server that lies about its log
// would serve its own key too.
import { ref } from 'vue';
import { parseVerifierKey, type VerifierKey } from '@/crypto/verify';

const STORAGE_KEY = 'sunbid.verifierKey';

function remembered(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

// The pinned key's text ('' when none), shared by the audit and verify pages.
export const pinnedKey = ref<string>(remembered());
export const pinnedFromStorage = ref<boolean>(pinnedKey.value !== '');

// Pins a key after checking its form and key id; throws the reason.
export async function pinKey(text: string, remember: boolean): Promise<VerifierKey> {
  const k = await parseVerifierKey(text);
  pinnedKey.value = text.trim();
  pinnedFromStorage.value = false;
  try {
    if (remember) localStorage.setItem(STORAGE_KEY, pinnedKey.value);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode: pinned for this page only */
  }
  return k;
}

export function forgetKey(): void {
  pinnedKey.value = '';
  pinnedFromStorage.value = false;
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* nothing remembered */
  }
}
