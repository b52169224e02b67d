import { Alert, Col, DatePicker, Form, Input, Modal, Radio, Row, Spin, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import {
  createPerson,
  type Gender,
  getPerson,
  PERSON_UNIT_KINDS,
  type PersonDetail,
  type PersonInput,
  updatePerson,
} from '../../api/people.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';

interface Values {
  name: string;
  gender?: Gender | null;
  birthDate?: Dayjs | null;
  phone?: string;
  idNumber?: string;
  unitId?: number;
  address?: string;
  isResident: boolean;
  note?: string;
}

const MOBILE = /^1[3-9]\d{9}$/;
const ID_NUMBER = /^\d{17}[\dXx]$/;

/**
 * Register a person or change one. Phone, identity number and address arrive masked, so on edit they start
 * empty: a value typed in replaces the stored one, an empty field leaves it as it is.
 */
export function PersonFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: { id?: number } | undefined;
  onClose(): void;
  onSaved(person: PersonDetail): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [current, setCurrent] = useState<PersonDetail>();
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const editing = target?.id !== undefined;

  useEffect(() => {
    setFailure(null);
    setCurrent(undefined);
    if (!target) return;
    form.resetFields();
    if (target.id === undefined) {
      form.setFieldsValue({ isResident: true });
      return;
    }
    setLoading(true);
    getPerson(target.id).then(
      (person) => {
        setCurrent(person);
        form.setFieldsValue({
          name: person.name,
          gender: person.gender,
          birthDate: person.birthDate ? dayjs(person.birthDate) : null,
          unitId: person.unit?.id,
          isResident: person.flags.resident,
          note: person.note ?? '',
        });
        setLoading(false);
      },
      (error: unknown) => {
        setFailure(errorText(error));
        setLoading(false);
      },
    );
  }, [target, form, errorText]);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    const input: PersonInput = {
      name: values.name.trim(),
      gender: values.gender ?? null,
      birthDate: values.birthDate ? values.birthDate.format('YYYY-MM-DD') : null,
      unitId: values.unitId,
      isResident: values.isResident,
      note: values.note?.trim() || null,
    };
    if (values.phone?.trim()) input.phone = values.phone.trim();
    if (values.idNumber?.trim()) input.idNumber = values.idNumber.trim().toUpperCase();
    if (values.address?.trim()) input.address = values.address.trim();
    try {
      const saved = current
        ? await updatePerson(current.id, current.version, input)
        : await createPerson({ ...input, name: input.name as string, unitId: values.unitId as number });
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DUPLICATE') {
        form.setFields([{ name: 'idNumber', errors: [t('people.duplicateIdNumber')] }]);
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        setFailure(errorText(error));
      }
    } finally {
      setSaving(false);
    }
  }

  const keepHint = (masked: string | null | undefined) =>
    editing ? t('people.keepHint', { value: masked ?? t('common.none') }) : undefined;

  return (
    <Modal
      open={target !== undefined}
      title={editing ? t('people.editTitle', { name: current?.name ?? '' }) : t('people.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ disabled: loading }}
      confirmLoading={saving}
      destroyOnHidden
      width={720}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Spin spinning={loading}>
        <Form<Values> form={form} layout="vertical" onFinish={save}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('people.fields.name')}
                rules={[
                  { required: true, whitespace: true, message: t('people.nameRequired') },
                  { max: 50, message: t('common.maxLength', { max: 50 }) },
                ]}
              >
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="gender" label={t('people.fields.gender')}>
                <Radio.Group
                  options={[
                    { value: 'male', label: t('people.gender.male') },
                    { value: 'female', label: t('people.gender.female') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="birthDate" label={t('people.fields.birthDate')}>
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="unitId"
                label={t('people.fields.unit')}
                rules={[{ required: true, message: t('people.unitRequired') }]}
              >
                <UnitTreeSelect selectableKinds={PERSON_UNIT_KINDS} allowClear={false} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="phone"
                label={t('people.fields.phone')}
                extra={keepHint(current?.phone)}
                rules={[{ pattern: MOBILE, message: t('people.phoneInvalid') }]}
              >
                <Input maxLength={11} inputMode="numeric" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="idNumber"
                label={t('people.fields.idNumber')}
                extra={keepHint(current?.idNumber)}
                rules={[{ pattern: ID_NUMBER, message: t('people.idNumberInvalid') }]}
              >
                <Input maxLength={18} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="address"
                label={t('people.fields.address')}
                extra={keepHint(current?.address)}
                rules={[{ max: 200, message: t('common.maxLength', { max: 200 }) }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="isResident" label={t('people.fields.isResident')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="note"
                label={t('people.fields.note')}
                rules={[{ max: 2000, message: t('common.maxLength', { max: 2000 }) }]}
              >
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Spin>
    </Modal>
  );
}
