import { Button, Result, Spin } from 'antd';
import { type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../lib/session.tsx';

/** A page the session has no permission for shows 403 instead (the server refuses it anyway). */
export function RequirePermission({ anyOf, children }: { anyOf?: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { can } = useSession();
  if (anyOf && !anyOf.some(can)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('errors.FORBIDDEN')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.backHome')}</Button>
          </Link>
        }
      />
    );
  }
  return (
    <Suspense
      fallback={
        <div className="page-loading">
          <Spin />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}
