import { Alert, App, Button, Descriptions, Form, Input, Modal, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CalendarDay, type DayKind, removeCalendarDay, setCalendarDay } from '../../api/case-config.ts';
import { type Change, ChangeList, orDash } from './ChangeList.tsx';
import { weekdayOf } from './format.ts';
import { useServerErrors } from './server-errors.ts';
import { dayStatus } from './YearGrid.tsx';

interface Values {
  kind: DayKind;
  name: string;
}

/**
 * One day of the calendar: what it is now and why (the official schedule, the weekday rule or a local
 * override); make it a working day or a holiday with a note, or remove the override.
 */
export function DayModal({
  day,
  special,
  onClose,
  onSaved,
}: {
  day: string | undefined;
  special: CalendarDay | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const placeError = useServerErrors();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const status = day ? dayStatus(day, special) : undefined;
  const override = special?.source === 'override';

  useEffect(() => {
    if (!day) return;
    setFailure(null);
    form.resetFields();
    const isOverride = special?.source === 'override';
    form.setFieldsValue({ kind: dayStatus(day, special).kind, name: isOverride ? (special.name ?? '') : '' });
  }, [day, special, form]);

  const kindText = (k: DayKind) => t(`caseAdmin.calendar.kind.${k}`);
  const changes: Change[] = [];
  if (status && watched?.kind && watched.kind !== status.kind)
    changes.push({
      key: 'kind',
      label: t('caseAdmin.calendar.fields.kind'),
      before: kindText(status.kind),
      after: kindText(watched.kind),
    });
  const currentName = override ? (special?.name ?? '') : '';
  if (watched?.name !== undefined && watched.name.trim() !== currentName)
    changes.push({
      key: 'name',
      label: t('caseAdmin.calendar.fields.name'),
      before: orDash(currentName),
      after: orDash(watched.name.trim()),
    });

  async function save(values: Values) {
    // Enter in the note submits the form even while there is nothing to save.
    if (!day || changes.length === 0) return;
    setSaving(true);
    setFailure(null);
    try {
      await setCalendarDay(day, { kind: values.kind, name: values.name?.trim() || null });
      message.success(t('caseAdmin.calendar.saved', { day, kind: kindText(values.kind) }));
      onSaved();
    } catch (error) {
      setFailure(placeError(form, error));
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    if (!day) return;
    setRemoving(true);
    setFailure(null);
    try {
      await removeCalendarDay(day);
      message.success(t('caseAdmin.calendar.removed', { day }));
      onSaved();
    } catch (error) {
      setFailure(placeError(form, error));
    } finally {
      setRemoving(false);
    }
  }

  const source = special?.source ?? 'weekday';
  return (
    <Modal
      open={day !== undefined}
      title={day ? t('caseAdmin.calendar.dayTitle', { day }) : ''}
      onCancel={onClose}
      destroyOnHidden
      width={520}
      footer={
        <Space wrap>
          {override && (
            <Popconfirm
              title={t('caseAdmin.calendar.removeConfirm')}
              description={t('caseAdmin.calendar.removeHint')}
              okText={t('caseAdmin.calendar.remove')}
              okButtonProps={{ danger: true }}
              onConfirm={remove}
            >
              <Button danger loading={removing} data-testid="remove-override">
                {t('caseAdmin.calendar.remove')}
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            disabled={changes.length === 0}
            onClick={() => form.submit()}
            data-testid="save-day"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={failure} className="form-alert" />}
      {day && status && (
        <Descriptions size="small" column={1} className="form-alert" data-testid="day-status">
          <Descriptions.Item label={t('caseAdmin.calendar.weekday')}>
            {t('caseAdmin.calendar.weekdayName', { name: t('caseAdmin.calendar.weekdays').split(',')[weekdayOf(day)] })}
          </Descriptions.Item>
          <Descriptions.Item label={t('caseAdmin.calendar.now')}>
            <Space size={4} wrap>
              <Tag color={status.kind === 'holiday' ? 'red' : 'blue'}>{kindText(status.kind)}</Tag>
              {special?.name && <Typography.Text>{special.name}</Typography.Text>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('caseAdmin.calendar.source')}>
            <span data-testid="day-source" data-source={source}>
              {t(`caseAdmin.calendar.sources.${source}`)}
            </span>
          </Descriptions.Item>
        </Descriptions>
      )}
      <Form<Values> form={form} layout="vertical" onFinish={save}>
        <Form.Item name="kind" label={t('caseAdmin.calendar.fields.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={(['workday', 'holiday'] as const).map((k) => ({ value: k, label: kindText(k) }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('caseAdmin.calendar.fields.name')}
          rules={[{ max: 50, message: t('common.maxLength', { max: 50 }) }]}
        >
          <Input maxLength={50} placeholder={t('caseAdmin.calendar.namePlaceholder')} data-testid="day-name" />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('caseAdmin.calendar.effectHint')}</Typography.Paragraph>
      </Form>
      <ChangeList changes={changes} />
    </Modal>
  );
}
