import { Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import {
  childOrgKinds,
  createPartyOrg,
  type PartyOrg,
  type PartyOrgDetail,
  type PartyOrgKind,
  updatePartyOrg,
} from '../../api/party.ts';
import { PersonSelect } from '../../components/PersonSelect.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';

export type PartyOrgFormTarget = { mode: 'create'; parent: PartyOrgDetail } | { mode: 'edit'; org: PartyOrgDetail };

interface Values {
  kind?: PartyOrgKind;
  name: string;
  secretaryPersonId?: number | null;
  establishedOn?: Dayjs | null;
  unitIds?: number[];
}

/** Add an organisation under another one, or change one's name, secretary, founding date and units. */
export function PartyOrgFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: PartyOrgFormTarget | undefined;
  onClose(): void;
  onSaved(org: PartyOrg, previousParentId?: number | null): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const kinds = target?.mode === 'create' ? childOrgKinds(target.parent.kind) : [];

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if (target.mode === 'edit') {
      const o = target.org;
      form.setFieldsValue({
        name: o.name,
        secretaryPersonId: o.secretary?.id ?? null,
        establishedOn: o.establishedOn ? dayjs(o.establishedOn) : null,
        unitIds: o.units.map((u) => u.id),
      });
    } else {
      const options = childOrgKinds(target.parent.kind);
      form.setFieldsValue({ kind: options.includes('branch') ? 'branch' : options[0], unitIds: [] });
    }
  }, [target, form]);

  async function save(values: Values) {
    if (!target) return;
    setSaving(true);
    setFailure(null);
    const fields = {
      name: values.name.trim(),
      secretaryPersonId: values.secretaryPersonId ?? null,
      establishedOn: values.establishedOn ? values.establishedOn.format('YYYY-MM-DD') : null,
      unitIds: values.unitIds ?? [],
    };
    try {
      const org =
        target.mode === 'create'
          ? await createPartyOrg({ parentId: target.parent.id, kind: values.kind as PartyOrgKind, ...fields })
          : await updatePartyOrg(target.org.id, target.org.version, fields);
      onSaved(org);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DUPLICATE') {
        form.setFields([{ name: 'name', errors: [t('party.duplicateName')] }]);
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  }

  const initialSecretary = target?.mode === 'edit' ? target.org.secretary : null;
  return (
    <Modal
      open={target !== undefined}
      title={
        target?.mode === 'edit'
          ? t('party.editTitle', { name: target.org.name })
          : t('party.createUnder', { name: target?.parent.name ?? '' })
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      destroyOnHidden
      width={560}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        {target?.mode === 'create' && (
          <Form.Item name="kind" label={t('party.fields.kind')} rules={[{ required: true }]}>
            <Select options={kinds.map((k) => ({ value: k, label: t(`party.kinds.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('party.fields.name')}
          rules={[
            { required: true, whitespace: true, message: t('party.nameRequired') },
            { max: 100, message: t('common.maxLength', { max: 100 }) },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="secretaryPersonId" label={t('party.fields.secretary')}>
          <PersonSelect initial={initialSecretary} />
        </Form.Item>
        <Form.Item name="establishedOn" label={t('party.fields.establishedOn')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="unitIds" label={t('party.fields.units')} extra={t('party.unitsHint')}>
          <UnitTreeSelect multiple />
        </Form.Item>
      </Form>
    </Modal>
  );
}
