import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Activity, cancelActivity } from '../../api/activities.ts';
import { useActivityErrorText } from './activity-format.ts';

/** Cancel an activity with the reason residents will read; everyone enrolled or waiting is notified. */
export function CancelActivityModal({
  activity,
  onClose,
  onCancelled,
}: {
  activity: Activity | undefined;
  onClose(): void;
  onCancelled(activity: Activity): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useActivityErrorText();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit({ reason }: { reason: string }) {
    if (!activity) return;
    setSaving(true);
    setFailure(null);
    try {
      const cancelled = await cancelActivity(activity.id, activity.version, reason.trim());
      message.success(t('activities.cancelled'));
      onCancelled(cancelled);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={activity !== undefined}
      title={activity ? t('activities.cancelTitle', { title: activity.title }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('activities.cancelConfirm')}
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        title={t('activities.cancelWarning', { count: (activity?.enrolled ?? 0) + (activity?.waiting ?? 0) })}
        style={{ marginBottom: 16 }}
      />
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('activities.cancelReason')}
          rules={[
            { required: true, whitespace: true, message: t('activities.cancelReasonRequired') },
            { max: 500, message: t('common.maxLength', { max: 500 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
