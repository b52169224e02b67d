import type { Resource } from 'i18next';
import { enUS } from './en-US.ts';
import { zhCN } from './zh-CN.ts';

export const resources: Resource = {
  'zh-CN': { translation: zhCN },
  'en-US': { translation: enUS },
};
