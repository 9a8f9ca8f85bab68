// vue-i18n with messages precompiled at build time (@intlify/unplugin-vue-i18n,
// runtime-only): no message compiler and no eval in the browser (CSP-safe).
import { createI18n } from 'vue-i18n';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'sunbid.locale';

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

// The page's language follows the stored choice from the first load (the
// HTML says zh-CN): a screen reader must not read English with a Chinese
// voice after a reload.
document.documentElement.lang = i18n.global.locale.value;

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}
