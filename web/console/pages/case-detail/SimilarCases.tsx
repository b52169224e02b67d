import { Alert, Button, Card, Empty, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../api/cases.ts';
import { ColourTag, StateTag } from '../../components/cases/CaseTags.tsx';
import { useErrorText } from '../../lib/errors.ts';

export type SimilarCase = CaseSummary & { distanceMetres: number };

interface Props {
  hasLocation: boolean;
  items: SimilarCase[] | undefined;
  loading: boolean;
  error: unknown;
  /** Offered when merge is among the allowed actions. */
  onMerge?(master: SimilarCase): void;
}

/** Open cases near this one with words in common, nearest first: a duplicate can be merged into one of them. */
export function SimilarCases({ hasLocation, items, loading, error, onMerge }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (
    <Card
      size="small"
      title={t('caseDetail.similar.title')}
      extra={<span className="muted">{t('caseDetail.similar.hint')}</span>}
      data-testid="similar-cases"
    >
      {!hasLocation ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseDetail.similar.noLocation')} />
      ) : error ? (
        <Alert type="error" showIcon title={errorText(error)} />
      ) : (
        <Spin spinning={loading}>
          {(items ?? []).length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseDetail.similar.empty')} />
          ) : (
            <ul className="similar-list">
              {(items ?? []).map((item) => (
                <li key={item.id} className="similar-case" data-testid="similar-case" data-case-id={item.id}>
                  <div className="similar-case-main">
                    <Link to={`/cases/${item.id}`}>
                      <Typography.Text ellipsis={{ tooltip: item.title }}>{item.title}</Typography.Text>
                    </Link>
                    <Space size={4} wrap>
                      <span className="muted">{item.number}</span>
                      <span className="muted">
                        {t('caseDetail.similar.distance', { distance: item.distanceMetres })}
                      </span>
                      <ColourTag colour={item.colour} />
                      <StateTag state={item.state} />
                    </Space>
                  </div>
                  {onMerge ? (
                    <Button size="small" onClick={() => onMerge(item)} data-testid={`merge-into-${item.id}`}>
                      {t('caseDetail.similar.mergeInto')}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Spin>
      )}
    </Card>
  );
}
