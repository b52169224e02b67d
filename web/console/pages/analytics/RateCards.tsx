import { QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Card, Col, Popover, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ThreeRates } from '../../api/metrics.ts';
import { percent } from './format.ts';

type RateKey = 'responseRate' | 'resolutionRate' | 'satisfactionRate';
const RATE_KEYS: readonly RateKey[] = ['responseRate', 'resolutionRate', 'satisfactionRate'];

/** The counts behind a rate, in words. */
function useCountsText() {
  const { t } = useTranslation();
  return (key: RateKey, r: ThreeRates) => {
    const c = r.counts;
    if (key === 'responseRate') {
      return t('analytics.rates.responseCounts', { num: c.respondedInTime, den: c.assigned });
    }
    if (key === 'resolutionRate') return t('analytics.rates.resolutionCounts', { num: c.solved, den: c.answered });
    return t('analytics.rates.satisfactionCounts', {
      satisfied: c.satisfied,
      partly: c.partlySatisfied,
      weight: r.partlySatisfiedWeight,
      den: c.answered,
    });
  };
}

interface Props {
  rates: ThreeRates | undefined;
  loading: boolean;
  /** Column spans of each card. */
  span?: { xs?: number; sm?: number; md?: number; xl?: number };
}

/** 三率 as three cards: the rate, the counts behind it, and its formula one click away. */
export function RateCards({ rates, loading, span = { xs: 24, sm: 12, xl: 6 } }: Props) {
  const { t, i18n } = useTranslation();
  const countsText = useCountsText();
  const english = i18n.language === 'en-US';
  return (
    <>
      {RATE_KEYS.map((key) => {
        const name = t(`analytics.rates.${key}`);
        const value = rates?.rates[key] ?? null;
        const formula = rates ? rates.formulas[key][english ? 'en' : 'zh'] : '';
        return (
          <Col key={key} {...span}>
            <Card
              size="small"
              className="rate-card"
              data-testid={`rate-${key}`}
              data-value={rates ? String(value) : undefined}
            >
              {loading && !rates ? (
                <Skeleton active paragraph={{ rows: 1 }} />
              ) : (
                <>
                  <div className="rate-card-head">
                    <span>{name}</span>
                    {rates ? (
                      <Popover
                        title={t('analytics.rates.formula')}
                        content={<div className="formula-text">{formula}</div>}
                        trigger={['click', 'hover']}
                      >
                        <Button
                          type="text"
                          size="small"
                          icon={<QuestionCircleOutlined />}
                          aria-label={t('analytics.rates.showFormula', { name })}
                          data-testid={`formula-${key}`}
                        />
                      </Popover>
                    ) : null}
                  </div>
                  <Statistic
                    value={value === null ? t('analytics.rates.none') : percent(value)}
                    styles={{ content: { color: value === null ? undefined : '#c8102e' } }}
                    className="rate-value"
                  />
                  <Typography.Text type="secondary" className="rate-counts">
                    {rates ? countsText(key, rates) : ''}
                  </Typography.Text>
                </>
              )}
            </Card>
          </Col>
        );
      })}
    </>
  );
}
