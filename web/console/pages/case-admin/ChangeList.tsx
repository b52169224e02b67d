import { ArrowRightOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Change {
  key: string;
  label: string;
  /** Left out where the new value says it all (keywords added and removed). */
  before?: ReactNode;
  after: ReactNode;
}

/** Shown under a form: what saving it would change, old value → new value; or that nothing is changed yet. */
export function ChangeList({ changes, creating = false }: { changes: Change[]; creating?: boolean }) {
  const { t } = useTranslation();
  if (creating) return null;
  return (
    <div className="change-list" data-testid="change-list" aria-live="polite">
      <Typography.Text strong>{t('caseAdmin.changes.title')}</Typography.Text>
      {changes.length === 0 ? (
        <div className="muted">{t('caseAdmin.changes.none')}</div>
      ) : (
        <ul>
          {changes.map((c) => (
            <li key={c.key} data-change={c.key}>
              <span className="change-label">{t('caseAdmin.changes.label', { label: c.label })}</span>
              {c.before !== undefined && (
                <>
                  <span className="change-before">{c.before}</span>
                  <ArrowRightOutlined className="change-arrow" aria-label={t('caseAdmin.changes.to')} />
                </>
              )}
              <span className="change-after">{c.after}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The empty value as a dash, so "nothing → something" reads clearly. */
export const orDash = (value: ReactNode) =>
  value === null || value === undefined || value === '' ? <span className="muted">—</span> : value;
