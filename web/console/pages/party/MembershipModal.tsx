import { Alert, DatePicker, Form, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Member, type MemberStatus, type PartyOrgDetail, setMembership } from '../../api/party.ts';
import { PersonSelect } from '../../components/PersonSelect.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';

export type MembershipTarget =
  | { mode: 'add'; org: PartyOrgDetail }
  | { mode: 'edit'; org: PartyOrgDetail; member: Member };

interface Values {
  personId?: number | null;
  status: MemberStatus;
  joinedOn?: Dayjs | null;
  checkInUnitId?: number | null;
}

/** Register a person as a member of this organisation, or change a member's status and check-in community. */
export function MembershipModal({
  target,
  onClose,
  onSaved,
}: {
  target: MembershipTarget | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!target) return;
    setFailure(null);
    form.resetFields();
    if (target.mode === 'edit') {
      const m = target.member;
      form.setFieldsValue({
        personId: m.personId,
        status: m.status,
        joinedOn: m.joinedOn ? dayjs(m.joinedOn) : null,
        checkInUnitId: m.checkInUnit?.id ?? null,
      });
    } else {
      form.setFieldsValue({ status: 'full' });
    }
  }, [target, form]);

  async function save(values: Values) {
    if (!target) return;
    const personId = target.mode === 'edit' ? target.member.personId : values.personId;
    if (!personId) return;
    setSaving(true);
    setFailure(null);
    try {
      await setMembership(personId, {
        partyOrgId: target.mode === 'edit' ? target.member.partyOrg.id : target.org.id,
        status: values.status,
        joinedOn: values.joinedOn ? values.joinedOn.format('YYYY-MM-DD') : null,
        checkInUnitId: values.checkInUnitId ?? null,
        ...(target.mode === 'edit' ? { version: target.member.version } : {}),
      });
      onSaved();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={target !== undefined}
      title={
        target?.mode === 'edit'
          ? t('party.editMember', { name: target.member.person.name })
          : t('party.addMemberTo', { name: target?.org.name ?? '' })
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        {target?.mode === 'add' && (
          <Form.Item
            name="personId"
            label={t('party.fields.person')}
            rules={[{ required: true, message: t('party.personRequired') }]}
          >
            <PersonSelect />
          </Form.Item>
        )}
        <Form.Item name="status" label={t('party.fields.status')} rules={[{ required: true }]}>
          <Radio.Group
            options={(['full', 'probationary'] as const).map((s) => ({
              value: s,
              label: t(`party.memberStatus.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="joinedOn" label={t('party.fields.joinedOn')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="checkInUnitId" label={t('party.fields.checkInUnit')} extra={t('party.checkInHint')}>
          <UnitTreeSelect selectableKinds={['community', 'village']} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
