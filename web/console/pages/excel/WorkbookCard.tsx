import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Divider, Popconfirm, Row, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { exportUrl, type ImportRejection, importWorkbook, templateUrl, type WorkbookKind } from '../../api/excel.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { download } from '../../lib/download.ts';
import { useErrorText } from '../../lib/errors.ts';
import { ImportErrors } from './ImportErrors.tsx';

type Outcome =
  | { kind: 'checked' | 'imported'; rows: number }
  | { kind: 'rejected'; rejection: ImportRejection }
  | { kind: 'failed'; message: string };

/** One kind of list: its template, an import checked first (dry run) then written, and its export. */
export function WorkbookCard({
  kind,
  canImport,
  canExport,
}: {
  kind: WorkbookKind;
  canImport: boolean;
  canExport: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState<'check' | 'import' | 'template' | 'export'>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [within, setWithin] = useState<number>();

  async function upload(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    setOutcome(undefined);
    try {
      const result = await importWorkbook(kind, file, dryRun);
      setOutcome({ kind: result.dryRun ? 'checked' : 'imported', rows: result.imported });
      if (!result.dryRun) setFile(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'IMPORT_REJECTED') {
        setOutcome({ kind: 'rejected', rejection: error.details as ImportRejection });
      } else {
        setOutcome({ kind: 'failed', message: errorText(error) });
      }
    } finally {
      setBusy(undefined);
    }
  }

  async function fetchFile(what: 'template' | 'export') {
    setBusy(what);
    try {
      if (what === 'template') await download(templateUrl(kind), `${kind}-template.xlsx`);
      else await download(exportUrl(kind, within), `${kind}.xlsx`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Card
      title={
        <Space>
          <FileExcelOutlined style={{ color: '#107c41' }} />
          {t(`excel.kinds.${kind}`)}
        </Space>
      }
      data-testid={`workbook-${kind}`}
    >
      <Typography.Paragraph type="secondary">{t(`excel.descriptions.${kind}`)}</Typography.Paragraph>
      <Row gutter={32}>
        {canImport && (
          <Col xs={24} xl={canExport ? 15 : 24}>
            <Divider titlePlacement="start" plain>
              {t('excel.import')}
            </Divider>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap align="start">
                <Button icon={<DownloadOutlined />} loading={busy === 'template'} onClick={() => fetchFile('template')}>
                  {t('excel.template')}
                </Button>
                <Upload
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  maxCount={1}
                  beforeUpload={(chosen) => {
                    setFile(chosen);
                    setOutcome(undefined);
                    return false;
                  }}
                  onRemove={() => {
                    setFile(undefined);
                    setOutcome(undefined);
                  }}
                  fileList={file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : []}
                >
                  <Button icon={<CloudUploadOutlined />}>{t('excel.chooseFile')}</Button>
                </Upload>
                <Button disabled={!file || busy !== undefined} loading={busy === 'check'} onClick={() => upload(true)}>
                  {t('excel.check')}
                </Button>
                <Popconfirm title={t('excel.importConfirm')} onConfirm={() => upload(false)} disabled={!file}>
                  <Button type="primary" disabled={!file || busy !== undefined} loading={busy === 'import'}>
                    {t('excel.importNow')}
                  </Button>
                </Popconfirm>
              </Space>
              {outcome?.kind === 'checked' && (
                <Alert type="success" showIcon title={t('excel.checked', { count: outcome.rows })} />
              )}
              {outcome?.kind === 'imported' && (
                <Alert type="success" showIcon title={t('excel.imported', { count: outcome.rows })} />
              )}
              {outcome?.kind === 'failed' && <Alert type="error" showIcon title={outcome.message} />}
              {outcome?.kind === 'rejected' && <ImportErrors rejection={outcome.rejection} />}
            </Space>
          </Col>
        )}
        {canExport && (
          <Col xs={24} xl={canImport ? 9 : 24}>
            <Divider titlePlacement="start" plain>
              {t('excel.export')}
            </Divider>
            <Space wrap>
              <UnitTreeSelect
                value={within}
                onChange={setWithin}
                placeholder={t('excel.exportWithin')}
                style={{ width: 220 }}
              />
              <Button icon={<DownloadOutlined />} loading={busy === 'export'} onClick={() => fetchFile('export')}>
                {t('excel.exportNow')}
              </Button>
            </Space>
          </Col>
        )}
      </Row>
    </Card>
  );
}
