/** My saved filters (常用筛选) of the case list pages; types from the server's Zod schemas. */
import type { z } from 'zod';
import type {
  SAVED_FILTER_PAGES,
  savedFilter,
  savedFilterQuery,
} from '../../../src/server/modules/saved-filters/saved-filters.schema.ts';
import { del, get, post, qs } from '../../shared/api.ts';

export type SavedFilter = z.infer<typeof savedFilter>;
export type SavedFilterQuery = z.infer<typeof savedFilterQuery>;
export type SavedFilterPage = (typeof SAVED_FILTER_PAGES)[number];

export const listSavedFilters = (page: SavedFilterPage) =>
  get<{ items: SavedFilter[] }>(`/api/me/saved-filters${qs({ page })}`).then((body) => body.items);
export const createSavedFilter = (input: { page: SavedFilterPage; name: string; query: SavedFilterQuery }) =>
  post<{ savedFilter: SavedFilter }>('/api/me/saved-filters', input).then((body) => body.savedFilter);
export const deleteSavedFilter = (id: number) => del<{ ok: true }>(`/api/me/saved-filters/${id}`);
