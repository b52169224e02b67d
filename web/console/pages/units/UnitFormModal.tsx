import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { childKinds, createUnit, type Unit, type UnitKind, updateUnit } from '../../api/units.ts';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';

export type UnitFormTarget = { mode: 'create'; parent: Unit | null } | { mode: 'edit'; unit: Unit };

interface Values {
  kind?: UnitKind;
  name: string;
  code?: string;
  sortOrder?: number;
  phone?: string;
  address?: string;
  description?: string;
}

const PHONE = /^[\d\-+() ]{5,20}$/;
const blankToNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/** Add a unit under a parent, or edit one's name, code, contact and description. */
export function UnitFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: UnitFormTarget | undefined;
  onClose(): void;
  onSaved(unit: Unit, previousParentId?: number | null): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const kinds = target?.mode === 'create' ? childKinds(target.parent?.kind ?? null) : [];

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if (target.mode === 'edit') {
      const u = target.unit;
      form.setFieldsValue({
        name: u.name,
        code: u.code ?? undefined,
        sortOrder: u.sortOrder,
        phone: u.phone ?? undefined,
        address: u.address ?? undefined,
        description: u.description ?? undefined,
      });
    } else {
      form.setFieldsValue({ kind: kinds.length === 1 ? kinds[0] : undefined, sortOrder: 0 });
    }
  }, [target, form, kinds.length, kinds[0]]);

  async function save(values: Values) {
    if (!target) return;
    setSaving(true);
    setFailure(null);
    const fields = {
      name: values.name.trim(),
      code: blankToNull(values.code),
      sortOrder: values.sortOrder ?? 0,
      phone: blankToNull(values.phone),
      address: blankToNull(values.address),
      description: blankToNull(values.description),
    };
    try {
      const unit =
        target.mode === 'create'
          ? await createUnit({ parentId: target.parent?.id ?? null, kind: values.kind as UnitKind, ...fields })
          : await updateUnit(target.unit.id, target.unit.version, fields);
      onSaved(unit);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DUPLICATE') {
        const constraint = String((error.details as { constraint?: string } | undefined)?.constraint ?? '');
        const field = constraint.includes('code') ? 'code' : 'name';
        form.setFields([{ name: field, errors: [t(`units.duplicate.${field}`)] }]);
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  }

  const title =
    target?.mode === 'edit'
      ? t('units.editTitle', { name: target.unit.name })
      : target?.parent
        ? t('units.createUnder', { name: target.parent.name })
        : t('units.addTop');

  return (
    <Modal
      open={target !== undefined}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      destroyOnHidden
      width={560}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={save} preserve={false}>
        {target?.mode === 'create' && (
          <Form.Item
            name="kind"
            label={t('units.fields.kind')}
            rules={[{ required: true, message: t('units.kindRequired') }]}
          >
            <Select options={kinds.map((k) => ({ value: k, label: t(`unitKinds.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('units.fields.name')}
          rules={[
            { required: true, whitespace: true, message: t('units.nameRequired') },
            { max: 100, message: t('common.maxLength', { max: 100 }) },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('units.fields.code')}
          rules={[{ max: 40, message: t('common.maxLength', { max: 40 }) }]}
        >
          <Input maxLength={40} placeholder={t('units.codeHint')} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('units.fields.phone')}
          rules={[{ pattern: PHONE, message: t('units.phoneInvalid') }]}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('units.fields.address')}
          rules={[{ max: 200, message: t('common.maxLength', { max: 200 }) }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('units.fields.sortOrder')}>
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('units.fields.description')}
          rules={[{ max: 2000, message: t('common.maxLength', { max: 2000 }) }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
