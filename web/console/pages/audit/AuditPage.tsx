import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Input, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, type AuditEntry, type AuditFilter, auditExportUrl, listAudit } from '../../api/audit.ts';
import { download } from '../../lib/download.ts';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';

const MODULES = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0] as string))];

/** 审计日志: who did what, when and where, in my scope; filtered and exported to Excel. */
export default function AuditPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [exporting, setExporting] = useState(false);
  const entries = useLoad(() => listAudit(filter, page, pageSize), [filter, page, pageSize]);

  const change = (next: Partial<AuditFilter>) => {
    setFilter((current) => ({ ...current, ...next }));
    setPage(1);
  };
  const actionLabel = (action: string) => t(`audit.actions.${action}`, { defaultValue: action });

  async function exportXlsx() {
    setExporting(true);
    try {
      await download(auditExportUrl(filter), 'audit-log.xlsx');
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  }

  const actionOptions = [
    ...MODULES.map((m) => ({
      value: `${m}.*`,
      label: `${t(`audit.modules.${m}`, { defaultValue: m })} · ${t('common.all')}`,
    })),
    ...AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) })),
  ];

  return (
    <div className="page">
      <Card size="small">
        <div className="toolbar">
          <div className="toolbar-filters">
            <DatePicker.RangePicker
              value={range}
              onChange={(value) => {
                setRange(value);
                change({ from: value?.[0]?.format('YYYY-MM-DD'), to: value?.[1]?.format('YYYY-MM-DD') });
              }}
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.fields.action')}
              options={actionOptions}
              onChange={(v?: string) => change({ action: v })}
              style={{ width: 220 }}
            />
            <Select<'success' | 'failure'>
              allowClear
              placeholder={t('audit.fields.outcome')}
              options={[
                { value: 'success', label: t('audit.outcome.success') },
                { value: 'failure', label: t('audit.outcome.failure') },
              ]}
              onChange={(v) => change({ outcome: v })}
              style={{ width: 120 }}
            />
            <Input.Search
              allowClear
              placeholder={t('audit.targetId')}
              onSearch={(v) => change({ targetId: v.trim() || undefined })}
              style={{ width: 180 }}
            />
          </div>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx}>
            {t('audit.export')}
          </Button>
        </div>
      </Card>
      {entries.error ? <Alert type="error" showIcon title={errorText(entries.error)} /> : null}
      <Card size="small">
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          loading={entries.loading}
          dataSource={entries.data?.items ?? []}
          locale={{ emptyText: t('audit.empty') }}
          scroll={{ x: 1000 }}
          expandable={{
            rowExpandable: (e) => Object.keys(e.detail).length > 0,
            expandedRowRender: (e) => <pre className="audit-detail">{JSON.stringify(e.detail, null, 2)}</pre>,
          }}
          pagination={{
            current: page,
            pageSize,
            total: entries.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
          columns={[
            { title: t('audit.fields.at'), width: 170, render: (_, e) => formatTime(e.at) },
            { title: t('audit.fields.actor'), width: 120, render: (_, e) => e.actorName ?? '—' },
            {
              title: t('audit.fields.action'),
              width: 170,
              render: (_, e) => <span title={e.action}>{actionLabel(e.action)}</span>,
            },
            {
              title: t('audit.fields.outcome'),
              width: 80,
              render: (_, e) => (
                <Tag color={e.outcome === 'success' ? 'green' : 'red'}>{t(`audit.outcome.${e.outcome}`)}</Tag>
              ),
            },
            {
              title: t('audit.fields.target'),
              width: 150,
              render: (_, e) =>
                e.targetType ? (
                  <Typography.Text>
                    {t(`audit.targets.${e.targetType}`, { defaultValue: e.targetType })}
                    {e.targetId ? ` #${e.targetId}` : ''}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            { title: t('audit.fields.unit'), render: (_, e) => e.unitName ?? '—' },
            { title: t('audit.fields.ip'), width: 130, dataIndex: 'ip', render: (v) => v ?? '—' },
          ]}
        />
      </Card>
    </div>
  );
}
