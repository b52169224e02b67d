import { Alert, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportRejection, RowError } from '../../api/excel.ts';

/** Why an import was refused: the whole file, or each row and cell with its problem. */
export function ImportErrors({ rejection }: { rejection: ImportRejection }) {
  const { t } = useTranslation();
  const reason = t(`excel.reasons.${rejection.reason}`, { defaultValue: t('errors.IMPORT_REJECTED') });
  if (!rejection.errors?.length) return <Alert type="error" showIcon title={reason} />;
  return (
    <>
      <Alert
        type="error"
        showIcon
        title={t('excel.rowsRejected', { count: rejection.errorCount ?? rejection.errors.length })}
      />
      <Table<RowError>
        size="small"
        rowKey={(e) => `${e.row}-${e.column ?? ''}-${e.code}`}
        dataSource={rejection.errors}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        data-testid="import-errors"
        columns={[
          { title: t('excel.row'), dataIndex: 'row', width: 60 },
          { title: t('excel.column'), width: 110, render: (_, e) => e.header ?? '—' },
          { title: t('excel.cell'), width: 60, render: (_, e) => e.cell ?? '—' },
          {
            title: t('excel.problem'),
            render: (_, e) => (
              <>
                <Tag color="red">{t(`excel.rowCodes.${e.code}`, { defaultValue: e.code })}</Tag>
                <Typography.Text type="secondary">{e.message}</Typography.Text>
              </>
            ),
          },
        ]}
      />
    </>
  );
}
