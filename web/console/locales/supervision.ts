import type { Catalogue } from './widen.ts';

/** Strings of the supervision pages (catalogue key `supervision`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
