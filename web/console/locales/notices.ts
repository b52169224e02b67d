import type { Catalogue } from './widen.ts';

/** Strings of the notices pages (catalogue key `notices`). */
export const zh = {
  title: '通知公告',
};

export const en: Catalogue<typeof zh> = {
  title: 'Notices',
};
