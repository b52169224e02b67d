import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CalendarDay, getCalendar } from '../../api/case-config.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { DayModal } from './DayModal.tsx';
import { YearGrid } from './YearGrid.tsx';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** Today in the calendar's time zone, as `YYYY-MM-DD`. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/**
 * The working-day calendar time limits are counted on: the official holidays and adjusted working days of
 * a year (chinese-days) with this installation's overrides, and the working hours (WORK_HOURS, read-only).
 */
export function CalendarTab() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  // Undefined until the server says which year it is in its time zone.
  const [year, setYear] = useState<number>();
  const [tick, setTick] = useState(0);
  const [picked, setPicked] = useState<string>();
  const calendar = useLoad(() => getCalendar(year), [year, tick]);
  const data = calendar.data;
  const shownYear = year ?? data?.year;
  const today = data ? todayIn(data.timeZone) : '';
  const thisYear = today ? Number(today.slice(0, 4)) : undefined;
  const byDay = useMemo(() => new Map((data?.days ?? []).map((d) => [d.day, d])), [data]);
  const overrides = (data?.days ?? []).filter((d) => d.source === 'override');
  const counts = useMemo(() => {
    const days = data?.days ?? [];
    return {
      holidays: days.filter((d) => d.kind === 'holiday').length,
      workdays: days.filter((d) => d.kind === 'workday').length,
    };
  }, [data]);

  const go = (next: number) => setYear(Math.min(MAX_YEAR, Math.max(MIN_YEAR, next)));
  const yearOptions = shownYear
    ? Array.from({ length: 11 }, (_, i) => shownYear - 5 + i)
        .filter((y) => y >= MIN_YEAR && y <= MAX_YEAR)
        .map((y) => ({ value: y, label: t('caseAdmin.calendar.year', { year: y }) }))
    : [];

  return (
    <div className="tab-body">
      <Typography.Paragraph type="secondary">{t('caseAdmin.calendar.intro')}</Typography.Paragraph>
      {calendar.error ? (
        <Alert
          type="error"
          showIcon
          title={errorText(calendar.error)}
          action={<Button onClick={calendar.reload}>{t('common.retry')}</Button>}
        />
      ) : null}
      {data && (
        <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 4 }} className="calendar-facts">
          <Descriptions.Item label={t('caseAdmin.calendar.workHours')}>
            <span data-testid="work-hours">{data.workHours}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('caseAdmin.calendar.minutesPerDay')}>
            {t('caseAdmin.calendar.minutes', { count: data.minutesPerWorkingDay })}
          </Descriptions.Item>
          <Descriptions.Item label={t('caseAdmin.calendar.timeZone')}>{data.timeZone}</Descriptions.Item>
          <Descriptions.Item label={t('caseAdmin.calendar.summary')}>
            {t('caseAdmin.calendar.summaryText', { ...counts, overrides: overrides.length })}
          </Descriptions.Item>
        </Descriptions>
      )}
      {data && (
        <Typography.Text type="secondary" className="calendar-readonly">
          {t('caseAdmin.calendar.workHoursHint')}
        </Typography.Text>
      )}
      <div className="toolbar calendar-toolbar">
        <Space wrap>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('caseAdmin.calendar.previousYear')}
            disabled={!shownYear || shownYear <= MIN_YEAR}
            onClick={() => shownYear && go(shownYear - 1)}
          />
          <Select<number>
            value={shownYear}
            options={yearOptions}
            onChange={go}
            style={{ width: 120 }}
            aria-label={t('caseAdmin.calendar.yearLabel')}
            data-testid="calendar-year"
          />
          <Button
            icon={<RightOutlined />}
            aria-label={t('caseAdmin.calendar.nextYear')}
            disabled={!shownYear || shownYear >= MAX_YEAR}
            onClick={() => shownYear && go(shownYear + 1)}
          />
          {thisYear && shownYear !== thisYear && (
            <Button onClick={() => go(thisYear)}>{t('caseAdmin.calendar.thisYear')}</Button>
          )}
        </Space>
        <Space wrap size={4} className="calendar-legend" aria-label={t('caseAdmin.calendar.legend')}>
          <span className="legend-swatch day-special-holiday">{t('caseAdmin.calendar.legendHoliday')}</span>
          <span className="legend-swatch day-special-workday">{t('caseAdmin.calendar.legendWorkday')}</span>
          <span className="legend-swatch day-weekend">{t('caseAdmin.calendar.legendWeekend')}</span>
          <span className="legend-swatch day-override">{t('caseAdmin.calendar.legendOverride')}</span>
        </Space>
      </div>
      {data && !data.libraryCovers && (
        <Alert type="warning" showIcon title={t('caseAdmin.calendar.notCovered', { year: data.year })} />
      )}
      <Spin spinning={calendar.loading}>
        {data && shownYear === data.year ? (
          <YearGrid year={data.year} days={data.days} today={today} onPick={setPicked} />
        ) : (
          <div className="calendar-placeholder" />
        )}
      </Spin>
      <Card size="small" title={t('caseAdmin.calendar.overridesTitle', { year: shownYear ?? '' })}>
        <Table<CalendarDay>
          rowKey="day"
          size="small"
          dataSource={overrides}
          pagination={false}
          loading={calendar.loading}
          locale={{ emptyText: t('caseAdmin.calendar.noOverrides') }}
          onRow={(r) => ({ 'data-testid': `override-${r.day}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('caseAdmin.calendar.fields.day'), dataIndex: 'day', width: 140 },
            {
              title: t('caseAdmin.calendar.fields.kind'),
              width: 120,
              render: (_, r) => (
                <Tag color={r.kind === 'holiday' ? 'red' : 'blue'}>{t(`caseAdmin.calendar.kind.${r.kind}`)}</Tag>
              ),
            },
            {
              title: t('caseAdmin.calendar.fields.name'),
              render: (_, r) => r.name ?? <span className="muted">—</span>,
            },
            {
              title: t('common.actions'),
              width: 100,
              render: (_, r) => (
                <Button type="link" size="small" onClick={() => setPicked(r.day)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <DayModal
        day={picked}
        special={picked ? byDay.get(picked) : undefined}
        onClose={() => setPicked(undefined)}
        onSaved={() => {
          setPicked(undefined);
          setTick((n) => n + 1);
        }}
      />
    </div>
  );
}
