import { Button, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type LngLat, meToo, type SimilarCase, similarCases } from '../../api/cases.ts';
import { ApiError } from '../../api/session.ts';
import { caseErrorText, formatWhen } from './format.ts';
import { StageTag } from './parts.tsx';

export interface SimilarCasesProps {
  point: LngLat | null;
  text: string;
  categoryId: number | null;
}

const LOOKUP_DELAY_MS = 600;

/**
 * Open cases near the point that look like this one (others' reports, no names): "me too" joins one instead
 * of reporting the same thing again, and opens it.
 */
export function SimilarCases({ point, text, categoryId }: SimilarCasesProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [items, setItems] = useState<SimilarCase[]>([]);
  const [joining, setJoining] = useState<number | null>(null);
  const lng = point?.lng;
  const lat = point?.lat;
  const words = text.trim().slice(0, 500);

  useEffect(() => {
    if (lng === undefined || lat === undefined) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      similarCases({ lng, lat }, words || undefined, categoryId ?? undefined).then(
        ({ items: found }) => live && setItems(found),
        // Similar cases are a help, not a step: without them the resident simply reports.
        () => live && setItems([]),
      );
    }, LOOKUP_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [lng, lat, words, categoryId]);

  async function join(item: SimilarCase) {
    setJoining(item.id);
    try {
      await meToo(item.id);
      Toast.show({ icon: 'success', content: t('cases.report.joinedToast') });
      navigate(`/cases/${item.id}`, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        Toast.show({ content: t('cases.report.ownCase') });
        navigate(`/cases/${item.id}`, { replace: true });
      } else Toast.show({ icon: 'fail', content: caseErrorText(t, error) });
    } finally {
      setJoining(null);
    }
  }

  if (items.length === 0) return null;
  return (
    <section className="h5-card h5-similar" aria-labelledby="similar-title" data-testid="similar-cases">
      <h2 id="similar-title" className="h5-card-title">
        {t('cases.report.similarTitle')}
      </h2>
      <p className="h5-field-hint">{t('cases.report.similarHint')}</p>
      <ul className="h5-similar-list">
        {items.map((item) => (
          <li key={item.id} className="h5-similar-item" data-case-number={item.number}>
            <div className="h5-similar-body">
              <span className="h5-similar-title">{item.title}</span>
              <span className="h5-similar-meta">
                <StageTag stage={item.stage} />
                {item.category ? <span>{item.category.name}</span> : null}
                <span>{t('cases.report.distance', { metres: Math.round(item.distanceMetres) })}</span>
                <span>{formatWhen(t, item.reportedAt)}</span>
                {item.supporters > 0 ? <span>{t('cases.report.supporters', { count: item.supporters })}</span> : null}
              </span>
            </div>
            {item.joined ? (
              <Button size="middle" disabled>
                {t('cases.report.joined')}
              </Button>
            ) : (
              <Button
                size="middle"
                color="primary"
                fill="outline"
                loading={joining === item.id}
                disabled={joining !== null}
                onClick={() => join(item)}
              >
                {t('cases.report.meToo')}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
