import type { Catalogue } from './widen.ts';

/** Strings of the notices pages (catalogue key `notices`). */
export const zh = {
  title: 'notices',
};

export const en: Catalogue<typeof zh> = {
  title: 'notices',
};
