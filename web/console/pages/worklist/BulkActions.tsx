import { BellOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, List, Modal, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseFilter, caseExportUrl, transition } from '../../api/cases.ts';
import { download } from '../../lib/download.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';

/** The server takes at most this many selected ids per export. */
const MAX_EXPORT_IDS = 500;
/** Chases run this many at a time: quick for a page of cases, gentle on the server. */
const CONCURRENCY = 3;

export interface BulkActionsProps {
  ids: number[];
  filter: CaseFilter;
  onDone(): void;
  /** Case numbers by id, to name the refused cases in the summary. */
  labels?: Record<number, string>;
}

interface Refusal {
  id: number;
  reason: string;
}

/** Runs `work` over the items, at most `limit` at a time; never rejects (each failure is the work's to record). */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Bulk chase (督办员: each case's `chase` transition) and bulk export (selected, or everything the filter finds). */
export function BulkActions({ ids, filter, onDone, labels = {} }: BulkActionsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSignedIn();
  const [chasing, setChasing] = useState(false);
  const [exporting, setExporting] = useState(false);

  const exportCases = async () => {
    if (ids.length > MAX_EXPORT_IDS) {
      message.warning(t('worklist.bulk.exportTooMany'));
      return;
    }
    const { page: _page, pageSize: _pageSize, ...rest } = filter;
    const url = ids.length ? `${caseExportUrl({})}?ids=${ids.join(',')}` : caseExportUrl(rest);
    setExporting(true);
    try {
      await download(url, 'cases.xlsx');
      message.success(t('worklist.bulk.exported'));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space wrap className="bulk-actions" data-testid="bulk-actions">
      {ids.length > 0 && (
        <Typography.Text type="secondary" data-testid="bulk-selected">
          {t('worklist.bulk.selected', { count: ids.length })}
        </Typography.Text>
      )}
      {session.can('case.supervise') && (
        <Button
          icon={<BellOutlined />}
          disabled={ids.length === 0}
          onClick={() => setChasing(true)}
          data-testid="bulk-chase"
        >
          {t('worklist.bulk.chase')}
        </Button>
      )}
      {session.can('data.export') && (
        <Button icon={<FileExcelOutlined />} loading={exporting} onClick={exportCases} data-testid="bulk-export">
          {ids.length ? t('worklist.bulk.exportSelected', { count: ids.length }) : t('worklist.bulk.exportAll')}
        </Button>
      )}
      <ChaseModal
        open={chasing}
        ids={ids}
        labels={labels}
        onClose={(ran) => {
          setChasing(false);
          if (ran) onDone();
        }}
        errorText={errorText}
      />
    </Space>
  );
}

function ChaseModal(props: {
  open: boolean;
  ids: number[];
  labels: Record<number, string>;
  onClose(ran: boolean): void;
  errorText(error: unknown): string;
}) {
  const { open, ids, labels, onClose, errorText } = props;
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ chased: number; refused: Refusal[] } | null>(null);
  const running = progress !== null && result === null;

  const run = async ({ note }: { note?: string }) => {
    const targets = [...ids];
    const refused: Refusal[] = [];
    let chased = 0;
    let done = 0;
    setProgress({ done, total: targets.length });
    await eachLimited(targets, CONCURRENCY, async (id) => {
      try {
        await transition(id, { action: 'chase', ...(note?.trim() ? { note: note.trim() } : {}) });
        chased += 1;
      } catch (error) {
        refused.push({ id, reason: errorText(error) });
      }
      done += 1;
      setProgress({ done, total: targets.length });
    });
    setResult({ chased, refused: refused.sort((a, b) => targets.indexOf(a.id) - targets.indexOf(b.id)) });
  };

  const close = () => {
    if (running) return;
    const ran = result !== null;
    setProgress(null);
    setResult(null);
    form.resetFields();
    onClose(ran);
  };

  return (
    <Modal
      open={open}
      title={result ? t('worklist.bulk.summaryTitle') : t('worklist.bulk.chaseTitle', { count: ids.length })}
      onCancel={close}
      closable={!running}
      maskClosable={false}
      footer={
        result ? (
          <Button type="primary" onClick={close} data-testid="bulk-chase-close">
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close} disabled={running}>
              {t('common.cancel')}
            </Button>
            <Button type="primary" loading={running} onClick={() => form.submit()} data-testid="bulk-chase-run">
              {t('worklist.bulk.chaseRun')}
            </Button>
          </Space>
        )
      }
    >
      {result ? (
        <div data-testid="bulk-chase-summary" data-chased={result.chased} data-refused={result.refused.length}>
          <Alert
            type={result.refused.length ? 'warning' : 'success'}
            showIcon
            title={t('worklist.bulk.summary', { chased: result.chased, refused: result.refused.length })}
          />
          {result.refused.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('worklist.bulk.refusedList')}</Typography.Text>}
              dataSource={result.refused}
              renderItem={(r) => (
                <List.Item key={r.id}>
                  <Typography.Text strong>{labels[r.id] ?? `#${r.id}`}</Typography.Text>
                  <Typography.Text type="secondary">{r.reason}</Typography.Text>
                </List.Item>
              )}
            />
          )}
        </div>
      ) : (
        <Form form={form} layout="vertical" onFinish={run} disabled={running}>
          <Typography.Paragraph type="secondary">{t('worklist.bulk.chaseHelp')}</Typography.Paragraph>
          <Form.Item name="note" label={t('worklist.bulk.chaseNote')} rules={[{ max: 1000 }]}>
            <Input.TextArea
              rows={3}
              maxLength={1000}
              placeholder={t('worklist.bulk.chaseNotePlaceholder')}
              data-testid="bulk-chase-note"
            />
          </Form.Item>
          {progress && (
            <Progress
              percent={Math.round((progress.done / Math.max(progress.total, 1)) * 100)}
              format={() => t('worklist.bulk.running', progress)}
            />
          )}
        </Form>
      )}
    </Modal>
  );
}
