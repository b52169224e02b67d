import type { Catalogue } from './widen.ts';

/** Strings of the caseDetail pages (catalogue key `caseDetail`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
