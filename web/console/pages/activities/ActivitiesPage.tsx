import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Progress, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Activity, type ActivityKind, KINDS, listActivities } from '../../api/activities.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { ActivityDrawer } from './ActivityDrawer.tsx';
import { ActivityFormModal } from './ActivityFormModal.tsx';
import { displayStatus, KIND_COLOURS, STATUS_COLOURS, timeRange, useActivityErrorText } from './activity-format.ts';
import { CancelActivityModal } from './CancelActivityModal.tsx';
import './activities.css';

type When = 'upcoming' | 'past' | 'all';
type Status = 'published' | 'cancelled';

/**
 * 活动课堂: the activities and courses organised in my scope, with places taken, the waiting list and check-ins;
 * publish, edit and cancel them; the detail drawer has the attendance, its export and the check-in QR code.
 */
export default function ActivitiesPage() {
  const { t } = useTranslation();
  const errorText = useActivityErrorText();
  const [when, setWhen] = useState<When>('upcoming');
  const [kind, setKind] = useState<ActivityKind>();
  const [status, setStatus] = useState<Status>();
  const [unitId, setUnitId] = useState<number>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [changed, setChanged] = useState(0);
  const [detailId, setDetailId] = useState<number>();
  const [editing, setEditing] = useState<{ activity?: Activity }>();
  const [cancelling, setCancelling] = useState<Activity>();
  const refresh = () => setChanged((n) => n + 1);

  const list = useLoad(
    () =>
      listActivities({
        when: when === 'all' ? undefined : when,
        kind,
        status,
        unitId,
        q: q || undefined,
        page,
        pageSize,
      }),
    [when, kind, status, unitId, q, page, pageSize, changed],
  );
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <div className="page">
      <Card size="small">
        <div className="toolbar">
          <div className="toolbar-filters">
            <Segmented<When>
              value={when}
              onChange={reset(setWhen)}
              options={[
                { value: 'upcoming', label: t('activities.filters.upcoming') },
                { value: 'past', label: t('activities.filters.past') },
                { value: 'all', label: t('activities.filters.all') },
              ]}
            />
            <Select<ActivityKind>
              allowClear
              value={kind}
              onChange={reset(setKind)}
              placeholder={t('activities.filters.kind')}
              options={KINDS.map((k) => ({ value: k, label: t(`activities.kinds.${k}`) }))}
              style={{ width: 150 }}
            />
            <Select<Status>
              allowClear
              value={status}
              onChange={reset(setStatus)}
              placeholder={t('activities.filters.status')}
              options={[
                { value: 'published', label: t('activities.status.published') },
                { value: 'cancelled', label: t('activities.status.cancelled') },
              ]}
              style={{ width: 120 }}
            />
            <UnitTreeSelect
              value={unitId}
              onChange={reset(setUnitId)}
              placeholder={t('activities.filters.unit')}
              style={{ width: 220 }}
            />
            <Input.Search
              allowClear
              placeholder={t('activities.filters.q')}
              onSearch={(value) => reset(setQ)(value.trim())}
              style={{ width: 220 }}
              data-testid="activities-search"
            />
          </div>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="create-activity">
            {t('activities.create')}
          </Button>
        </div>
      </Card>
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Card size="small">
        <Table<Activity>
          rowKey="id"
          size="small"
          data-testid="activities-table"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: q || kind || status || unitId ? t('common.noMatch') : t('activities.empty') }}
          scroll={{ x: 1100 }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
          columns={[
            {
              title: t('activities.fields.title'),
              dataIndex: 'title',
              fixed: 'left',
              width: 240,
              render: (title: string, a) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Link onClick={() => setDetailId(a.id)} data-testid="activity-link">
                    {title}
                  </Typography.Link>
                  <Tag color={KIND_COLOURS[a.kind]}>{t(`activities.kinds.${a.kind}`)}</Tag>
                </Space>
              ),
            },
            { title: t('activities.fields.time'), width: 200, render: (_, a) => timeRange(a.startsAt, a.endsAt) },
            { title: t('activities.fields.venue'), dataIndex: 'venue', ellipsis: true, width: 180 },
            { title: t('activities.fields.unit'), width: 130, render: (_, a) => a.organiser.name },
            {
              title: t('activities.fields.places'),
              width: 150,
              render: (_, a) => (
                <div className="activity-places" data-testid={`places-${a.id}`}>
                  {a.enrolled} / {a.capacity}
                  <Progress
                    percent={Math.round((a.enrolled / a.capacity) * 100)}
                    size="small"
                    showInfo={false}
                    status={a.enrolled >= a.capacity ? 'success' : 'normal'}
                  />
                </div>
              ),
            },
            {
              title: t('activities.fields.waiting'),
              width: 80,
              render: (_, a) => (a.waitlistCapacity ? `${a.waiting} / ${a.waitlistCapacity}` : '—'),
            },
            { title: t('activities.fields.checkedIn'), dataIndex: 'checkedIn', width: 80 },
            {
              title: t('activities.fields.status'),
              width: 90,
              render: (_, a) => {
                const s = displayStatus(a);
                return <Tag color={STATUS_COLOURS[s]}>{t(`activities.status.${s}`)}</Tag>;
              },
            },
            {
              title: t('common.actions'),
              width: 140,
              fixed: 'right',
              render: (_, a) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDetailId(a.id)}>
                    {t('common.detail')}
                  </Button>
                  {a.actions.edit && (
                    <Button type="link" size="small" onClick={() => setEditing({ activity: a })}>
                      {t('common.edit')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <ActivityDrawer
        activityId={detailId}
        refreshKey={changed}
        onClose={() => setDetailId(undefined)}
        onEdit={(activity) => setEditing({ activity })}
        onCancel={setCancelling}
        onChanged={refresh}
      />
      <ActivityFormModal
        target={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(activity) => {
          setEditing(undefined);
          refresh();
          setDetailId(activity.id);
        }}
      />
      <CancelActivityModal
        activity={cancelling}
        onClose={() => setCancelling(undefined)}
        onCancelled={() => {
          setCancelling(undefined);
          refresh();
        }}
      />
    </div>
  );
}
