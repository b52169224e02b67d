import type { Catalogue } from './widen.ts';

/** Strings of the worklist pages (catalogue key `worklist`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
