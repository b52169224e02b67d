import { Alert, Col, Form, Input, Modal, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { type Account, createAccount } from '../../api/accounts.ts';
import { PersonSelect } from '../../components/PersonSelect.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';
import { RoleSelect } from './GrantFields.tsx';

interface Values {
  username: string;
  displayName: string;
  personId?: number | null;
  password?: string;
  roleId?: number;
  unitId?: number;
}

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;

/** A new staff account with its first role; without a password the server generates a temporary one. */
export function CreateAccountModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(account: Account, temporaryPassword?: string): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    try {
      const result = await createAccount({
        username: values.username.trim().toLowerCase(),
        displayName: values.displayName.trim(),
        personId: values.personId ?? null,
        ...(values.password ? { password: values.password } : {}),
        ...(values.roleId && values.unitId ? { grants: [{ roleId: values.roleId, unitId: values.unitId }] } : {}),
      });
      form.resetFields();
      onCreated(result.account, result.temporaryPassword);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DUPLICATE') {
        form.setFields([{ name: 'username', errors: [t('accounts.duplicateUsername')] }]);
      } else if (error instanceof ApiError && error.code === 'WEAK_PASSWORD') {
        form.setFields([{ name: 'password', errors: [t('errors.WEAK_PASSWORD')] }]);
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('accounts.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      width={640}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={save} preserve={false}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="username"
              label={t('accounts.fields.username')}
              extra={t('accounts.usernameHint')}
              rules={[
                { required: true, message: t('accounts.usernameRequired') },
                { pattern: USERNAME, message: t('accounts.usernameHint') },
              ]}
            >
              <Input maxLength={32} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="displayName"
              label={t('accounts.fields.displayName')}
              rules={[
                { required: true, whitespace: true, message: t('accounts.displayNameRequired') },
                { max: 50, message: t('common.maxLength', { max: 50 }) },
              ]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="personId" label={t('accounts.fields.person')} extra={t('accounts.personHint')}>
              <PersonSelect />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="password" label={t('accounts.initialPassword')} extra={t('accounts.passwordHint')}>
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('accounts.firstRole')}</Typography.Title>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="roleId"
              label={t('accounts.fields.role')}
              dependencies={['unitId']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_r, v) =>
                    v || !getFieldValue('unitId')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('accounts.chooseRole'))),
                }),
              ]}
            >
              <RoleSelect />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="unitId"
              label={t('accounts.fields.unit')}
              dependencies={['roleId']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_r, v) =>
                    v || !getFieldValue('roleId')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('common.chooseUnit'))),
                }),
              ]}
            >
              <UnitTreeSelect />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
