import { DownloadOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Space, Spin, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Activity, attendanceXlsxUrl, getActivity } from '../../api/activities.ts';
import { download } from '../../lib/download.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { AttendanceTable } from './AttendanceTable.tsx';
import { displayStatus, KIND_COLOURS, STATUS_COLOURS, timeRange, useActivityErrorText } from './activity-format.ts';
import { CheckInQrCard } from './CheckInQrCard.tsx';

interface Props {
  activityId: number | undefined;
  refreshKey: number;
  onClose(): void;
  onEdit(activity: Activity): void;
  onCancel(activity: Activity): void;
  onChanged(): void;
}

/** One activity: its facts, the attendance with manual check-in and the export, and the check-in QR code. */
export function ActivityDrawer({ activityId, refreshKey, onClose, onEdit, onCancel, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useActivityErrorText();
  const [checkedIn, setCheckedIn] = useState(0);
  const [exporting, setExporting] = useState(false);
  const detail = useLoad(
    () => getActivity(activityId as number),
    [activityId, refreshKey, checkedIn],
    activityId !== undefined,
  );
  const a = detail.data?.id === activityId ? detail.data : undefined;

  const exportXlsx = async () => {
    if (!a) return;
    setExporting(true);
    try {
      await download(attendanceXlsxUrl(a.id), `activity-${a.id}.xlsx`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  };

  const status = a ? displayStatus(a) : undefined;
  return (
    <Drawer
      open={activityId !== undefined}
      onClose={onClose}
      size={860}
      rootClassName="activity-drawer"
      title={a?.title ?? t('activities.detailTitle')}
      destroyOnHidden
      extra={
        a && (
          <Space>
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={exportXlsx}
              data-testid="export-attendance"
            >
              {t('activities.export')}
            </Button>
            {a.actions.edit && (
              <Button icon={<EditOutlined />} onClick={() => onEdit(a)}>
                {t('activities.edit')}
              </Button>
            )}
            {a.actions.cancel && (
              <Button danger icon={<StopOutlined />} onClick={() => onCancel(a)} data-testid="cancel-activity">
                {t('activities.cancel')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {detail.loading && !a ? <Spin /> : null}
      {detail.error ? <Alert type="error" showIcon title={errorText(detail.error)} /> : null}
      {a && status && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {a.status === 'cancelled' && (
            <Alert type="warning" showIcon title={`${t('activities.fields.cancelReason')}：${a.cancelReason ?? ''}`} />
          )}
          <Descriptions
            column={2}
            bordered
            size="small"
            items={[
              {
                key: 'kind',
                label: t('activities.fields.kind'),
                children: (
                  <Space size={4}>
                    <Tag color={KIND_COLOURS[a.kind]}>{t(`activities.kinds.${a.kind}`)}</Tag>
                    <Tag color={STATUS_COLOURS[status]}>{t(`activities.status.${status}`)}</Tag>
                  </Space>
                ),
              },
              { key: 'unit', label: t('activities.fields.unit'), children: a.organiser.name },
              { key: 'time', label: t('activities.fields.time'), span: 2, children: timeRange(a.startsAt, a.endsAt) },
              { key: 'venue', label: t('activities.fields.venue'), span: 2, children: a.venue },
              {
                key: 'enrol',
                label: t('activities.fields.enrolWindow'),
                span: 2,
                children: t('activities.timeRange', {
                  start: a.enrolFrom ? formatTime(a.enrolFrom) : t('activities.openEnded'),
                  end: formatTime(a.enrolUntil ?? a.endsAt),
                }),
              },
              {
                key: 'places',
                label: t('activities.fields.places'),
                children: (
                  <span className="activity-places" data-testid="activity-places">
                    {a.enrolled} / {a.capacity}
                  </span>
                ),
              },
              {
                key: 'waiting',
                label: t('activities.fields.waiting'),
                children: `${a.waiting} / ${a.waitlistCapacity}`,
              },
              { key: 'checkedIn', label: t('activities.fields.checkedIn'), children: a.checkedIn },
              { key: 'phone', label: t('activities.fields.contactPhone'), children: a.contactPhone ?? '—' },
              ...(a.serviceHours !== null
                ? [{ key: 'hours', label: t('activities.fields.serviceHours'), children: a.serviceHours }]
                : []),
              { key: 'by', label: t('activities.fields.createdBy'), children: a.createdBy?.name ?? '—' },
              ...(a.description
                ? [
                    {
                      key: 'description',
                      label: t('activities.fields.description'),
                      span: 2,
                      children: <div style={{ whiteSpace: 'pre-wrap' }}>{a.description}</div>,
                    },
                  ]
                : []),
            ]}
          />
          <Tabs
            items={[
              {
                key: 'attendance',
                label: t('activities.attendance'),
                children: (
                  <AttendanceTable
                    activity={a}
                    onChanged={() => {
                      setCheckedIn((n) => n + 1);
                      onChanged();
                    }}
                  />
                ),
              },
              { key: 'qr', label: t('activities.qr.show'), children: <CheckInQrCard activity={a} /> },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
