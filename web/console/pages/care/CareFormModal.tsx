import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARE_KINDS, type CareKind, type CareRecord, removeCareFile, setCareFile } from '../../api/people.ts';
import { PersonSelect } from '../../components/PersonSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';

interface Values {
  kinds: CareKind[];
  visitCycleDays?: number | null;
  responsiblePersonId?: number | null;
  note?: string;
}

interface Props {
  open: boolean;
  person: { id: number; name: string; unitId?: number | undefined };
  care: CareRecord | null;
  onClose(): void;
  onSaved(): void;
}

/** Add, change or close a person's care-person file (重点人群档案). */
export function CareFormModal({ open, person, care, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.setFieldsValue({
      kinds: care?.kinds ?? [],
      visitCycleDays: care?.visitCycleDays ?? null,
      responsiblePersonId: care?.responsiblePerson?.id ?? null,
      note: care?.note ?? '',
    });
  }, [open, care, form]);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    try {
      await setCareFile(person.id, {
        kinds: values.kinds,
        visitCycleDays: values.visitCycleDays ?? null,
        responsiblePersonId: values.responsiblePersonId ?? null,
        note: values.note?.trim() || null,
        ...(care ? { version: care.version } : {}),
      });
      message.success(t('common.saved'));
      onSaved();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setSaving(true);
    try {
      await removeCareFile(person.id);
      message.success(t('care.removed'));
      onSaved();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t(care ? 'care.editTitle' : 'care.addTitle', { name: person.name })}
      onCancel={onClose}
      destroyOnHidden
      width={560}
      footer={[
        care && (
          <Popconfirm key="remove" title={t('care.removeConfirm')} onConfirm={remove}>
            <Button danger disabled={saving} style={{ float: 'left' }}>
              {t('care.remove')}
            </Button>
          </Popconfirm>
        ),
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={saving} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>,
      ]}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="kinds"
          label={t('care.fields.kinds')}
          rules={[{ required: true, type: 'array', min: 1, message: t('care.kindsRequired') }]}
        >
          <Checkbox.Group options={CARE_KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="visitCycleDays" label={t('care.fields.visitCycleDays')} extra={t('care.visitCycleHint')}>
          <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="responsiblePersonId" label={t('care.fields.responsible')}>
          <PersonSelect initial={care?.responsiblePerson ?? null} />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('care.fields.note')}
          rules={[{ max: 2000, message: t('common.maxLength', { max: 2000 }) }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
