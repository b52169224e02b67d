import type { Catalogue } from './widen.ts';

/** Strings of the activities pages (catalogue key `activities`). */
export const zh = {
  title: '活动课堂',
};

export const en: Catalogue<typeof zh> = {
  title: 'Activities & courses',
};
