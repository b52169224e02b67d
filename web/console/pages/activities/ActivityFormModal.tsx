import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Activity,
  type ActivityKind,
  createActivity,
  KINDS,
  ORGANISER_KINDS,
  updateActivity,
} from '../../api/activities.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { showFieldErrors } from '../../lib/errors.ts';
import { useActivityErrorText } from './activity-format.ts';

interface Values {
  kind: ActivityKind;
  unitId: number;
  title: string;
  description?: string;
  venue: string;
  time: [Dayjs, Dayjs];
  enrolWindow?: [Dayjs | null, Dayjs | null] | null;
  capacity: number;
  waitlistCapacity: number;
  contactPhone?: string;
  serviceHours?: number | null;
}

const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;
const TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/**
 * Publish an activity or change one. The server keeps the rules (times in order, capacity not below the
 * enrolled, organiser in my scope) and this form shows its refusals on the fields or as a sentence.
 */
export function ActivityFormModal({
  target,
  onClose,
  onSaved,
}: {
  /** `{}` to publish a new one, the activity to edit one, undefined when closed. */
  target: { activity?: Activity } | undefined;
  onClose(): void;
  onSaved(activity: Activity): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useActivityErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const editing = target?.activity;
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    setFailure(null);
    if (!target) return;
    form.resetFields();
    const a = target.activity;
    if (!a) {
      const start = dayjs().add(3, 'day').hour(14).minute(30).second(0).millisecond(0);
      form.setFieldsValue({
        kind: 'course',
        time: [start, start.add(2, 'hour')],
        capacity: 30,
        waitlistCapacity: 0,
      });
      return;
    }
    form.setFieldsValue({
      kind: a.kind,
      unitId: a.organiser.id,
      title: a.title,
      description: a.description,
      venue: a.venue,
      time: [dayjs(a.startsAt), dayjs(a.endsAt)],
      enrolWindow:
        a.enrolFrom || a.enrolUntil
          ? [a.enrolFrom ? dayjs(a.enrolFrom) : null, a.enrolUntil ? dayjs(a.enrolUntil) : null]
          : null,
      capacity: a.capacity,
      waitlistCapacity: a.waitlistCapacity,
      contactPhone: a.contactPhone ?? '',
      serviceHours: a.serviceHours,
    });
  }, [target, form]);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    const [from, until] = values.enrolWindow ?? [null, null];
    const input = {
      kind: values.kind,
      unitId: values.unitId,
      title: values.title.trim(),
      description: values.description?.trim() ?? '',
      venue: values.venue.trim(),
      startsAt: values.time[0].second(0).millisecond(0).toISOString(),
      endsAt: values.time[1].second(0).millisecond(0).toISOString(),
      enrolFrom: from ? from.second(0).millisecond(0).toISOString() : null,
      enrolUntil: until ? until.second(0).millisecond(0).toISOString() : null,
      capacity: values.capacity,
      waitlistCapacity: values.waitlistCapacity ?? 0,
      contactPhone: values.contactPhone?.trim() || null,
      serviceHours: values.kind === 'volunteer' ? (values.serviceHours ?? null) : null,
    };
    try {
      if (editing) {
        const result = await updateActivity(editing.id, { version: editing.version, ...input });
        message.success(result.promoted ? t('activities.promoted', { count: result.promoted }) : t('activities.saved'));
        onSaved(result.activity);
      } else {
        const created = await createActivity(input);
        message.success(t('activities.created'));
        onSaved(created);
      }
    } catch (error) {
      if (!showFieldErrors(form, error, t('common.invalidValue'))) setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={target !== undefined}
      title={editing ? t('activities.editTitle') : t('activities.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={editing ? t('common.save') : t('activities.create')}
      confirmLoading={saving}
      destroyOnHidden
      width={760}
    >
      {failure && (
        <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} data-testid="activity-form-error" />
      )}
      <Form<Values> form={form} layout="vertical" onFinish={save} data-testid="activity-form">
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="kind"
              label={t('activities.fields.kind')}
              rules={[{ required: true, message: t('activities.kindRequired') }]}
            >
              <Select options={KINDS.map((k) => ({ value: k, label: t(`activities.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="unitId"
              label={t('activities.fields.unit')}
              rules={[{ required: true, message: t('activities.unitRequired') }]}
            >
              <UnitTreeSelect selectableKinds={ORGANISER_KINDS} allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="title"
          label={t('activities.fields.title')}
          rules={[
            { required: true, whitespace: true, message: t('activities.titleRequired') },
            { max: 100, message: t('common.maxLength', { max: 100 }) },
          ]}
        >
          <Input maxLength={100} showCount data-testid="activity-title" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('activities.fields.description')}
          rules={[{ max: 5000, message: t('common.maxLength', { max: 5000 }) }]}
        >
          <Input.TextArea rows={3} maxLength={5000} showCount />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="venue"
              label={t('activities.fields.venue')}
              rules={[
                { required: true, whitespace: true, message: t('activities.venueRequired') },
                { max: 200, message: t('common.maxLength', { max: 200 }) },
              ]}
            >
              <Input maxLength={200} data-testid="activity-venue" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="contactPhone"
              label={t('activities.fields.contactPhone')}
              rules={[{ pattern: PHONE, message: t('activities.phoneInvalid') }]}
            >
              <Input maxLength={20} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="time"
          label={t('activities.fields.time')}
          rules={[
            { required: true, message: t('activities.timeRequired') },
            {
              validator: (_, value?: [Dayjs, Dayjs]) =>
                !value || value[1].isAfter(value[0])
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('activities.endsBeforeStarts'))),
            },
          ]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm', minuteStep: 5 }}
            format={TIME_FORMAT}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          name="enrolWindow"
          label={t('activities.fields.enrolWindow')}
          extra={t('activities.fields.enrolWindowHint')}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm', minuteStep: 5 }}
            format={TIME_FORMAT}
            allowEmpty={[true, true]}
            placeholder={[t('activities.openEnded'), t('activities.openEnded')]}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="capacity"
              label={t('activities.fields.capacity')}
              rules={[{ required: true, message: t('activities.capacityRequired') }]}
            >
              <InputNumber
                min={1}
                max={10000}
                precision={0}
                style={{ width: '100%' }}
                data-testid="activity-capacity"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="waitlistCapacity"
              label={t('activities.fields.waitlistCapacity')}
              tooltip={t('activities.fields.waitlistHint')}
            >
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {kind === 'volunteer' && (
            <Col span={8}>
              <Form.Item
                name="serviceHours"
                label={t('activities.fields.serviceHours')}
                tooltip={t('activities.fields.serviceHoursHint')}
              >
                <InputNumber min={0.5} max={100} step={0.5} precision={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Modal>
  );
}
