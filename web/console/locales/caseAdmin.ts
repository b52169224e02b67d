import type { Catalogue } from './widen.ts';

/** Strings of the caseAdmin pages (catalogue key `caseAdmin`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
