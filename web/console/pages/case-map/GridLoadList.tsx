import { Card, List, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseLoadCounts, GridCaseLoad } from './api.ts';

interface Props {
  items: GridCaseLoad[];
  totals: CaseLoadCounts | undefined;
  loading: boolean;
  selectedId: number | undefined;
  onSelect(id: number): void;
  hasBoundary(id: number): boolean;
}

/** The grids beside the map, busiest first, each with its open, red and overdue cases; a click selects it. */
export function GridLoadList({ items, totals, loading, selectedId, onSelect, hasBoundary }: Props) {
  const { t } = useTranslation();
  // Busiest first; equal loads keep the server's tree order (sort is stable).
  const sorted = useMemo(() => [...items].sort((a, b) => b.open - a.open), [items]);
  return (
    <Card
      size="small"
      className="grid-list case-map-list"
      title={t('caseMap.list.title')}
      extra={
        totals && (
          <Typography.Text type="secondary" data-testid="case-map-summary">
            {t('caseMap.summary', { grids: items.length, open: totals.open })}
          </Typography.Text>
        )
      }
    >
      <List
        size="small"
        loading={loading}
        dataSource={sorted}
        rowKey="gridId"
        locale={{ emptyText: t('caseMap.list.empty') }}
        renderItem={(g) => (
          <List.Item
            className={`grid-list-item${g.gridId === selectedId ? ' selected' : ''}`}
            onClick={() => onSelect(g.gridId)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(g.gridId);
              }
            }}
            tabIndex={0}
            role="button"
            aria-pressed={g.gridId === selectedId}
            data-testid="grid-load-item"
            data-grid-name={g.name}
            data-open={g.open}
          >
            <List.Item.Meta
              title={g.name}
              description={
                <Space size={4} wrap>
                  <span>{g.communityName ?? '—'}</span>
                  {!hasBoundary(g.gridId) && <Tag>{t('caseMap.list.noBoundary')}</Tag>}
                  {!g.active && <Tag>{t('common.inactive')}</Tag>}
                </Space>
              }
            />
            <Space size={4} className="case-map-item-counts">
              {g.red > 0 && (
                <Tag color="red">
                  {t('caseTerms.colour.red')} {g.red}
                </Tag>
              )}
              {g.overdue > 0 && (
                <Tag color="volcano">
                  {t('caseMap.counts.overdue')} {g.overdue}
                </Tag>
              )}
              <span className="case-map-open" title={t('caseMap.counts.open')}>
                {g.open}
              </span>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
