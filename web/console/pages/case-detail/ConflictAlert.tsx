import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseAction, CaseDetail } from '../../api/cases.ts';
import { formatTime } from '../../lib/format.ts';

/** What the user saw when their action was refused because someone acted first. */
export interface Conflict {
  action: CaseAction;
  before: CaseDetail;
}

/**
 * Said plainly after a 409: the action was not taken, the page shows the case as it is now, and what changed
 * since the user opened it (the state before and after, and the new timeline entries).
 */
export function ConflictAlert({
  conflict,
  now,
  refreshing,
  onClose,
}: {
  conflict: Conflict;
  now: CaseDetail;
  refreshing: boolean;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { before, action } = conflict;
  const seen = Math.max(0, ...before.events.map((e) => e.seq));
  const fresh = refreshing ? [] : now.events.filter((e) => e.seq > seen);
  const state = (s: CaseDetail['state']) => t(`caseTerms.state.${s}`);
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose, 'aria-label': t('common.close') }}
      data-testid="conflict-alert"
      title={t('caseDetail.conflict.title')}
      description={
        <div>
          <div>{t('caseDetail.conflict.text', { action: t(`caseTerms.action.${action}`) })}</div>
          {refreshing ? (
            <div className="muted">{t('caseDetail.refreshing')}</div>
          ) : (
            <>
              <div data-testid="conflict-state">
                {before.state !== now.state
                  ? t('caseDetail.conflict.stateChanged', { from: state(before.state), to: state(now.state) })
                  : t('caseDetail.conflict.stateSame', { state: state(now.state) })}
              </div>
              {fresh.length > 0 ? (
                <div data-testid="conflict-events">
                  {t('caseDetail.conflict.newEvents')}
                  <ul className="conflict-events">
                    {fresh.map((e) => (
                      <li key={e.id}>
                        {t('caseDetail.conflict.event', {
                          time: formatTime(e.at),
                          actor: e.actorUnit ? `${e.actorName}（${e.actorUnit.name}）` : e.actorName,
                          action: t(`caseTerms.action.${e.action}`, { defaultValue: e.action }),
                        })}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </>
          )}
        </div>
      }
    />
  );
}
