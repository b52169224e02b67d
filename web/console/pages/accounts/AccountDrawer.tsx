import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Account,
  addGrant,
  type Grant,
  getAccount,
  resetPassword,
  revokeGrant,
  unlockAccount,
  updateAccount,
} from '../../api/accounts.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { roleName } from '../../lib/labels.ts';
import { useLoad } from '../../lib/use-load.ts';
import { RoleSelect } from './GrantFields.tsx';

interface Props {
  accountId: number | undefined;
  onClose(): void;
  onChanged(): void;
  onTemporaryPassword(value: { username: string; password: string }): void;
}

/** One account: its state, its roles (give and take away), rename, disable, unlock, reset the password. */
export function AccountDrawer({ accountId, onClose, onChanged, onTemporaryPassword }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [grantForm] = Form.useForm<{ roleId?: number; unitId?: number }>();
  const [nameForm] = Form.useForm<{ displayName: string }>();
  const detail = useLoad(() => getAccount(accountId as number), [accountId, tick], accountId !== undefined);
  const account = detail.data?.id === accountId ? detail.data : undefined;

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await action();
      message.success(done);
      setTick((n) => n + 1);
      onChanged();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const reset = (a: Account) =>
    run(async () => {
      const result = await resetPassword(a.id);
      onTemporaryPassword({ username: a.username, password: result.temporaryPassword });
    }, t('accounts.passwordReset'));

  return (
    <Drawer
      open={accountId !== undefined}
      onClose={onClose}
      size={640}
      title={account ? `${account.displayName}（${account.username}）` : t('accounts.detailTitle')}
      destroyOnHidden
    >
      {detail.loading && !account ? <Spin /> : null}
      {detail.error ? <Alert type="error" title={errorText(detail.error)} /> : null}
      {account && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions
            column={2}
            size="small"
            bordered
            items={[
              { key: 'username', label: t('accounts.fields.username'), children: account.username },
              { key: 'name', label: t('accounts.fields.displayName'), children: account.displayName },
              {
                key: 'status',
                label: t('accounts.fields.status'),
                children: (
                  <Space size={2}>
                    <Tag key={account.status} color={account.status === 'active' ? 'green' : 'default'}>
                      {t(`accounts.status.${account.status}`)}
                    </Tag>
                    {account.locked && (
                      <Tag color="orange">{t('accounts.lockedUntil', { time: formatTime(account.lockedUntil) })}</Tag>
                    )}
                    {account.mustChangePassword && <Tag color="blue">{t('accounts.mustChange')}</Tag>}
                  </Space>
                ),
              },
              { key: 'failed', label: t('accounts.fields.failedLogins'), children: account.failedLogins },
              { key: 'last', label: t('accounts.fields.lastLoginAt'), children: formatTime(account.lastLoginAt) },
              {
                key: 'pwd',
                label: t('accounts.fields.passwordChangedAt'),
                children: formatTime(account.passwordChangedAt),
              },
              {
                key: 'created',
                label: t('accounts.fields.createdAt'),
                span: 2,
                children: formatTime(account.createdAt),
              },
            ]}
          />
          <Space wrap>
            {account.actions.unlock && account.locked && (
              <Button loading={busy} onClick={() => run(() => unlockAccount(account.id), t('accounts.unlocked'))}>
                {t('accounts.unlock')}
              </Button>
            )}
            {account.actions.resetPassword && (
              <Popconfirm title={t('accounts.resetConfirm')} onConfirm={() => reset(account)}>
                <Button loading={busy}>{t('accounts.resetPassword')}</Button>
              </Popconfirm>
            )}
            {account.actions.disable && (
              <Popconfirm
                title={account.status === 'active' ? t('accounts.disableConfirm') : t('accounts.enableConfirm')}
                onConfirm={() =>
                  run(
                    () =>
                      updateAccount(account.id, account.version, {
                        status: account.status === 'active' ? 'disabled' : 'active',
                      }),
                    t('common.saved'),
                  )
                }
              >
                <Button danger={account.status === 'active'} loading={busy}>
                  {account.status === 'active' ? t('accounts.disable') : t('accounts.enable')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          {account.actions.update && (
            <Form
              form={nameForm}
              layout="inline"
              initialValues={{ displayName: account.displayName }}
              onFinish={(v) =>
                run(
                  () => updateAccount(account.id, account.version, { displayName: v.displayName.trim() }),
                  t('common.saved'),
                )
              }
            >
              <Form.Item
                name="displayName"
                label={t('accounts.fields.displayName')}
                rules={[{ required: true, whitespace: true, max: 50, message: t('accounts.displayNameRequired') }]}
              >
                <Input maxLength={50} style={{ width: 200 }} />
              </Form.Item>
              <Button htmlType="submit" loading={busy}>
                {t('common.save')}
              </Button>
            </Form>
          )}
          <div>
            <Typography.Title level={5}>{t('accounts.fields.roles')}</Typography.Title>
            <Table<Grant>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={account.grants}
              locale={{ emptyText: t('header.noRoles') }}
              columns={[
                {
                  title: t('accounts.fields.role'),
                  render: (_, g) => <Tag color="red">{roleName(g, i18n.language)}</Tag>,
                },
                { title: t('accounts.fields.unit'), dataIndex: 'unitName' },
                { title: t('dashboard.scope'), render: (_, g) => t(`scope.${g.dataScope}`) },
                {
                  title: t('common.actions'),
                  width: 90,
                  render: (_, g) =>
                    g.actions.revoke && (
                      <Popconfirm
                        title={t('accounts.revokeConfirm')}
                        onConfirm={() => run(() => revokeGrant(account.id, g.id), t('accounts.revoked'))}
                      >
                        <Button type="link" danger size="small">
                          {t('accounts.revoke')}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]}
            />
          </div>
          {account.actions.grant && (
            <Form
              form={grantForm}
              layout="vertical"
              onFinish={(v) =>
                run(async () => {
                  await addGrant(account.id, v.roleId as number, v.unitId as number);
                  grantForm.resetFields();
                }, t('accounts.granted'))
              }
            >
              <Typography.Title level={5}>{t('accounts.addRole')}</Typography.Title>
              <Space align="start" wrap>
                <Form.Item
                  name="roleId"
                  rules={[{ required: true, message: t('accounts.chooseRole') }]}
                  style={{ width: 240 }}
                >
                  <RoleSelect />
                </Form.Item>
                <Form.Item
                  name="unitId"
                  rules={[{ required: true, message: t('common.chooseUnit') }]}
                  style={{ width: 240 }}
                >
                  <UnitTreeSelect />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('accounts.grant')}
                </Button>
              </Space>
            </Form>
          )}
        </Space>
      )}
    </Drawer>
  );
}
