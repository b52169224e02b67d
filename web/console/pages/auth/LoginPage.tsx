import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { post, type SessionInfo } from '../../../shared/api.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSession } from '../../lib/session.tsx';
import { LanguageLinks } from './LanguageLinks.tsx';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { signedIn, expired } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const errorText = useErrorText();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(values: Credentials) {
    setSubmitting(true);
    setFailure(null);
    try {
      const body = await post<{ session: SessionInfo }>('/api/auth/login', values);
      const from = (location.state as { from?: string } | null)?.from;
      signedIn(body.session);
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (error) {
      setFailure(errorText(error));
      setSubmitting(false);
    }
  }

  return (
    <div className="login-screen">
      <div className="login-banner">
        <div className="login-banner-mark">邻里</div>
        <Typography.Title level={2} className="login-banner-title">
          {t('login.bannerTitle')}
        </Typography.Title>
        <Typography.Paragraph className="login-banner-text">{t('login.bannerText')}</Typography.Paragraph>
      </div>
      <div className="login-panel">
        <Card className="login-card" variant="borderless">
          <Typography.Title level={3}>{t('login.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
          {expired && !failure && <Alert type="info" showIcon title={t('login.expired')} className="login-alert" />}
          {failure && (
            <Alert
              type="error"
              showIcon
              title={failure}
              className="login-alert"
              data-testid="login-error"
              role="alert"
            />
          )}
          <Form<Credentials> layout="vertical" size="large" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={200} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {t('login.submit')}
            </Button>
          </Form>
          <LanguageLinks />
        </Card>
        <Typography.Text type="secondary" className="login-footer">
          {t('login.footer')}
        </Typography.Text>
      </div>
    </div>
  );
}
