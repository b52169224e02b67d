/**
 * The resident's case API as the H5 uses it: one-tap call, photo uploads, reporting a problem (with the
 * category suggested from the text, the grid found for the point and similar cases nearby), my cases, the
 * return visit, "me too", my grid's contact card and my community's map.
 * Shapes follow the resident-cases contract (src/server/modules/cases/resident-cases*.ts, call-requests,
 * attachments, case-config and grids modules).
 */
import { api, get, type Page, post, qs } from '../../shared/api.ts';

/** Attachments are named by a UUID (src/server/modules/attachments/attachments.schema.ts). */
export type AttachmentId = string;

export interface LngLat {
  lng: number;
  lat: number;
}

// ---- one-tap call (一键呼叫) ----

export interface Caller {
  name: string;
  post: string;
  phone: string | null;
}

export interface MyCallRequest {
  id: number;
  status: 'waiting' | 'converted' | 'closed';
  note: string | null;
  grid: { id: number; name: string; phone: string | null } | null;
  callers: Caller[];
  callbackDueAt: string;
  calledBackAt: string | null;
  closeReason: string | null;
  case: { id: number; number: string; state: string } | null;
  createdAt: string;
}

/** 201 a new request, 200 the one already waiting: either way the waiting request. */
export const placeCallRequest = (note?: string) =>
  post<{ callRequest: MyCallRequest }>('/api/me/call-requests', note ? { note } : {});

export const myCallRequests = (page = 1, pageSize = 5) =>
  get<Page<MyCallRequest>>(`/api/me/call-requests${qs({ page, pageSize })}`);

// ---- photos ----

export interface Attachment {
  id: AttachmentId;
  kind: 'image' | 'document';
  contentType: string;
  byteSize: number;
  width?: number;
  height?: number;
  url: string;
}

/** Uploads one photo (multipart field `file`, kind image); the server reads the type from the bytes. */
export function uploadPhoto(file: File): Promise<{ attachment: Attachment }> {
  const form = new FormData();
  form.append('kind', 'image');
  form.append('file', file, file.name);
  return api<{ attachment: Attachment }>('POST', '/api/attachments', form);
}

export const photoUrl = (id: AttachmentId) => `/api/attachments/${encodeURIComponent(id)}`;
/** A small JPEG/WebP of the photo (≤ 320 px), for lists and thumbnails. */
export const thumbUrl = (id: AttachmentId) => `${photoUrl(id)}?size=thumb`;

// ---- categories and places ----

export interface SuggestedCategory {
  id: number;
  name: string;
  parentName: string | null;
  score: number;
}

export const suggestCategories = (text: string, limit = 3, init?: RequestInit) =>
  api<{ items: SuggestedCategory[] }>('GET', `/api/case-categories/suggest${qs({ text, limit })}`, undefined, init);

export interface CategoryNode {
  id: number;
  parentId: number | null;
  name: string;
  nameEn: string;
  active: boolean;
  children: Array<Omit<CategoryNode, 'children'>>;
}

export const categoryTree = () => get<{ items: CategoryNode[] }>('/api/case-categories');

export interface LocatedGrid {
  id: number;
  name: string;
  communityId: number | null;
  communityName: string | null;
}

export const locateGrid = (point: LngLat) =>
  get<{ grid: LocatedGrid | null }>(`/api/grids/locate${qs({ lng: point.lng, lat: point.lat })}`);

export interface GridOutline {
  id: number;
  name: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface MyMap {
  tileUrl: string | null;
  attribution: string | null;
  /** A point inside my home grid; null without a home. */
  home: LngLat | null;
  /** The grids of my community, with their outlines. */
  grids: GridOutline[];
}

export const myMap = () => get<MyMap>('/api/me/map');

// ---- my cases ----

/** The plain-language stage of a case. */
export type Stage = 'received' | 'handling' | 'resolved' | 'closed' | 'merged';
export type Rating = 'satisfied' | 'partlySatisfied' | 'dissatisfied';
export type StepKind =
  | 'received'
  | 'assigned'
  | 'accepted'
  | 'escalated'
  | 'whistled'
  | 'checkedIn'
  | 'transferred'
  | 'returned'
  | 'extended'
  | 'supervised'
  | 'resolved'
  | 'rated'
  | 'reopened'
  | 'closed'
  | 'merged'
  | 'note';

export interface CategoryRef {
  id: number;
  name: string;
  parentName: string | null;
}

export interface TimelineStep {
  id: number;
  at: string;
  kind: StepKind;
  /** Who has it now / who was summoned. */
  units: Array<{ id: number; name: string; kind: string }>;
  /** Public text only: the result, my rating comment, the new due date … */
  text: string | null;
  photos: AttachmentId[];
}

export interface ResidentCaseSummary {
  id: number;
  number: string;
  title: string;
  category: CategoryRef | null;
  stage: Stage;
  state: string;
  relation: 'reporter' | 'supporter';
  reportedAt: string;
  promisedBy: string | null;
  resolvedAt: string | null;
  needsRating: boolean;
  lastStep: TimelineStep | null;
}

export interface ResidentCaseDetail extends ResidentCaseSummary {
  description: string;
  address: string | null;
  location: LngLat | null;
  confidential: boolean;
  grid: { id: number; name: string } | null;
  photos: AttachmentId[];
  timeline: TimelineStep[];
  result: { text: string | null; photos: AttachmentId[]; at: string } | null;
  rating: { rating: Rating; solved: boolean | null; comment: string | null } | null;
  canRate: boolean;
  visitDueAt: string | null;
  supporters: number;
}

export interface ReportInput {
  description: string;
  title?: string;
  categoryId?: number;
  location?: LngLat;
  address?: string;
  confidential?: boolean;
  attachmentIds?: AttachmentId[];
}

/** `idempotencyKey`: the report's ActionKey, so a retried or repeated tap creates one case. */
export const reportCase = (input: ReportInput, idempotencyKey?: string) =>
  post<{ case: ResidentCaseDetail }>('/api/me/cases', input, idempotencyKey);

export const myCases = (page = 1, pageSize = 20) =>
  get<Page<ResidentCaseSummary>>(`/api/me/cases${qs({ page, pageSize })}`);

export const myCase = (id: number) => get<{ case: ResidentCaseDetail }>(`/api/me/cases/${id}`);

export interface VisitInput {
  rating: Rating;
  solved?: boolean;
  comment?: string;
}

export const rateCase = (id: number, input: VisitInput) =>
  post<{ case: ResidentCaseDetail }>(`/api/me/cases/${id}/visit`, input);

export interface SimilarCase {
  id: number;
  number: string;
  title: string;
  category: CategoryRef | null;
  stage: Stage;
  reportedAt: string;
  distanceMetres: number;
  supporters: number;
  joined: boolean;
}

export const similarCases = (point: LngLat, text?: string, categoryId?: number) =>
  get<{ items: SimilarCase[] }>(
    `/api/me/cases/similar${qs({ lng: point.lng, lat: point.lat, text: text?.slice(0, 500), categoryId })}`,
  );

export const meToo = (id: number) => post<{ supporting: true; supporters: number }>(`/api/me/cases/${id}/me-too`);

// ---- my grid's contact card ----

export type PostCode =
  | 'secretary'
  | 'director'
  | 'gridHead'
  | 'gridWorker'
  | 'buildingHead'
  | 'entranceHead'
  | 'departmentLiaison';

export interface CardPerson {
  id: number;
  unitId: number;
  post: PostCode;
  personId: number;
  personName: string;
  phone: string | null;
  services: string | null;
}

export interface GridCard {
  grid: { id: number; name: string; phone: string | null; address: string | null };
  community: { id: number; kind: string; name: string; phone: string | null; address: string | null } | null;
  posts: CardPerson[];
  subUnits: Array<{
    id: number;
    parentId: number | null;
    kind: string;
    name: string;
    heads: CardPerson[];
  }>;
}

export const myGridCard = () => get<{ card: GridCard | null }>('/api/me/grid');
