import { useTranslation } from 'react-i18next';
import { EMPTY_FILL, loadClasses, RED_OUTLINE } from './load-scale.ts';

/** What the fills and the red outline mean, over the map's lower left corner. */
export function LoadLegend({ max }: { max: number }) {
  const { t } = useTranslation();
  return (
    <div className="case-map-legend" data-testid="case-map-legend">
      <div className="case-map-legend-title">{t('caseMap.legend.title')}</div>
      <div className="case-map-legend-row">
        <span className="case-map-swatch" style={{ background: EMPTY_FILL }} />
        {t('caseMap.legend.none')}
      </div>
      {max > 0 &&
        loadClasses(max).map((c) => (
          <div className="case-map-legend-row" key={c.from}>
            <span className="case-map-swatch" style={{ background: c.fill }} />
            {c.from === c.to ? t('caseMap.legend.single', { n: c.from }) : t('caseMap.legend.range', c)}
          </div>
        ))}
      <div className="case-map-legend-row">
        <span className="case-map-swatch outline" style={{ borderColor: RED_OUTLINE }} />
        {t('caseMap.legend.redOutline')}
      </div>
    </div>
  );
}
