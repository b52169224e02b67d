import type { Catalogue } from './widen.ts';

/** Strings of the analytics pages (catalogue key `analytics`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
