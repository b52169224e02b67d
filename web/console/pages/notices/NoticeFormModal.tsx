import { Alert, App, Form, Input, Modal, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIENCE_UNIT_KINDS, type Notice, publishNotice, updateNotice } from '../../api/notices.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';

interface Values {
  unitId?: number;
  title: string;
  body: string;
  urgent: boolean;
  pinned: boolean;
}

interface Props {
  open: boolean;
  /** The notice to edit; undefined to publish a new one. */
  notice: Notice | undefined;
  onClose(): void;
  onSaved(): void;
}

/**
 * Publish or edit a notice. Urgent is the one switch with consequences outside the console: turning it on
 * shows what it does (a pop-up and an SMS to every resident of the audience, once), and publishing asks again.
 */
export function NoticeFormModal({ open, notice, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const urgent = Form.useWatch('urgent', form);
  const alreadyPushed = notice?.pushedAt ?? null;

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.resetFields();
    form.setFieldsValue(
      notice
        ? {
            unitId: notice.unit.id,
            title: notice.title,
            body: notice.body,
            urgent: notice.urgent,
            pinned: notice.pinned,
          }
        : { title: '', body: '', urgent: false, pinned: false },
    );
  }, [open, notice, form]);

  async function save(values: Values) {
    setSaving(true);
    setFailure(null);
    try {
      const fields = {
        unitId: values.unitId as number,
        title: values.title.trim(),
        body: values.body.trim(),
        urgent: values.urgent,
        pinned: values.pinned,
      };
      const { pushed } = notice
        ? await updateNotice(notice.id, { ...fields, version: notice.version })
        : await publishNotice(fields);
      const key = notice
        ? pushed
          ? 'notices.savedPushed'
          : 'notices.saved'
        : pushed
          ? 'notices.publishedPushed'
          : 'notices.published';
      message.success(t(key, { count: pushed }));
      onSaved();
    } catch (error) {
      if (!showFieldErrors(form, error, t('common.invalidValue'))) setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function submit() {
    const values = await form.validateFields();
    if (values.urgent && !alreadyPushed) {
      modal.confirm({
        title: t('notices.confirmUrgent.title'),
        content: t('notices.confirmUrgent.body'),
        okText: t('notices.confirmUrgent.ok'),
        okButtonProps: { danger: true, 'data-testid': 'confirm-urgent' },
        onOk: () => save(values),
      });
    } else {
      await save(values);
    }
  }

  return (
    <Modal
      open={open}
      title={t(notice ? 'notices.form.editTitle' : 'notices.form.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t(notice ? 'notices.form.save' : 'notices.form.submit')}
      okButtonProps={{ loading: saving, danger: Boolean(urgent && !alreadyPushed), 'data-testid': 'notice-submit' }}
      cancelText={t('common.cancel')}
      width={640}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" requiredMark>
        <Form.Item
          name="unitId"
          label={t('notices.fields.unit')}
          extra={t('notices.form.unitHint')}
          rules={[{ required: true, message: t('notices.form.unitRequired') }]}
        >
          <UnitTreeSelect selectableKinds={AUDIENCE_UNIT_KINDS} placeholder={t('notices.form.unitPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('notices.fields.title')}
          rules={[{ required: true, whitespace: true, message: t('notices.form.titleRequired') }]}
        >
          <Input maxLength={100} showCount placeholder={t('notices.form.titlePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('notices.fields.body')}
          rules={[{ required: true, whitespace: true, message: t('notices.form.bodyRequired') }]}
        >
          <Input.TextArea maxLength={5000} showCount autoSize={{ minRows: 6, maxRows: 14 }} />
        </Form.Item>
        <Form.Item
          name="urgent"
          label={t('notices.fields.urgent')}
          valuePropName="checked"
          extra={t('notices.form.urgentHint')}
        >
          <Switch data-testid="notice-urgent" />
        </Form.Item>
        {urgent && !alreadyPushed ? (
          <Alert type="warning" showIcon title={t('notices.form.urgentWarning')} style={{ marginBottom: 16 }} />
        ) : null}
        {alreadyPushed ? (
          <Alert
            type="info"
            showIcon
            title={t('notices.form.alreadyPushed', { time: formatTime(alreadyPushed) })}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Form.Item
          name="pinned"
          label={t('notices.fields.pinned')}
          valuePropName="checked"
          extra={t('notices.form.pinnedHint')}
        >
          <Switch />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon title={failure} /> : null}
    </Modal>
  );
}
