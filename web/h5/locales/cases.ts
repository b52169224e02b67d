import type { Catalogue } from './widen.ts';

/** Strings of the cases pages (catalogue key `cases`). */
export const zh = {
  title: 'cases',
};

export const en: Catalogue<typeof zh> = {
  title: 'cases',
};
