import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, listAccounts } from '../../api/accounts.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { roleName } from '../../lib/labels.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { AccountDrawer } from './AccountDrawer.tsx';
import { CreateAccountModal } from './CreateAccountModal.tsx';
import { TemporaryPasswordModal } from './TemporaryPasswordModal.tsx';

/** 账号管理: staff accounts holding roles in my scope, their roles, locks and passwords. */
export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const [within, setWithin] = useState<number>();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<Account['status']>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [saved, setSaved] = useState(0);
  const [detailId, setDetailId] = useState<number>();
  const [creating, setCreating] = useState(false);
  const [temporary, setTemporary] = useState<{ username: string; password: string }>();

  const accounts = useLoad(
    () => listAccounts({ within, q: q || undefined, status, page, pageSize }),
    [within, q, status, page, pageSize, saved],
  );

  return (
    <div className="page">
      <Card size="small">
        <div className="toolbar">
          <div className="toolbar-filters">
            <UnitTreeSelect
              value={within}
              onChange={(v) => {
                setWithin(v);
                setPage(1);
              }}
              placeholder={t('accounts.within')}
              style={{ width: 240 }}
            />
            <Input.Search
              allowClear
              placeholder={t('accounts.search')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage(1);
              }}
              style={{ width: 240 }}
            />
            <Select<Account['status']>
              allowClear
              placeholder={t('accounts.fields.status')}
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPage(1);
              }}
              options={[
                { value: 'active', label: t('accounts.status.active') },
                { value: 'disabled', label: t('accounts.status.disabled') },
              ]}
              style={{ width: 120 }}
            />
          </div>
          {session.can('account.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('accounts.create')}
            </Button>
          )}
        </div>
      </Card>
      {accounts.error ? <Alert type="error" showIcon title={errorText(accounts.error)} /> : null}
      <Card size="small">
        <Table<Account>
          rowKey="id"
          loading={accounts.loading}
          dataSource={accounts.data?.items ?? []}
          locale={{ emptyText: t('accounts.empty') }}
          scroll={{ x: 960 }}
          pagination={{
            current: page,
            pageSize,
            total: accounts.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
          columns={[
            {
              title: t('accounts.fields.username'),
              dataIndex: 'username',
              width: 150,
              render: (v: string, a) => <Typography.Link onClick={() => setDetailId(a.id)}>{v}</Typography.Link>,
            },
            { title: t('accounts.fields.displayName'), dataIndex: 'displayName', width: 110 },
            {
              title: t('accounts.fields.roles'),
              render: (_, a) =>
                a.grants.length
                  ? a.grants.map((g) => (
                      <Tag key={g.id} color="red">
                        {roleName(g, i18n.language)} · {g.unitName}
                      </Tag>
                    ))
                  : '—',
            },
            {
              title: t('accounts.fields.status'),
              width: 130,
              render: (_, a) => (
                <Space size={2}>
                  <Tag key={a.status} color={a.status === 'active' ? 'green' : 'default'}>
                    {t(`accounts.status.${a.status}`)}
                  </Tag>
                  {a.locked && (
                    <Tag color="orange" icon={<LockOutlined />}>
                      {t('accounts.locked')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t('accounts.fields.lastLoginAt'), width: 170, render: (_, a) => formatTime(a.lastLoginAt) },
            {
              title: t('common.actions'),
              width: 90,
              fixed: 'right',
              render: (_, a) => (
                <Button type="link" size="small" onClick={() => setDetailId(a.id)}>
                  {t('common.detail')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <AccountDrawer
        accountId={detailId}
        onClose={() => setDetailId(undefined)}
        onChanged={() => setSaved((n) => n + 1)}
        onTemporaryPassword={setTemporary}
      />
      <CreateAccountModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(account, temporaryPassword) => {
          setCreating(false);
          setSaved((n) => n + 1);
          if (temporaryPassword) setTemporary({ username: account.username, password: temporaryPassword });
        }}
      />
      <TemporaryPasswordModal value={temporary} onClose={() => setTemporary(undefined)} />
    </div>
  );
}
