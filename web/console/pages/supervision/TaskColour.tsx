import { Select, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CaseSummary, Colour } from '../../api/cases.ts';
import { COLOUR_HEX } from '../../components/cases/CaseTags.tsx';
import { formatTime } from '../../lib/format.ts';

const COLOURS: Colour[] = ['red', 'orange', 'green'];

/** A task-force item's manual colour, changed in place, and when it is next chased. */
export function TaskColour({ c, busy, onChange }: { c: CaseSummary; busy: boolean; onChange(colour: Colour): void }) {
  const { t } = useTranslation();
  return (
    <div className="task-colour">
      <Select<Colour>
        size="small"
        value={c.manualColour ?? undefined}
        loading={busy}
        disabled={busy}
        onChange={onChange}
        aria-label={t('supervision.task.colour', { number: c.number })}
        options={COLOURS.map((colour) => ({
          value: colour,
          label: (
            <span>
              <span style={{ color: COLOUR_HEX[colour] }}>●</span> {t(`caseTerms.colour.${colour}`)}
            </span>
          ),
        }))}
        style={{ width: 96 }}
        data-testid="task-colour"
      />
      <Tooltip title={c.nextChaseAt ? formatTime(c.nextChaseAt) : undefined}>
        <Typography.Text type="secondary" className="next-chase" data-testid="next-chase">
          {c.nextChaseAt
            ? t('supervision.task.nextChase', { time: dayjs(c.nextChaseAt).format('MM-DD') })
            : t('supervision.task.noChase')}
        </Typography.Text>
      </Tooltip>
    </div>
  );
}
