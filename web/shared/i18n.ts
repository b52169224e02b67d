import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Language = 'zh-CN' | 'en-US';
const STORAGE_KEY = 'linli.language';

/** Chinese first: zh-CN unless the user switched to English (remembered in localStorage). */
export function initialLanguage(): Language {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return saved === 'en-US' ? 'en-US' : 'zh-CN';
}

export async function initI18n(resources: Resource) {
  await i18next.use(initReactI18next).init({
    resources,
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export async function switchLanguage(language: Language) {
  localStorage.setItem(STORAGE_KEY, language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** A server error code as text: `errors.<code>` from the catalogue, else the server's English message. */
export function errorText(t: (key: string, options?: Record<string, unknown>) => string, error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code) {
    const key = `errors.${e.code}`;
    const text = t(key);
    if (text !== key) return text;
  }
  return e?.message ?? String(error);
}
