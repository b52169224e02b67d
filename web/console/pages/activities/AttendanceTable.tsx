import { Alert, App, Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Activity,
  type Attendee,
  checkInAttendee,
  type EnrolmentStatus,
  listAttendance,
} from '../../api/activities.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useActivityErrorText } from './activity-format.ts';

const STATUS_COLOURS = { enrolled: 'green', waiting: 'gold', cancelled: 'default' } as const;
type Shown = EnrolmentStatus | 'all';

/** 报名与签到: who enrolled (names in full, phones masked), the waiting list in order, and manual check-in. */
export function AttendanceTable({ activity, onChanged }: { activity: Activity; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useActivityErrorText();
  const [status, setStatus] = useState<Shown>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [changed, setChanged] = useState(0);
  const [checking, setChecking] = useState<number>();
  const list = useLoad(
    () => listAttendance(activity.id, { status: status === 'all' ? undefined : status, page, pageSize }),
    [activity.id, status, page, pageSize, changed, activity.version],
  );

  const checkIn = async (a: Attendee) => {
    setChecking(a.id);
    try {
      await checkInAttendee(activity.id, a.id);
      message.success(t('activities.checkInDone', { name: a.name }));
      setChanged((n) => n + 1);
      onChanged();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setChecking(undefined);
    }
  };

  const counts = list.data?.counts;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Segmented<Shown>
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('activities.filters.all') },
            { value: 'enrolled', label: t('activities.enrolmentStatus.enrolled') },
            { value: 'waiting', label: t('activities.enrolmentStatus.waiting') },
            { value: 'cancelled', label: t('activities.enrolmentStatus.cancelled') },
          ]}
        />
        {counts && (
          <Typography.Text type="secondary" data-testid="attendance-counts">
            {t('activities.counts', counts)}
          </Typography.Text>
        )}
      </Space>
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<Attendee>
        rowKey="id"
        size="small"
        data-testid="attendance-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('activities.attendanceEmpty') }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [50, 100, 200, 500],
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (p, s) => {
            setPage(s === pageSize ? p : 1);
            setPageSize(s);
          },
        }}
        columns={[
          { title: t('people.fields.name'), dataIndex: 'name', width: 110 },
          { title: t('people.fields.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
          {
            title: t('activities.fields.status'),
            width: 130,
            render: (_, a) => (
              <Tag color={STATUS_COLOURS[a.status]}>
                {a.status === 'waiting' && a.position !== null
                  ? t('activities.position', { n: a.position })
                  : t(`activities.enrolmentStatus.${a.status}`)}
              </Tag>
            ),
          },
          { title: t('activities.enrolledAt'), width: 160, render: (_, a) => formatTime(a.enrolledAt) },
          {
            title: t('activities.checkedInAt'),
            width: 220,
            render: (_, a) =>
              a.checkedInAt ? (
                <span>
                  {formatTime(a.checkedInAt)}{' '}
                  <Typography.Text type="secondary">
                    {a.checkedInBy
                      ? t('activities.checkInBy', { name: a.checkedInBy.name })
                      : t('activities.checkInSelf')}
                  </Typography.Text>
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, a) =>
              activity.actions.checkIn && a.status === 'enrolled' && !a.checkedInAt ? (
                <Button
                  size="small"
                  loading={checking === a.id}
                  onClick={() => checkIn(a)}
                  data-testid={`check-in-${a.id}`}
                >
                  {t('activities.checkIn')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
