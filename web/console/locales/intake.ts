import type { Catalogue } from './widen.ts';

/** Strings of the intake pages (catalogue key `intake`). */
export const zh = {
  title: '',
};

export const en: Catalogue<typeof zh> = {
  title: '',
};
