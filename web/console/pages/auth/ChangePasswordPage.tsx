import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../../shared/api.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSession } from '../../lib/session.tsx';
import { LanguageLinks } from './LanguageLinks.tsx';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Change my password; `forced` when the account must change it before using the console. */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { refresh, signOut } = useSession();
  const errorText = useErrorText();
  const [form] = Form.useForm<PasswordForm>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(values: PasswordForm) {
    setSubmitting(true);
    setFailure(null);
    try {
      await post('/api/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      // The server starts a new session (and CSRF token) after a password change.
      await refresh();
      form.resetFields();
      message.success(t('password.changed'));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSubmitting(false);
    }
  }

  const card = (
    <Card className="password-card" title={t('password.title')}>
      {forced && <Alert type="warning" showIcon title={t('password.forced')} className="login-alert" />}
      {failure && <Alert type="error" showIcon title={failure} className="login-alert" role="alert" />}
      <Typography.Paragraph type="secondary">{t('password.rules')}</Typography.Paragraph>
      <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[
            { required: true, message: t('password.newRequired') },
            { min: 10, max: 128, message: t('password.length') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting} block={forced}>
          {t('password.submit')}
        </Button>
        {forced && (
          <Button type="link" block onClick={() => void signOut()}>
            {t('header.signOut')}
          </Button>
        )}
      </Form>
      {forced && <LanguageLinks />}
    </Card>
  );
  return forced ? <div className="password-screen">{card}</div> : <div className="page narrow-page">{card}</div>;
}
