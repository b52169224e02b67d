import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Input,
  Popconfirm,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listNotices, NOTICE_STATUSES, type Notice, type NoticeStatus, withdrawNotice } from '../../api/notices.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { NoticeFormModal } from './NoticeFormModal.tsx';

/** 通知公告: the notices addressed to units in my scope, how many residents read each, publish, edit, withdraw. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [unitId, setUnitId] = useState<number>();
  const [status, setStatus] = useState<NoticeStatus>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [changes, setChanges] = useState(0);
  const [form, setForm] = useState<{ notice: Notice | undefined } | null>(null);
  const [shown, setShown] = useState<Notice>();

  const list = useLoad(
    () => listNotices({ unitId, status, q: q || undefined, page, pageSize }),
    [unitId, status, q, page, pageSize, changes],
  );

  async function withdraw(notice: Notice) {
    try {
      await withdrawNotice(notice.id, notice.version);
      message.success(t('notices.withdrawn'));
      setShown(undefined);
    } catch (error) {
      message.error(errorText(error));
    }
    setChanges((n) => n + 1);
  }

  const actions = (r: Notice) => (
    <Space size={0}>
      {r.actions.edit ? (
        <Button type="link" size="small" onClick={() => setForm({ notice: r })}>
          {t('common.edit')}
        </Button>
      ) : null}
      {r.actions.withdraw ? (
        <Popconfirm
          title={t('notices.withdrawConfirm')}
          description={t('notices.withdrawHint')}
          okText={t('notices.withdraw')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => withdraw(r)}
        >
          <Button type="link" size="small" danger>
            {t('notices.withdraw')}
          </Button>
        </Popconfirm>
      ) : null}
    </Space>
  );

  return (
    <div className="page">
      <Card size="small">
        <div className="toolbar">
          <div className="toolbar-filters">
            <UnitTreeSelect
              value={unitId}
              onChange={(v) => {
                setUnitId(v);
                setPage(1);
              }}
              placeholder={t('notices.filters.unit')}
              style={{ width: 240 }}
            />
            <Select<NoticeStatus>
              allowClear
              placeholder={t('notices.filters.status')}
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPage(1);
              }}
              options={NOTICE_STATUSES.map((s) => ({ value: s, label: t(`notices.status.${s}`) }))}
              style={{ width: 140 }}
            />
            <Input.Search
              allowClear
              placeholder={t('notices.filters.search')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage(1);
              }}
              style={{ width: 240 }}
            />
          </div>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ notice: undefined })}>
            {t('notices.publish')}
          </Button>
        </div>
      </Card>
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Card size="small">
        <Table<Notice>
          size="small"
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('notices.empty') }}
          scroll={{ x: 980 }}
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
              title: t('notices.fields.title'),
              render: (_, r) => (
                <Space size={4} wrap>
                  {r.urgent ? <Tag color="red">{t('notices.tags.urgent')}</Tag> : null}
                  {r.pinned ? <Tag color="blue">{t('notices.tags.pinned')}</Tag> : null}
                  <Typography.Link onClick={() => setShown(r)} data-testid="notice-title">
                    {r.title}
                  </Typography.Link>
                </Space>
              ),
            },
            { title: t('notices.fields.unit'), width: 180, render: (_, r) => r.unit.name },
            {
              title: t('notices.fields.status'),
              width: 90,
              render: (_, r) => (
                <Tag color={r.status === 'published' ? 'green' : 'default'}>{t(`notices.status.${r.status}`)}</Tag>
              ),
            },
            {
              title: <Tooltip title={t('notices.readsHint')}>{t('notices.fields.reads')}</Tooltip>,
              width: 160,
              render: (_, r) => <ReadCount notice={r} />,
            },
            { title: t('notices.fields.publishedAt'), width: 160, render: (_, r) => formatTime(r.publishedAt) },
            { title: t('notices.fields.createdBy'), width: 110, render: (_, r) => r.createdBy?.name ?? '—' },
            { title: t('common.actions'), width: 120, fixed: 'right', render: (_, r) => actions(r) },
          ]}
        />
      </Card>
      <NoticeFormModal
        open={form !== null}
        notice={form?.notice}
        onClose={() => setForm(null)}
        onSaved={() => {
          setForm(null);
          setShown(undefined);
          setChanges((n) => n + 1);
        }}
      />
      <Drawer
        open={shown !== undefined}
        onClose={() => setShown(undefined)}
        title={t('notices.detail')}
        size={560}
        extra={shown ? actions(shown) : null}
        destroyOnHidden
      >
        {shown ? <NoticeDetail notice={shown} /> : null}
      </Drawer>
    </div>
  );
}

function ReadCount({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  const percent = notice.audience > 0 ? Math.round((notice.readCount / notice.audience) * 100) : 0;
  return (
    <div>
      <div>{t('notices.reads', { read: notice.readCount, audience: notice.audience })}</div>
      <Progress percent={percent} size="small" showInfo={false} />
    </div>
  );
}

function NoticeDetail({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {notice.title}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{notice.body}</Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('notices.fields.unit')}>{notice.unit.name}</Descriptions.Item>
        <Descriptions.Item label={t('notices.fields.status')}>{t(`notices.status.${notice.status}`)}</Descriptions.Item>
        <Descriptions.Item label={t('notices.fields.urgent')}>
          {notice.urgent ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('notices.fields.pinned')}>
          {notice.pinned ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('notices.fields.reads')}>
          {t('notices.reads', { read: notice.readCount, audience: notice.audience })}
        </Descriptions.Item>
        <Descriptions.Item label={t('notices.fields.publishedAt')}>{formatTime(notice.publishedAt)}</Descriptions.Item>
        {notice.pushedAt ? (
          <Descriptions.Item label={t('notices.fields.pushedAt')}>{formatTime(notice.pushedAt)}</Descriptions.Item>
        ) : null}
        {notice.withdrawnAt ? (
          <Descriptions.Item label={t('notices.fields.withdrawnAt')}>
            {formatTime(notice.withdrawnAt)}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('notices.fields.createdBy')}>{notice.createdBy?.name ?? '—'}</Descriptions.Item>
      </Descriptions>
    </Space>
  );
}
