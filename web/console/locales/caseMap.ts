import type { Catalogue } from './widen.ts';

/** Strings of the caseMap pages (catalogue key `caseMap`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
