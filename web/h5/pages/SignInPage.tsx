import { Button, Input, List } from 'antd-mobile';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, requestCode, verifyCode } from '../api/session.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { describeError } from '../errors.ts';
import { useSession } from '../session.tsx';

const PHONE = /^1[3-9]\d{9}$/;
const CODE = /^\d{6}$/;
const RESEND_SECONDS = 60;

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** Phone number and one-time code; a new phone gets a resident account on its first sign-in. */
export default function SignInPage() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [sending, setSending] = useState(false);
  const [verifying, setVerifying] = useState(false);

  const waiting = Math.max(0, Math.ceil((resendAt - now) / 1000));
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  async function sendCode() {
    setError(null);
    setNotice(null);
    if (!PHONE.test(phone)) {
      setError(t('signIn.phoneInvalid'));
      return;
    }
    setSending(true);
    try {
      const result = await requestCode(phone);
      setNotice(
        t('signIn.codeSent', { phone: masked(phone), minutes: Math.max(1, Math.round(result.expiresInSeconds / 60)) }),
      );
      setResendAt(Date.now() + RESEND_SECONDS * 1000);
      setNow(Date.now());
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setSending(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!PHONE.test(phone)) return setError(t('signIn.phoneInvalid'));
    if (!CODE.test(code)) return setError(t('signIn.codeInvalid'));
    setVerifying(true);
    try {
      const { session } = await verifyCode(phone, code);
      await signedIn(session);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_CODE') setCode('');
      setError(describeError(t, e));
      setVerifying(false);
    }
  }

  return (
    <div className="h5-page h5-signin" data-testid="signin-page">
      <div className="h5-signin-lang">
        <LanguageSwitch compact />
      </div>
      <header className="h5-signin-head">
        <img src="/h5/icons/icon.svg" alt="" width={64} height={64} />
        <h1>{t('app.name')}</h1>
        <p>{t('signIn.subtitle')}</p>
      </header>
      <form onSubmit={submit} noValidate>
        <h2 className="h5-section-title">{t('signIn.title')}</h2>
        <List>
          <List.Item title={t('signIn.phone')}>
            <Input
              aria-label={t('signIn.phone')}
              type="tel"
              inputMode="numeric"
              autoComplete="tel-national"
              maxLength={11}
              placeholder={t('signIn.phonePlaceholder')}
              value={phone}
              onChange={(value) => setPhone(value.replace(/\D/g, ''))}
              clearable
            />
          </List.Item>
          <List.Item
            title={t('signIn.code')}
            extra={
              <Button
                className="h5-code-button"
                size="middle"
                fill="outline"
                color="primary"
                disabled={waiting > 0}
                loading={sending}
                onClick={sendCode}
              >
                {waiting > 0
                  ? t('signIn.resendIn', { seconds: waiting })
                  : resendAt
                    ? t('signIn.resend')
                    : t('signIn.sendCode')}
              </Button>
            }
          >
            <Input
              aria-label={t('signIn.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t('signIn.codePlaceholder')}
              value={code}
              onChange={(value) => setCode(value.replace(/\D/g, ''))}
            />
          </List.Item>
        </List>
        <div className="h5-form-messages" aria-live="polite">
          {error ? (
            <p className="h5-form-error" role="alert">
              {error}
            </p>
          ) : notice ? (
            <p className="h5-form-notice">{notice}</p>
          ) : null}
        </div>
        <div className="h5-actions">
          <Button block type="submit" color="primary" size="large" loading={verifying}>
            {t('signIn.submit')}
          </Button>
        </div>
        <p className="h5-fineprint">{t('signIn.privacy')}</p>
      </form>
    </div>
  );
}
