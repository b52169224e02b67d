import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listRoles, type Role } from '../../api/accounts.ts';
import { useErrorText } from '../../lib/errors.ts';
import { roleName } from '../../lib/labels.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { RoleFormModal } from './RoleFormModal.tsx';

/** 角色权限: built-in and custom roles, what each may do and over which units. */
export default function RolesPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const [saved, setSaved] = useState(0);
  const [editing, setEditing] = useState<{ role?: Role }>();
  const roles = useLoad(listRoles, [saved]);

  return (
    <div className="page">
      <Card
        size="small"
        title={t('roles.title')}
        extra={
          session.can('role.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
              {t('roles.create')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('roles.intro')}</Typography.Paragraph>
        {roles.error ? <Alert type="error" showIcon title={errorText(roles.error)} /> : null}
        <Table<Role>
          rowKey="id"
          loading={roles.loading}
          dataSource={roles.data ?? []}
          pagination={false}
          locale={{ emptyText: t('common.empty') }}
          columns={[
            {
              title: t('roles.fields.name'),
              width: 200,
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{roleName(r, i18n.language)}</Typography.Text>
                  <Typography.Text type="secondary" className="masked">
                    {r.code}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('roles.fields.dataScope'), width: 130, render: (_, r) => t(`scope.${r.dataScope}`) },
            {
              title: t('roles.fields.permissions'),
              render: (_, r) =>
                r.permissions.length
                  ? r.permissions.map((p) => <Tag key={p}>{t(`permissions.${p}`, { defaultValue: p })}</Tag>)
                  : '—',
            },
            {
              title: t('roles.fields.kind'),
              width: 90,
              render: (_, r) =>
                r.builtIn ? <Tag color="blue">{t('roles.builtIn')}</Tag> : <Tag>{t('roles.custom')}</Tag>,
            },
            { title: t('roles.fields.grantCount'), dataIndex: 'grantCount', width: 90 },
            {
              title: t('common.actions'),
              width: 80,
              render: (_, r) =>
                r.actions.update && (
                  <Button type="link" size="small" onClick={() => setEditing({ role: r })}>
                    {t('common.edit')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <RoleFormModal
        target={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          setSaved((n) => n + 1);
        }}
      />
    </div>
  );
}
