import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { Stage } from '../../api/cases.ts';
import { PhoneIcon } from '../../components/icons.tsx';

const STAGE_COLOURS: Record<Stage, string> = {
  received: 'primary',
  handling: 'warning',
  resolved: 'success',
  closed: 'default',
  merged: 'default',
};

/** The stage of a case in plain words: 已受理 / 办理中 / 已办结待评价 / 已办结 / 已合并. */
export function StageTag({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return (
    <Tag className="h5-stage" color={STAGE_COLOURS[stage]} fill="outline" data-stage={stage}>
      {t(`cases.stage.${stage}`)}
    </Tag>
  );
}

/** A large tap-to-call button: the phone's dialler opens with the number. */
export function DialLink({ name, phone }: { name: string; phone: string | null }) {
  const { t } = useTranslation();
  if (!phone) return <span className="h5-muted">{t('cases.noPhone')}</span>;
  return (
    <a
      className="h5-dial"
      href={`tel:${phone.replace(/[^\d+]/g, '')}`}
      aria-label={t('cases.dialLabel', { name, phone })}
    >
      <PhoneIcon className="h5-dial-icon" />
      <span>
        {t('cases.dial')} <span className="h5-dial-number">{phone}</span>
      </span>
    </a>
  );
}
