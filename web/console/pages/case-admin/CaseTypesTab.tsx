import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseType, listCaseTypes } from '../../api/case-config.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { CaseTypeDrawer } from './CaseTypeDrawer.tsx';
import { localName, percent } from './format.ts';

/** The case types with the settings that decide their steps; edited in a drawer, never deleted. */
export function CaseTypesTab() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState<CaseType>();
  const types = useLoad(listCaseTypes, [tick]);
  const yesNo = (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>);

  return (
    <div className="tab-body">
      <Typography.Paragraph type="secondary">{t('caseAdmin.types.intro')}</Typography.Paragraph>
      {types.error ? (
        <Alert
          type="error"
          showIcon
          title={errorText(types.error)}
          action={<Button onClick={types.reload}>{t('common.retry')}</Button>}
        />
      ) : null}
      <Table<CaseType>
        rowKey="code"
        size="middle"
        loading={types.loading}
        dataSource={types.data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('common.empty') }}
        onRow={(r) => ({ 'data-testid': `case-type-${r.code}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('caseAdmin.types.fields.name'),
            width: 200,
            fixed: 'start',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{localName(r, i18n.language)}</Typography.Text>
                <Typography.Text type="secondary" className="masked">
                  {r.code}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('caseAdmin.types.fields.routesToGrid'), width: 120, render: (_, r) => yesNo(r.routesToGrid) },
          {
            title: t('caseAdmin.types.fields.visitRule'),
            width: 140,
            render: (_, r) => t(`caseAdmin.types.visitRule.${r.visitRule}`),
          },
          { title: t('caseAdmin.types.fields.manualColour'), width: 120, render: (_, r) => yesNo(r.manualColour) },
          {
            title: t('caseAdmin.types.fields.orangeShare'),
            width: 140,
            render: (_, r) => <span data-testid="orange-share">{percent(r.orangeShare)}</span>,
          },
          {
            title: t('caseAdmin.fields.status'),
            width: 90,
            render: (_, r) =>
              r.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
          },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, r) => (
              <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`edit-type-${r.code}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <CaseTypeDrawer
        caseType={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          setTick((n) => n + 1);
        }}
      />
    </div>
  );
}
