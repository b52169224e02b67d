import { PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  type ButtonProps,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { StateTag, TimeLeft } from '../../components/cases/CaseTags.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { type CallRequestDto, closeCallRequest, convertCallRequest, listCallRequests } from './api.ts';
import {
  type CaseFieldValues,
  CaseTextFields,
  ConfidentialField,
  DuplicateWarning,
  PhotosField,
  PlaceFields,
  showServerIssues,
  titleFrom,
} from './CaseFields.tsx';

type Tab = 'waiting' | 'handled';
type HandledStatus = 'converted' | 'closed';
const PAGE_SIZE = 20;

/** Someone else converted or closed it first, or it changed since it was loaded. */
const isStale = (error: unknown) =>
  error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'VERSION_CONFLICT');

/** 待回电: residents' one-tap calls waiting for their grid worker's call back (overdue first), and those handled. */
export default function CallRequestsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [tab, setTab] = useState<Tab>('waiting');
  const [handledStatus, setHandledStatus] = useState<HandledStatus>('converted');
  const [page, setPage] = useState(1);
  const [converting, setConverting] = useState<CallRequestDto>();
  const [closing, setClosing] = useState<CallRequestDto>();
  const status = tab === 'waiting' ? 'waiting' : handledStatus;
  const list = useLoad(() => listCallRequests({ status, page, pageSize: PAGE_SIZE }), [status, page]);
  // The waiting count for the tab, kept whichever tab is shown.
  const waiting = useLoad(() => listCallRequests({ status: 'waiting', page: 1, pageSize: 1 }), [list.data]);

  const resident = (r: CallRequestDto) => (
    <Space size={4} wrap>
      <span data-testid="call-resident">{r.resident.name ?? t('intake.callRequests.unnamed')}</span>
      {r.resident.masked && <Tag>{t('intake.callRequests.masked')}</Tag>}
    </Space>
  );
  const phone = (r: CallRequestDto) =>
    r.resident.phone ? (
      r.resident.masked ? (
        <span>{r.resident.phone}</span>
      ) : (
        <a href={`tel:${r.resident.phone}`} data-testid="call-phone">
          <PhoneOutlined /> {r.resident.phone}
        </a>
      )
    ) : (
      '—'
    );
  const place = (r: CallRequestDto) => r.grid?.name ?? r.territory.name;

  const waitingColumns: TableColumnsType<CallRequestDto> = [
    { title: t('intake.callRequests.columns.resident'), key: 'resident', render: (_, r) => resident(r), width: 130 },
    { title: t('intake.callRequests.columns.phone'), key: 'phone', render: (_, r) => phone(r), width: 150 },
    {
      title: t('intake.callRequests.columns.note'),
      dataIndex: 'note',
      ellipsis: true,
      render: (note: string | null) =>
        note ?? <Typography.Text type="secondary">{t('intake.callRequests.noNote')}</Typography.Text>,
    },
    { title: t('intake.callRequests.columns.grid'), key: 'grid', render: (_, r) => place(r), width: 170 },
    {
      title: t('intake.callRequests.columns.requestedAt'),
      dataIndex: 'createdAt',
      render: (at: string) => formatTime(at),
      width: 160,
    },
    {
      title: t('intake.callRequests.columns.due'),
      key: 'due',
      width: 150,
      render: (_, r) => (
        <span data-testid="call-due" data-overdue={r.overdue}>
          <TimeLeft minutes={r.timeLeftMinutes} dueAt={r.callbackDueAt} />
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_, r) =>
        r.canHandle ? (
          <Space size={4}>
            <Button
              size="small"
              type="primary"
              icon={<PhoneOutlined />}
              onClick={() => setConverting(r)}
              data-testid="call-convert"
            >
              {t('intake.callRequests.convert')}
            </Button>
            <Button size="small" onClick={() => setClosing(r)} data-testid="call-close">
              {t('intake.callRequests.close')}
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('intake.callRequests.notMine')}</Typography.Text>
        ),
    },
  ];

  const handledColumns: TableColumnsType<CallRequestDto> = [
    { title: t('intake.callRequests.columns.resident'), key: 'resident', render: (_, r) => resident(r), width: 130 },
    { title: t('intake.callRequests.columns.phone'), key: 'phone', render: (_, r) => phone(r), width: 150 },
    { title: t('intake.callRequests.columns.grid'), key: 'grid', render: (_, r) => place(r), width: 170 },
    {
      title: t('intake.callRequests.columns.requestedAt'),
      dataIndex: 'createdAt',
      render: (at: string) => formatTime(at),
      width: 160,
    },
    {
      title: t('intake.callRequests.columns.calledBack'),
      key: 'calledBack',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          <span>{formatTime(r.calledBackAt)}</span>
          {r.calledBackBy && <Typography.Text type="secondary">{r.calledBackBy.name}</Typography.Text>}
          {r.overdue && <Tag color="red">{t('intake.callRequests.late')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('intake.callRequests.columns.outcome'),
      key: 'outcome',
      render: (_, r) =>
        r.case ? (
          <Space size={4} data-testid="call-case">
            <Link to={`/cases/${r.case.id}`}>{r.case.number}</Link>
            <StateTag state={r.case.state} />
          </Space>
        ) : (
          <span>{r.closeReason ?? '—'}</span>
        ),
    },
  ];

  const table = (columns: TableColumnsType<CallRequestDto>, emptyText: string) => (
    <Table<CallRequestDto>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={list.data?.items ?? []}
      loading={list.loading}
      scroll={{ x: 980 }}
      locale={{ emptyText: <Empty description={emptyText} /> }}
      onRow={(r) => ({ 'data-testid': 'call-row', 'data-call-id': r.id }) as React.HTMLAttributes<HTMLElement>}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: list.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: setPage,
      }}
    />
  );

  const afterAction = () => {
    setConverting(undefined);
    setClosing(undefined);
    list.reload();
  };

  return (
    <div className="page" data-testid="call-requests-page">
      <Space align="start" style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('intake.callRequests.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('intake.callRequests.subtitle')}</Typography.Text>
        </div>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          {t('common.refresh')}
        </Button>
      </Space>
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key as Tab);
          setPage(1);
        }}
        items={[
          {
            key: 'waiting',
            label: (
              <Space size={6}>
                {t('intake.callRequests.tabs.waiting')}
                <Badge count={waiting.data?.total ?? 0} showZero={false} overflowCount={999} />
              </Space>
            ),
            children: tab === 'waiting' ? table(waitingColumns, t('intake.callRequests.emptyWaiting')) : null,
          },
          {
            key: 'handled',
            label: t('intake.callRequests.tabs.handled'),
            children: tab === 'handled' && (
              <Space orientation="vertical" style={{ width: '100%' }} size="middle">
                <Segmented<HandledStatus>
                  value={handledStatus}
                  onChange={(value) => {
                    setHandledStatus(value);
                    setPage(1);
                  }}
                  options={[
                    { value: 'converted', label: t('intake.callRequests.handled.converted') },
                    { value: 'closed', label: t('intake.callRequests.handled.closed') },
                  ]}
                />
                {table(handledColumns, t('intake.callRequests.emptyHandled'))}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={converting !== undefined}
        onClose={() => setConverting(undefined)}
        title={converting ? t('intake.callRequests.convertTitle', { name: converting.resident.name ?? '' }) : ''}
        size="min(760px, 100vw)"
        destroyOnHidden
        data-testid="convert-drawer"
      >
        {converting && <ConvertForm request={converting} onDone={afterAction} />}
      </Drawer>
      {closing && <CloseModal request={closing} onDone={afterAction} onCancel={() => setClosing(undefined)} />}
    </div>
  );
}

/** The call-back record: the resident's call, then the case fields shared with intake. */
function ConvertForm({ request, onDone }: { request: CallRequestDto; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<CaseFieldValues>();
  const [saving, setSaving] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function submit(values: CaseFieldValues) {
    setSaving(true);
    setFailure(null);
    try {
      const result = await convertCallRequest(request.id, {
        version: request.version,
        title: values.title.trim(),
        description: values.description.trim(),
        urgency: values.urgency,
        confidential: values.confidential,
        ...(values.categoryId !== undefined ? { categoryId: values.categoryId } : {}),
        ...(values.location ? { location: values.location } : {}),
        ...(values.address?.trim() ? { address: values.address.trim() } : {}),
        ...(values.attachmentIds?.length ? { attachmentIds: values.attachmentIds } : {}),
      });
      message.success(t('intake.callRequests.converted', { number: result.case.number }));
      onDone();
    } catch (error) {
      if (isStale(error)) {
        message.warning(t('intake.callRequests.stale'));
        onDone();
      } else if (!showServerIssues(form, error, t)) setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div data-testid="convert-form">
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('intake.callRequests.columns.resident')}>
          {request.resident.name ?? t('intake.callRequests.unnamed')}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.callRequests.columns.phone')}>
          {request.resident.phone ? <a href={`tel:${request.resident.phone}`}>{request.resident.phone}</a> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.callRequests.columns.grid')}>
          {request.grid?.name ?? request.territory.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.callRequests.columns.due')}>
          <TimeLeft minutes={request.timeLeftMinutes} dueAt={request.callbackDueAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('intake.callRequests.columns.note')} span={2}>
          {request.note ?? t('intake.callRequests.noNote')}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('intake.callRequests.convertHelp')}</Typography.Paragraph>
      <Form<CaseFieldValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          urgency: 'normal',
          confidential: false,
          description: request.note ?? '',
          title: request.note ? titleFrom(request.note) : '',
        }}
      >
        <CaseTextFields />
        <PlaceFields mapHeight={260} />
        <DuplicateWarning />
        <ConfidentialField />
        <PhotosField onBusyChange={setUploading} />
        {failure !== null && <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 12 }} />}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} disabled={uploading} data-testid="convert-submit">
            {t('intake.callRequests.convertSubmit')}
          </Button>
          <Button htmlType="button" onClick={() => form.resetFields()}>
            {t('common.reset')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}

const CLOSE_REASONS = ['answered', 'mistaken', 'noAnswer', 'duplicate'] as const;

/** Closing a call that needs no case, with the reason the resident will see. */
function CloseModal({ request, onDone, onCancel }: { request: CallRequestDto; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function submit({ reason }: { reason: string }) {
    setSaving(true);
    setFailure(null);
    try {
      await closeCallRequest(request.id, { version: request.version, reason: reason.trim() });
      message.success(t('intake.callRequests.closed'));
      onDone();
    } catch (error) {
      if (isStale(error)) {
        message.warning(t('intake.callRequests.stale'));
        onDone();
      } else setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={t('intake.callRequests.closeTitle', { name: request.resident.name ?? '' })}
      onCancel={onCancel}
      okText={t('intake.callRequests.closeSubmit')}
      okButtonProps={{ htmlType: 'submit', loading: saving, 'data-testid': 'close-submit' } as ButtonProps}
      modalRender={(node) => (
        <Form form={form} layout="vertical" onFinish={submit}>
          {node}
        </Form>
      )}
      destroyOnHidden
    >
      <Form.Item
        name="reason"
        label={t('intake.callRequests.closeReason')}
        extra={t('intake.callRequests.closeHelp')}
        rules={[
          { required: true, whitespace: true, message: t('intake.callRequests.closeReasonRequired') },
          { max: 500, message: t('common.maxLength', { max: 500 }) },
        ]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount autoFocus data-testid="close-reason" />
      </Form.Item>
      <Space size={[6, 6]} wrap style={{ marginBottom: 12 }}>
        {CLOSE_REASONS.map((key) => (
          <Button
            key={key}
            size="small"
            onClick={() =>
              form.setFields([{ name: 'reason', value: t(`intake.callRequests.reasons.${key}`), errors: [] }])
            }
          >
            {t(`intake.callRequests.reasons.${key}`)}
          </Button>
        ))}
      </Space>
      {failure !== null && <Alert type="error" showIcon title={errorText(failure)} />}
    </Modal>
  );
}
