import { Alert, Checkbox, Col, Form, Input, Modal, Row, Select, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { createRole, type DataScope, permissionCatalogue, type Role, updateRole } from '../../api/accounts.ts';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';

interface Values {
  code: string;
  name: string;
  nameEn?: string;
  dataScope: DataScope;
  permissions: string[];
}

const CODE = /^[a-zA-Z][a-zA-Z0-9_.-]{1,39}$/;

/** Define a custom role or change one: its names, data scope and permissions (grouped by module). */
export function RoleFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: { role?: Role } | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const catalogue = useLoad(permissionCatalogue, [], target !== undefined);
  const role = target?.role;

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if (target.role) {
      form.setFieldsValue({
        code: target.role.code,
        name: target.role.name,
        nameEn: target.role.nameEn ?? '',
        dataScope: target.role.dataScope,
        permissions: target.role.permissions,
      });
    } else {
      form.setFieldsValue({ dataScope: 'subtree', permissions: [] });
    }
  }, [target, form]);

  const modules = new Map<string, string[]>();
  for (const item of catalogue.data?.items ?? [])
    modules.set(item.module, [...(modules.get(item.module) ?? []), item.code]);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    const fields = {
      name: values.name.trim(),
      nameEn: values.nameEn?.trim() || null,
      dataScope: values.dataScope,
      permissions: values.permissions,
    };
    try {
      if (role) await updateRole(role.id, role.version, fields);
      else await createRole({ code: values.code.trim(), ...fields });
      onSaved();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DUPLICATE') {
        form.setFields([{ name: 'code', errors: [t('roles.duplicateCode')] }]);
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={target !== undefined}
      title={role ? t('roles.editTitle', { name: role.name }) : t('roles.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      width={720}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('roles.formHint')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('roles.fields.code')}
              rules={[
                { required: true, message: t('roles.codeRequired') },
                { pattern: CODE, message: t('roles.codeHint') },
              ]}
            >
              <Input disabled={Boolean(role)} maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="name"
              label={t('roles.fields.name')}
              rules={[{ required: true, whitespace: true, max: 50, message: t('roles.nameRequired') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameEn" label={t('roles.fields.nameEn')} rules={[{ max: 100 }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="dataScope" label={t('roles.fields.dataScope')} rules={[{ required: true }]}>
          <Select
            options={(catalogue.data?.dataScopes ?? ['all', 'subtree', 'unit', 'own']).map((s) => ({
              value: s,
              label: t(`scope.${s}`),
            }))}
            style={{ width: 240 }}
          />
        </Form.Item>
        <Spin spinning={catalogue.loading}>
          <Form.Item name="permissions" label={t('roles.fields.permissions')}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Row gutter={[8, 8]}>
                {[...modules.entries()].map(([module, codes]) =>
                  codes.map((code) => (
                    <Col span={8} key={code}>
                      <Checkbox value={code}>
                        {t(`permissions.${code}`, { defaultValue: code })}
                        <Typography.Text type="secondary">
                          {' '}
                          · {t(`roles.modules.${module}`, { defaultValue: module })}
                        </Typography.Text>
                      </Checkbox>
                    </Col>
                  )),
                )}
              </Row>
            </Checkbox.Group>
          </Form.Item>
        </Spin>
      </Form>
    </Modal>
  );
}
