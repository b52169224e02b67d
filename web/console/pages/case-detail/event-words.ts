import { useTranslation } from 'react-i18next';
import type { CaseEvent } from '../../api/cases.ts';
import { useWorkingDuration } from '../../components/cases/CaseTags.tsx';
import { formatTime } from '../../lib/format.ts';

type Data = Record<string, unknown>;

const record = (x: unknown): Data | null => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Data) : null);
const nameOf = (x: unknown): string | null => {
  const r = record(x);
  return r && typeof r.name === 'string' ? r.name : null;
};
const namesOf = (x: unknown): string[] =>
  Array.isArray(x) ? x.map(nameOf).filter((n): n is string => n !== null) : [];
const str = (x: unknown): string | null => (typeof x === 'string' && x ? x : null);

/**
 * An event's data in words, one short line per fact: whom a whistle summoned and by when, the category a
 * classification chose, where a dispatch sent the case, the rating of a visit, the time an extension asked for.
 */
export function useEventWords(): (event: CaseEvent) => string[] {
  const { t } = useTranslation();
  const duration = useWorkingDuration();
  const list = (names: string[]) => names.join(t('common.listSeparator'));
  const colour = (x: unknown) => (str(x) ? t(`caseTerms.colour.${x}`) : t('common.none'));

  return (event) => {
    const d = event.data ?? {};
    const lines: string[] = [];
    const push = (line: string | null | false | undefined) => {
      if (line) lines.push(line);
    };
    switch (event.action) {
      case 'intake':
        if (str(d.channel)) push(t('caseDetail.event.channel', { channel: t(`caseTerms.channel.${d.channel}`) }));
        if (nameOf(d.territory)) push(t('caseDetail.event.territory', { unit: nameOf(d.territory) }));
        break;
      case 'classify':
        if (nameOf(d.category)) push(t('caseDetail.event.category', { category: nameOf(d.category) }));
        if (str(d.urgency)) push(t('caseDetail.event.urgency', { urgency: t(`caseTerms.urgency.${d.urgency}`) }));
        if (d.manualDispatch) push(t('caseDetail.event.manualDispatch'));
        else if (nameOf(d.to)) push(t('caseDetail.event.to', { unit: nameOf(d.to) }));
        break;
      case 'dispatch':
      case 'escalate':
        if (nameOf(d.to)) push(t('caseDetail.event.to', { unit: nameOf(d.to) }));
        break;
      case 'transfer':
      case 'whistle':
      case 'redispatch':
        if (nameOf(d.from) && nameOf(d.lead)) {
          push(t('caseDetail.event.transferFrom', { from: nameOf(d.from), to: nameOf(d.lead) }));
        } else if (nameOf(d.to)) {
          push(t('caseDetail.event.to', { unit: nameOf(d.to) }));
        } else if (nameOf(d.lead)) {
          push(t('caseDetail.event.lead', { unit: nameOf(d.lead) }));
        }
        if (namesOf(d.assists).length) push(t('caseDetail.event.assists', { units: list(namesOf(d.assists)) }));
        if (str(d.deadline)) push(t('caseDetail.event.deadline', { time: formatTime(str(d.deadline)) }));
        break;
      case 'checkIn':
        if (nameOf(d.unit)) {
          const timing = d.inTime === false ? t('caseDetail.event.late') : t('caseDetail.event.onTime');
          push(`${t('caseDetail.event.checkedIn', { unit: nameOf(d.unit) })}（${timing}）`);
        }
        break;
      case 'returnCase':
        if (nameOf(d.unit)) push(t('caseDetail.event.returned', { unit: nameOf(d.unit) }));
        break;
      case 'assistCheckIn':
        if (namesOf(d.units).length) push(t('caseDetail.event.assistCheckedIn', { units: list(namesOf(d.units)) }));
        break;
      case 'assistReturn':
        if (namesOf(d.units).length) push(t('caseDetail.event.assistReturned', { units: list(namesOf(d.units)) }));
        break;
      case 'overrule':
        if (nameOf(d.unit)) push(t('caseDetail.event.overruled', { unit: nameOf(d.unit) }));
        break;
      case 'resolve':
      case 'selfResolve':
        if (nameOf(d.resolver)) {
          const timing = d.inTime === false ? t('caseDetail.event.resolvedLate') : t('caseDetail.event.resolvedInTime');
          push(`${t('caseDetail.event.resolver', { unit: nameOf(d.resolver) })}（${timing}）`);
        }
        break;
      case 'visit':
      case 'expireVisit': {
        if (str(d.rating)) push(t('caseDetail.event.rating', { rating: t(`caseTerms.rating.${d.rating}`) }));
        if (typeof d.solved === 'boolean')
          push(d.solved ? t('caseDetail.event.solved') : t('caseDetail.event.unsolved'));
        if (d.by === 'phone') push(t('caseDetail.event.byPhone'));
        if (d.by === 'reporter') push(t('caseDetail.event.byReporter'));
        if (d.reopened) push(t('caseDetail.event.reopened'));
        if (d.toSupervision) push(t('caseDetail.event.toSupervision'));
        break;
      }
      case 'requestExtension':
        if (typeof d.extraMinutes === 'number') {
          push(t('caseDetail.event.extraTime', { time: duration(d.extraMinutes) }));
        }
        break;
      case 'decideExtension':
        if (d.approved === true) {
          if (typeof d.extraMinutes === 'number') {
            push(t('caseDetail.event.approved', { time: duration(d.extraMinutes) }));
          }
          if (str(d.to)) push(t('caseDetail.event.newDue', { time: formatTime(str(d.to)) }));
        } else if (d.approved === false) {
          push(t('caseDetail.event.rejected'));
        }
        break;
      case 'setColour':
        push(
          d.from
            ? t('caseDetail.event.colour', { from: colour(d.from), to: colour(d.to) })
            : t('caseDetail.event.colourSet', { to: colour(d.to) }),
        );
        break;
      case 'colourChange':
        push(t('caseDetail.event.colour', { from: colour(d.from), to: colour(d.to) }));
        break;
      case 'merge': {
        const master = record(d.master);
        if (master && str(master.number)) push(t('caseDetail.event.master', { number: str(master.number) }));
        break;
      }
      case 'reject':
        push(t('caseDetail.event.rejectedCase'));
        break;
      case 'chase':
        if ('cadence' in d) push(t('caseDetail.event.autoChase'));
        break;
      case 'inviteVisit':
        push(t('caseDetail.event.invited'));
        break;
    }
    return lines;
  };
}
