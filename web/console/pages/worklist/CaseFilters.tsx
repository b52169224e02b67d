import { ClearOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseFilter, CaseState, Channel, Colour } from '../../api/cases.ts';
import type { SavedFilterPage } from '../../api/saved-filters.ts';
import { CategoryPicker } from '../../components/cases/CategoryPicker.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { hasConditions } from './filter-url.ts';
import { SavedFilters } from './SavedFilters.tsx';

const COLOURS: Colour[] = ['red', 'orange', 'green'];
const CHANNELS: Channel[] = ['h5', 'call', 'hotline', 'patrol', 'enterpriseVisit', 'inspection', 'task'];
const STATES: CaseState[] = [
  'received',
  'pendingDispatch',
  'inGrid',
  'atCommunity',
  'atStreet',
  'whistled',
  'arbitration',
  'handling',
  'resolved',
  'supervisionReview',
  'closed',
  'merged',
];

export interface CaseFiltersProps {
  value: CaseFilter;
  onChange(v: CaseFilter): void;
  page: SavedFilterPage;
  /** Shown at the right of the saved-filters row (the page's bulk actions). */
  extra?: ReactNode;
}

/**
 * The filters above a case table: text, colour, channel, category, area, dates (and on 事项查询 states and
 * open/closed), with the saved filters. Every change goes back to the first page.
 */
export function CaseFilters({ value, onChange, page, extra }: CaseFiltersProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(value.q ?? '');
  useEffect(() => setText(value.q ?? ''), [value.q]);

  const set = (patch: Partial<CaseFilter>) => {
    const next: CaseFilter = { ...value, ...patch, page: 1 };
    for (const key of Object.keys(patch) as Array<keyof CaseFilter>) {
      const v = next[key];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete next[key];
    }
    onChange(next);
  };
  const states = value.state === undefined ? [] : Array.isArray(value.state) ? value.state : [value.state];
  const range: [Dayjs | null, Dayjs | null] | null =
    value.from || value.to ? [value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null] : null;
  const reset = () => {
    const kept: CaseFilter = { pageSize: value.pageSize };
    if (value.worklist) kept.worklist = value.worklist;
    onChange(kept);
  };

  return (
    <div className="case-filters" data-testid="case-filters">
      <div className="toolbar-filters">
        <Input.Search
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(q) => set({ q: q.trim() || undefined })}
          placeholder={t('worklist.filters.q')}
          aria-label={t('worklist.filters.q')}
          style={{ width: 220 }}
          data-testid="filter-q"
        />
        <Select<Colour>
          allowClear
          value={value.colour}
          onChange={(colour) => set({ colour })}
          placeholder={t('worklist.filters.colour')}
          aria-label={t('worklist.filters.colour')}
          options={COLOURS.map((c) => ({ value: c, label: t(`caseTerms.colour.${c}`) }))}
          style={{ width: 96 }}
          data-testid="filter-colour"
        />
        <Select<Channel>
          allowClear
          value={value.channel}
          onChange={(channel) => set({ channel })}
          placeholder={t('worklist.filters.channel')}
          aria-label={t('worklist.filters.channel')}
          options={CHANNELS.map((c) => ({ value: c, label: t(`caseTerms.channel.${c}`) }))}
          style={{ width: 112 }}
          data-testid="filter-channel"
        />
        <CategoryPicker
          allowParent
          value={value.categoryId}
          onChange={(categoryId) => set({ categoryId })}
          placeholder={t('worklist.filters.category')}
          style={{ width: 160 }}
          data-testid="filter-category"
        />
        <UnitTreeSelect
          value={value.unitId ?? null}
          onChange={(unitId: number | undefined) => set({ unitId: unitId ?? undefined })}
          placeholder={t('worklist.filters.unit')}
          style={{ width: 190 }}
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={range}
          onChange={(dates) =>
            set({
              from: dates?.[0] ? dates[0].format('YYYY-MM-DD') : undefined,
              to: dates?.[1] ? dates[1].format('YYYY-MM-DD') : undefined,
            })
          }
          placeholder={[t('worklist.filters.dateFrom'), t('worklist.filters.dateTo')]}
          style={{ width: 240 }}
          data-testid="filter-dates"
        />
        {page === 'cases' && (
          <>
            <Select<CaseState[]>
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              value={states}
              onChange={(state) => set({ state })}
              placeholder={t('worklist.filters.state')}
              aria-label={t('worklist.filters.state')}
              options={STATES.map((s) => ({ value: s, label: t(`caseTerms.state.${s}`) }))}
              style={{ width: 220 }}
              data-testid="filter-state"
            />
            <Select<'true' | 'false'>
              allowClear
              value={value.open}
              onChange={(open) => set({ open })}
              placeholder={t('worklist.filters.openClosed')}
              aria-label={t('worklist.filters.openClosed')}
              options={[
                { value: 'true', label: t('worklist.filters.open') },
                { value: 'false', label: t('worklist.filters.closed') },
              ]}
              style={{ width: 120 }}
              data-testid="filter-open"
            />
          </>
        )}
      </div>
      <div className="toolbar">
        <div className="toolbar-filters">
          <SavedFilters page={page} current={value} onApply={(f) => onChange({ ...f, pageSize: value.pageSize })} />
          {hasConditions(value) && (
            <Button icon={<ClearOutlined />} onClick={reset} data-testid="filter-reset">
              {t('worklist.filters.reset')}
            </Button>
          )}
        </div>
        {extra}
      </div>
    </div>
  );
}
