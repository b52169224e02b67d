import { useSyncExternalStore } from 'react';

/**
 * Display options for older residents, remembered on the phone and applied as classes on <html>:
 *  - large type (`large-type`): scales the antd-mobile type variables and the app's rem-based sizes;
 *  - high contrast (`high-contrast`): black text on white, darker primary and borders, underlined links.
 * styles.css holds what each class changes.
 */
export type DisplayOption = 'largeType' | 'highContrast';

const OPTIONS: Record<DisplayOption, { key: string; className: string }> = {
  largeType: { key: 'linli.h5.largeType', className: 'large-type' },
  highContrast: { key: 'linli.h5.highContrast', className: 'high-contrast' },
};

const listeners = new Set<() => void>();

function read(option: DisplayOption): boolean {
  try {
    return localStorage.getItem(OPTIONS[option].key) === '1';
  } catch {
    return false;
  }
}

const state: Record<DisplayOption, boolean> = { largeType: read('largeType'), highContrast: read('highContrast') };

export function applyDisplayOptions() {
  for (const option of Object.keys(OPTIONS) as DisplayOption[]) {
    document.documentElement.classList.toggle(OPTIONS[option].className, state[option]);
  }
}

export function setDisplayOption(option: DisplayOption, on: boolean) {
  state[option] = on;
  try {
    localStorage.setItem(OPTIONS[option].key, on ? '1' : '0');
  } catch {
    // Private mode may refuse storage; the setting then lasts for this visit only.
  }
  applyDisplayOptions();
  for (const listener of listeners) listener();
}

export function useDisplayOption(option: DisplayOption): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state[option],
  );
}
