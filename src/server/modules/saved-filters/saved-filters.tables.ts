import type { ColumnType, Generated } from 'kysely';
import type { SavedFilterPage, SavedFilterQuery } from './saved-filters.schema.ts';

/** Row types of migrations/20261124_0170_saved_filters.sql, for Kysely; merged into DB in db/schema.ts. */
export interface SavedFiltersTable {
  id: Generated<number>;
  account_id: number;
  page: SavedFilterPage;
  name: string;
  query: ColumnType<SavedFilterQuery, string, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface SavedFiltersTables {
  saved_filters: SavedFiltersTable;
}
