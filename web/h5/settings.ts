import { useSyncExternalStore } from 'react';

/**
 * The large-type option: remembered on the phone, applied as a class on <html> that scales the
 * antd-mobile type variables and the app's own rem-based sizes (styles.css).
 */
const LARGE_TYPE_KEY = 'linli.h5.largeType';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(LARGE_TYPE_KEY) === '1';
  } catch {
    return false;
  }
}

let largeType = read();

export function applyLargeType() {
  document.documentElement.classList.toggle('large-type', largeType);
}

export function setLargeType(on: boolean) {
  largeType = on;
  try {
    localStorage.setItem(LARGE_TYPE_KEY, on ? '1' : '0');
  } catch {
    // Private mode may refuse storage; the setting then lasts for this visit only.
  }
  applyLargeType();
  for (const listener of listeners) listener();
}

export function useLargeType(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => largeType,
  );
}
