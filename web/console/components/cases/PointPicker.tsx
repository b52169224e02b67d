import { AimOutlined, CloseCircleOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { locateResponse } from '../../../../src/server/modules/grids/grids.schema.ts';
import { get, qs } from '../../../shared/api.ts';
import { allGridsWithBoundaries, type GridSummary } from '../../api/grids.ts';
import { useErrorText } from '../../lib/errors.ts';
import { createMap, moveOptions } from '../../lib/map.ts';

export interface LngLat {
  lng: number;
  lat: number;
}

/** The grid a point lies in, as GET /api/grids/locate answers. */
export type LocatedGrid = NonNullable<z.infer<typeof locateResponse>['grid']>;

export interface MapArea {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface PointPickerProps {
  value?: LngLat | null;
  onChange?(point: LngLat | undefined): void;
  /** Called with the grid the point lies in once located (null: outside every grid, or no point). */
  onGrid?(grid: LocatedGrid | null): void;
  /** An area to bring into view when it changes (an address search result). */
  focus?: MapArea | null;
  height?: number;
  id?: string;
}

const locate = (point: LngLat) =>
  get<{ grid: LocatedGrid | null }>(`/api/grids/locate${qs({ lng: point.lng, lat: point.lat })}`).then((b) => b.grid);

/** Six decimals: about 10 cm, more than a click on the map can mean. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
const pointOf = (latlng: L.LatLng): LngLat => ({ lng: round(latlng.lng), lat: round(latlng.lat) });

const PIN = L.divIcon({
  className: 'point-picker-pin',
  html:
    '<svg width="28" height="40" viewBox="0 0 28 40" aria-hidden="true">' +
    '<path d="M14 0C6.3 0 0 6.2 0 13.9 0 24.3 14 40 14 40s14-15.7 14-26.1C28 6.2 21.7 0 14 0z" fill="#c8102e"/>' +
    '<circle cx="14" cy="14" r="5.5" fill="#fff"/></svg>',
  iconSize: [28, 40],
  iconAnchor: [14, 40],
});

const GRID_STYLE: L.PathOptions = { color: '#1677ff', weight: 1.2, fillColor: '#1677ff', fillOpacity: 0.08 };
const LOCATED_STYLE: L.PathOptions = { color: '#c8102e', weight: 2.5, fillColor: '#c8102e', fillOpacity: 0.12 };

type Located =
  | { status: 'idle' }
  | { status: 'locating' }
  | { status: 'done'; grid: LocatedGrid | null }
  | { status: 'failed'; error: unknown };

/**
 * Picks a point on a plain-background map of my scope's grids (no tiles: works offline, sends nothing to a
 * third party): click, drag the pin, or press Enter to pin the map's centre. As the point changes the grid
 * it lies in is looked up and shown, or a warning that the street will dispatch it by hand.
 */
export function PointPicker({ value, onChange, onGrid, focus, height = 420, id }: PointPickerProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const gridLayer = useRef<L.FeatureGroup | null>(null);
  const shapes = useRef(new Map<number, L.Path>());
  const marker = useRef<L.Marker | null>(null);
  const handlers = useRef({ onChange, onGrid });
  handlers.current = { onChange, onGrid };
  const [grids, setGrids] = useState<GridSummary[]>();
  const [gridsFailed, setGridsFailed] = useState<unknown>(null);
  const [located, setLocated] = useState<Located>({ status: 'idle' });

  useEffect(() => {
    let live = true;
    allGridsWithBoundaries({}).then(
      (items) => live && setGrids(items),
      (error: unknown) => {
        if (!live) return;
        setGrids([]);
        setGridsFailed(error);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!container.current) return;
    const instance = createMap(container.current);
    instance.setView([35, 105], 4);
    L.control.scale({ imperial: false }).addTo(instance);
    gridLayer.current = L.featureGroup().addTo(instance);
    // Only a click that also went down on the map pins a point: choosing an address from the dropdown above
    // the map closes it between mouse down and up, and the browser then delivers the click to the map.
    const element = container.current;
    let pressedAt = 0;
    const onPress = () => {
      pressedAt = Date.now();
    };
    element.addEventListener('pointerdown', onPress);
    instance.on('click', (event: L.LeafletMouseEvent) => {
      if (Date.now() - pressedAt > 2000) return;
      handlers.current.onChange?.(pointOf(event.latlng));
    });
    // Keyboard: the arrow keys pan (Leaflet), Enter pins the centre of the view.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || event.target !== element) return;
      event.preventDefault();
      handlers.current.onChange?.(pointOf(instance.getCenter()));
    };
    element.addEventListener('keydown', onKey);
    map.current = instance;
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.removeEventListener('keydown', onKey);
      element.removeEventListener('pointerdown', onPress);
      instance.remove();
      map.current = null;
      marker.current = null;
    };
  }, []);

  // The grids, drawn once they arrive; the view fits them unless a point or an area is already shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only new grids redraw; the point is read once here
  useEffect(() => {
    const layer = gridLayer.current;
    const instance = map.current;
    if (!layer || !instance || !grids) return;
    layer.clearLayers();
    shapes.current.clear();
    for (const grid of grids) {
      if (!grid.boundary) continue;
      const shape = L.geoJSON(grid.boundary, { style: GRID_STYLE });
      shape.bindTooltip(grid.communityName ? `${grid.name} · ${grid.communityName}` : grid.name, {
        sticky: true,
        className: 'grid-label',
      });
      shape.addTo(layer);
      const path = shape.getLayers()[0] as L.Path | undefined;
      if (path) {
        shapes.current.set(grid.id, path);
        path.getElement()?.setAttribute('data-grid-name', grid.name);
      }
    }
    if (value) instance.setView([value.lat, value.lng], Math.max(instance.getZoom(), 16), moveOptions);
    else if (!focus && layer.getLayers().length > 0) {
      instance.fitBounds(layer.getBounds(), { padding: [16, 16], ...moveOptions });
    }
    highlight(located.status === 'done' ? (located.grid?.id ?? null) : null);
  }, [grids]);

  function highlight(gridId: number | null) {
    for (const [idOfGrid, path] of shapes.current) {
      path.setStyle(idOfGrid === gridId ? LOCATED_STYLE : GRID_STYLE);
      if (idOfGrid === gridId) path.bringToFront();
    }
  }

  // An area chosen elsewhere (an address search result) is brought into view.
  useEffect(() => {
    if (!focus || !map.current) return;
    map.current.fitBounds(
      [
        [focus.south, focus.west],
        [focus.north, focus.east],
      ],
      { padding: [24, 24], maxZoom: 17, ...moveOptions },
    );
  }, [focus]);

  // The pin follows the value; a point outside the view brings the view to it.
  const lng = value?.lng;
  const lat = value?.lat;
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    if (lng === undefined || lat === undefined) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const at = L.latLng(lat, lng);
    if (!marker.current) {
      marker.current = L.marker(at, {
        icon: PIN,
        draggable: true,
        keyboard: false,
        title: t('intake.point.dragPin'),
      }).addTo(instance);
      marker.current.on('dragend', () => {
        const moved = marker.current?.getLatLng();
        if (moved) handlers.current.onChange?.(pointOf(moved));
      });
      marker.current.getElement()?.setAttribute('data-testid', 'point-pin');
    } else {
      marker.current.setLatLng(at);
    }
    if (!instance.getBounds().contains(at)) instance.panTo(at, moveOptions);
  }, [lng, lat, t]);

  // Each new point is located; an answer for an older point is dropped.
  // biome-ignore lint/correctness/useExhaustiveDependencies: highlight only restyles the drawn grids
  useEffect(() => {
    if (lng === undefined || lat === undefined) {
      setLocated({ status: 'idle' });
      highlight(null);
      handlers.current.onGrid?.(null);
      return;
    }
    let live = true;
    setLocated({ status: 'locating' });
    locate({ lng, lat }).then(
      (grid) => {
        if (!live) return;
        setLocated({ status: 'done', grid });
        highlight(grid?.id ?? null);
        handlers.current.onGrid?.(grid);
      },
      (error: unknown) => {
        if (!live) return;
        setLocated({ status: 'failed', error });
        highlight(null);
        handlers.current.onGrid?.(null);
      },
    );
    return () => {
      live = false;
    };
  }, [lng, lat]);

  return (
    <div className="point-picker" data-testid="point-picker">
      <Spin spinning={grids === undefined} description={t('intake.point.loadingGrids')}>
        <div
          id={id}
          ref={container}
          className="grid-map"
          style={{ height, minHeight: 0 }}
          data-testid="point-picker-map"
          role="application"
          aria-label={t('intake.point.mapLabel')}
        />
      </Spin>
      <div style={{ marginTop: 8 }} aria-live="polite">
        {gridsFailed !== null && (
          <Alert type="warning" showIcon title={`${t('intake.point.gridsFailed')}：${errorText(gridsFailed)}`} />
        )}
        {located.status === 'idle' && (
          <Typography.Text type="secondary">
            <AimOutlined /> {t('intake.point.hint')}
          </Typography.Text>
        )}
        {located.status === 'locating' && (
          <Space>
            <Spin size="small" />
            <Typography.Text type="secondary">{t('intake.point.locating')}</Typography.Text>
          </Space>
        )}
        {located.status === 'done' && located.grid && (
          <Alert
            type="success"
            showIcon
            icon={<EnvironmentOutlined />}
            data-testid="point-grid"
            data-grid-name={located.grid.name}
            title={
              <span>
                {t('intake.point.inGrid')}
                <strong>{located.grid.name}</strong>
                {located.grid.communityName && ` · ${located.grid.communityName}`}
              </span>
            }
            action={<ClearButton onClear={() => handlers.current.onChange?.(undefined)} />}
          />
        )}
        {located.status === 'done' && !located.grid && (
          <Alert
            type="warning"
            showIcon
            data-testid="point-grid"
            data-grid-name=""
            title={t('intake.point.outside')}
            action={<ClearButton onClear={() => handlers.current.onChange?.(undefined)} />}
          />
        )}
        {located.status === 'failed' && <Alert type="error" showIcon title={errorText(located.error)} />}
        {value && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="point-coordinates">
            {t('intake.point.coordinates', { lng: value.lng.toFixed(6), lat: value.lat.toFixed(6) })}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

function ClearButton({ onClear }: { onClear(): void }) {
  const { t } = useTranslation();
  return (
    <Button size="small" type="text" icon={<CloseCircleOutlined />} onClick={onClear}>
      {t('intake.point.clear')}
    </Button>
  );
}
