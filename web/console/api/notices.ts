/**
 * 通知公告 for staff: the notices addressed to units in my scope, with their audience and read counts;
 * publishing (an urgent one is pushed to every resident of the audience), editing and withdrawing.
 * Types come from the server's schemas (src/server/modules/notices/notices.schema.ts).
 */
import type {
  CreateNoticeInput,
  NoticeDto,
  UpdateNoticeInput,
} from '../../../src/server/modules/notices/notices.schema.ts';
import { get, type Page, post, put, qs } from '../../shared/api.ts';

export type Notice = NoticeDto;
export type NoticeStatus = Notice['status'];
export const NOTICE_STATUSES: readonly NoticeStatus[] = ['published', 'withdrawn'];
/** Units a notice can be addressed to (the server's AUDIENCE_UNIT_KINDS). */
export const AUDIENCE_UNIT_KINDS = ['city', 'district', 'street', 'town', 'community', 'village', 'grid'] as const;

export interface NoticeQuery {
  unitId?: number | undefined;
  status?: NoticeStatus | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export type NoticeFields = CreateNoticeInput;

export const listNotices = (query: NoticeQuery) => get<Page<Notice>>(`/api/notices${qs({ ...query })}`);

export const getNotice = (id: number) => get<{ notice: Notice }>(`/api/notices/${id}`);

/** `pushed`: how many residents the urgent push goes to (0 when it is not urgent). */
export const publishNotice = (fields: NoticeFields) => post<{ notice: Notice; pushed: number }>('/api/notices', fields);

export const updateNotice = (id: number, fields: UpdateNoticeInput) =>
  put<{ notice: Notice; pushed: number }>(`/api/notices/${id}`, fields);

export const withdrawNotice = (id: number, version: number) =>
  post<{ notice: Notice }>(`/api/notices/${id}/withdraw`, { version });
