import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The generated password, shown once: the server keeps only its hash. */
export function TemporaryPasswordModal({
  value,
  onClose,
}: {
  value: { username: string; password: string } | undefined;
  onClose(): void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={value !== undefined}
      title={t('accounts.temporaryTitle')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
    >
      {value && (
        <>
          <Alert type="warning" showIcon title={t('accounts.temporaryHint')} style={{ marginBottom: 16 }} />
          <Typography.Paragraph>
            {t('accounts.fields.username')}：<Typography.Text strong>{value.username}</Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('accounts.temporaryPassword')}：
            <Typography.Text code copyable data-testid="temporary-password">
              {value.password}
            </Typography.Text>
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
