// The console's language: English or Polish, remembered in localStorage. `t` reads the reactive
// language, so every template that calls it re-renders on a switch.
import { messages, type MessageKey } from './messages.ts';

export type Lang = 'en' | 'pl';
const STORE = 'regula.lang';

function initial(): Lang {
  try {
    const saved = localStorage.getItem(STORE);
    if (saved === 'en' || saved === 'pl') return saved;
  } catch {
    /* no storage */
  }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

export const i18n = $state<{ lang: Lang }>({ lang: 'en' });

export function initLang(): void {
  i18n.lang = initial();
  document.documentElement.lang = i18n.lang;
}

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORE, lang);
  } catch {
    /* no storage */
  }
}

/** The message in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text: string = messages[i18n.lang][key] ?? messages.en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

/** Pick a {en, pl} text in the current language (or the one a decision asked in Accept-Language carries). */
export function tx(text: { en?: string; pl?: string } | undefined | null): string {
  if (!text) return '';
  return text[i18n.lang] ?? text.en ?? text.pl ?? '';
}
