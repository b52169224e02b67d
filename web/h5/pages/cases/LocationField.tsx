import { Button, DotLoading } from 'antd-mobile';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LngLat, type LocatedGrid, locateGrid } from '../../api/cases.ts';
import { GridIcon } from '../../components/icons.tsx';
import { caseErrorText } from './format.ts';

// Leaflet and its styles arrive only when the resident opens the map.
const ReportMap = lazy(() => import('./ReportMap.tsx'));

/** Where the point stands: not chosen, being looked up, inside a grid, outside every grid. */
export type Located =
  | { status: 'none' }
  | { status: 'locating' }
  | { status: 'done'; grid: LocatedGrid | null }
  | { status: 'failed'; error: unknown };

export interface LocationFieldProps {
  value: LngLat | null;
  onChange(point: LngLat | null): void;
  onLocated(located: Located): void;
}

/** Six decimals: about 10 cm, more than a finger on a map or a phone's fix can mean. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The place of the problem: the phone's position, or a point picked on a map of my community's grids; then
 * the grid it lies in, or a clear word that it lies outside the territory.
 */
export function LocationField({ value, onChange, onLocated }: LocationFieldProps) {
  const { t } = useTranslation();
  const [showMap, setShowMap] = useState(false);
  const [geo, setGeo] = useState<'idle' | 'asking' | string>('idle');
  const [located, setLocated] = useState<Located>({ status: 'none' });

  const lng = value?.lng;
  const lat = value?.lat;
  // biome-ignore lint/correctness/useExhaustiveDependencies: onLocated is the parent's setter; the point decides
  useEffect(() => {
    if (lng === undefined || lat === undefined) {
      setLocated({ status: 'none' });
      onLocated({ status: 'none' });
      return;
    }
    let live = true;
    setLocated({ status: 'locating' });
    onLocated({ status: 'locating' });
    locateGrid({ lng, lat }).then(
      ({ grid }) => {
        if (!live) return;
        setLocated({ status: 'done', grid });
        onLocated({ status: 'done', grid });
      },
      (error: unknown) => {
        if (!live) return;
        setLocated({ status: 'failed', error });
        onLocated({ status: 'failed', error });
      },
    );
    return () => {
      live = false;
    };
  }, [lng, lat]);

  function askPosition() {
    if (!('geolocation' in navigator)) {
      setGeo(t('cases.report.geoUnsupported'));
      return;
    }
    setGeo('asking');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setGeo('idle');
        onChange({ lng: round(position.coords.longitude), lat: round(position.coords.latitude) });
      },
      (error) => {
        setGeo(error.code === error.PERMISSION_DENIED ? t('cases.report.geoDenied') : t('cases.report.geoUnavailable'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  const grid = located.status === 'done' ? located.grid : undefined;
  return (
    <div className="h5-location-field">
      <div className="h5-inline-actions">
        <Button color="primary" fill="outline" onClick={askPosition} loading={geo === 'asking'}>
          {t('cases.report.useCurrent')}
        </Button>
        <Button color="primary" fill="outline" onClick={() => setShowMap((shown) => !shown)} aria-expanded={showMap}>
          {showMap ? t('cases.report.hideMap') : t('cases.report.pickOnMap')}
        </Button>
      </div>
      {geo !== 'idle' && geo !== 'asking' ? (
        <p className="h5-form-error" role="alert">
          {geo}
        </p>
      ) : null}
      {showMap ? (
        <Suspense
          fallback={
            <div className="h5-report-map h5-report-map-loading">
              <DotLoading color="primary" />
              {t('cases.report.mapLoading')}
            </div>
          }
        >
          <ReportMap value={value} onChange={onChange} highlightGridId={grid?.id ?? null} />
        </Suspense>
      ) : null}
      <div className="h5-located" aria-live="polite">
        {located.status === 'none' ? <p className="h5-field-hint">{t('cases.report.noLocation')}</p> : null}
        {located.status === 'locating' ? (
          <p className="h5-field-hint">
            <DotLoading /> {t('cases.report.locating')}
          </p>
        ) : null}
        {located.status === 'done' && grid ? (
          <p className="h5-located-grid" data-testid="report-grid" data-grid-name={grid.name}>
            <GridIcon className="h5-located-icon" />
            {grid.communityName
              ? t('cases.report.inGridCommunity', { community: grid.communityName, grid: grid.name })
              : t('cases.report.inGrid', { grid: grid.name })}
          </p>
        ) : null}
        {located.status === 'done' && !grid ? (
          <p className="h5-form-error" role="alert" data-testid="report-grid" data-grid-name="">
            {t('cases.report.outside')}
          </p>
        ) : null}
        {located.status === 'failed' ? <p className="h5-form-error">{caseErrorText(t, located.error)}</p> : null}
        {value ? (
          <Button size="small" fill="none" onClick={() => onChange(null)}>
            {t('cases.report.clearLocation')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
