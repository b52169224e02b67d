import type { NoticeRow, ResidentNoticeRow } from './notices.repository.ts';
import type { NoticeDto, ResidentNoticeDto, ResidentNoticeSummaryDto } from './notices.schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A notice for staff: the audience unit, its size and read count, and what may be done with it now. */
export function presentNotice(r: NoticeRow): NoticeDto {
  const published = r.status === 'published';
  return {
    id: r.id,
    unit: { id: r.unit_id, name: r.unit_name, kind: r.unit_kind },
    title: r.title,
    body: r.body,
    urgent: r.urgent,
    pinned: r.pinned,
    status: r.status,
    publishedAt: r.published_at.toISOString(),
    withdrawnAt: iso(r.withdrawn_at),
    pushedAt: iso(r.pushed_at),
    audience: Number(r.audience ?? 0),
    readCount: Number(r.read_count ?? 0),
    createdBy: r.created_by !== null && r.creator_name !== null ? { id: r.created_by, name: r.creator_name } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    actions: { edit: published, withdraw: published },
  };
}

type ResidentBase = Omit<ResidentNoticeRow, 'summary'>;

function residentFields(r: ResidentBase) {
  return {
    id: r.id,
    title: r.title,
    urgent: r.urgent,
    pinned: r.pinned,
    publisher: { id: r.unit_id, name: r.unit_name, kind: r.unit_kind },
    publishedAt: r.published_at.toISOString(),
    read: r.read_at !== null,
  };
}

/** A line of the resident's list: the first lines of the body only. */
export function presentResidentSummary(r: ResidentNoticeRow): ResidentNoticeSummaryDto {
  return { ...residentFields(r), summary: r.summary };
}

export function presentResidentNotice(r: ResidentBase & { body: string }, read: boolean): ResidentNoticeDto {
  return { ...residentFields(r), read, body: r.body };
}
