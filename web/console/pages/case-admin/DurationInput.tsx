import { InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DurationUnit, naturalUnit, unitMinutes } from './format.ts';

const UNITS: DurationUnit[] = ['days', 'hours', 'minutes'];

interface Props {
  /** Working minutes, as the API keeps them. */
  value?: number | null;
  onChange?(minutes: number | null): void;
  minutesPerDay: number;
  id?: string;
  'aria-invalid'?: boolean;
}

/**
 * Working time entered as administrators think of it — 5 working days, 2 working hours — and kept as working
 * minutes (a working day has the minutes of WORK_HOURS). The minutes it comes to are shown beside it.
 */
export function DurationInput({ value, onChange, minutesPerDay, id, ...rest }: Props) {
  const { t } = useTranslation();
  const [unit, setUnit] = useState<DurationUnit>(() => (value ? naturalUnit(value, minutesPerDay) : 'hours'));
  const factor = unitMinutes(unit, minutesPerDay);
  const amount = value === null || value === undefined ? null : Math.round((value / factor) * 100) / 100;

  return (
    <Space wrap size={8} className="duration-input">
      <Space.Compact>
        <InputNumber<number>
          id={id}
          aria-invalid={rest['aria-invalid']}
          value={amount}
          min={0}
          step={unit === 'minutes' ? 10 : 0.5}
          precision={unit === 'minutes' ? 0 : undefined}
          style={{ width: 110 }}
          onChange={(a) => onChange?.(a === null ? null : Math.round(a * factor))}
        />
        <Select<DurationUnit>
          value={unit}
          aria-label={t('caseAdmin.duration.unit')}
          style={{ width: 110 }}
          options={UNITS.map((u) => ({ value: u, label: t(`caseAdmin.duration.unit_${u}`) }))}
          onChange={(next) => {
            setUnit(next);
            if (amount !== null) onChange?.(Math.round(amount * unitMinutes(next, minutesPerDay)));
          }}
        />
      </Space.Compact>
      {typeof value === 'number' && (
        <Typography.Text type="secondary" data-testid="duration-minutes">
          {t('caseAdmin.duration.equals', { minutes: value })}
        </Typography.Text>
      )}
    </Space>
  );
}
