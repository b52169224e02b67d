import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseState, Colour, Urgency } from '../../api/cases.ts';

const COLOUR_TAG: Record<Colour, string> = { red: 'red', orange: 'orange', green: 'green' };
/** Hex values of the three lights, for charts and the map. */
export const COLOUR_HEX: Record<Colour, string> = { red: '#cf1322', orange: '#fa8c16', green: '#389e0d' };

export function ColourTag({ colour }: { colour: Colour }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOUR_TAG[colour]} data-colour={colour}>
      ● {t(`caseTerms.colour.${colour}`)}
    </Tag>
  );
}

const OPEN_STATE_TAG: Partial<Record<CaseState, string>> = {
  received: 'default',
  pendingDispatch: 'gold',
  whistled: 'volcano',
  arbitration: 'magenta',
  resolved: 'cyan',
  supervisionReview: 'purple',
  closed: 'default',
  merged: 'default',
};

export function StateTag({ state }: { state: CaseState }) {
  const { t } = useTranslation();
  return (
    <Tag color={OPEN_STATE_TAG[state] ?? 'blue'} data-state={state}>
      {t(`caseTerms.state.${state}`)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  if (urgency === 'normal') return null;
  return <Tag color={urgency === 'critical' ? 'red' : 'volcano'}>{t(`caseTerms.urgency.${urgency}`)}</Tag>;
}

/** Working time as the largest sensible unit: days of 8 working hours, hours, or minutes. */
export function useWorkingDuration(): (minutes: number) => string {
  const { t } = useTranslation();
  return (minutes: number) => {
    const m = Math.abs(Math.round(minutes));
    if (m >= 480) return t('caseTerms.timeLeft.days', { count: Math.round((m / 480) * 10) / 10 });
    if (m >= 60) return t('caseTerms.timeLeft.hours', { count: Math.round((m / 60) * 10) / 10 });
    return t('caseTerms.timeLeft.minutes', { count: m });
  };
}

/**
 * Working time left before the deadline (negative: overdue), as the server computed it on its calendar;
 * the tooltip gives the deadline itself.
 */
export function TimeLeft({ minutes, dueAt }: { minutes: number | null | undefined; dueAt: string | null }) {
  const { t } = useTranslation();
  const duration = useWorkingDuration();
  if (minutes === null || minutes === undefined || !dueAt)
    return <span className="muted">{t('caseTerms.timeLeft.none')}</span>;
  const overdue = minutes < 0;
  const text = overdue
    ? t('caseTerms.timeLeft.overdue', { time: duration(minutes) })
    : t('caseTerms.timeLeft.left', { time: duration(minutes) });
  return (
    <Tooltip title={new Date(dueAt).toLocaleString()}>
      <span className={overdue ? 'time-left overdue' : 'time-left'} data-overdue={overdue}>
        {text}
      </span>
    </Tooltip>
  );
}
