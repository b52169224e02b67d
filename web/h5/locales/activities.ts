import type { Catalogue } from './widen.ts';

/** Strings of the activities pages (catalogue key `activities`). */
export const zh = {
  title: 'activities',
};

export const en: Catalogue<typeof zh> = {
  title: 'activities',
};
