import { Alert, type ButtonProps, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../api/cases.ts';

const MAX_NOTE = 200;

/** 督办: a short note, then the `supervise` transition (the caller runs it and reports the server's answer). */
export function FlagModal({
  target,
  onCancel,
  onSubmit,
}: {
  target: CaseSummary | undefined;
  onCancel(): void;
  onSubmit(c: CaseSummary, note: string): Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);

  const finish = async ({ note }: { note: string }) => {
    if (!target) return;
    setSaving(true);
    try {
      if (await onSubmit(target, note.trim())) onCancel();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={target !== undefined}
      title={target ? t('supervision.flag.title', { number: target.number }) : ''}
      okText={t('supervision.flag.submit')}
      okButtonProps={{ danger: true, loading: saving, 'data-testid': 'flag-submit' } as ButtonProps}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      {target && <Alert type="info" showIcon title={target.title} description={t('supervision.flag.hint')} />}
      <Form form={form} layout="vertical" onFinish={finish} className="flag-form" data-testid="flag-form">
        <Form.Item
          name="note"
          label={t('supervision.flag.note')}
          rules={[{ required: true, whitespace: true, message: t('supervision.flag.required') }]}
        >
          <Input
            autoFocus
            maxLength={MAX_NOTE}
            showCount
            placeholder={t('supervision.flag.placeholder')}
            data-testid="flag-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
