import 'leaflet/dist/leaflet.css';
import type * as Leaflet from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LngLat, type MyMap, myMap } from '../../api/cases.ts';
import { caseErrorText } from './format.ts';

export interface ReportMapProps {
  value: LngLat | null;
  onChange(point: LngLat): void;
  /** The grid the point was found in, drawn stronger. */
  highlightGridId: number | null;
}

const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
const move = { animate: !reducedMotion };
const round = (n: number) => Math.round(n * 1e6) / 1e6;

const GRID_STYLE = { color: '#1677ff', weight: 1.5, fillColor: '#1677ff', fillOpacity: 0.06 };
const HIGHLIGHT_STYLE = { color: '#c8102e', weight: 3, fillColor: '#c8102e', fillOpacity: 0.1 };
const PIN_SVG =
  '<svg width="34" height="48" viewBox="0 0 28 40" aria-hidden="true">' +
  '<path d="M14 0C6.3 0 0 6.2 0 13.9 0 24.3 14 40 14 40s14-15.7 14-26.1C28 6.2 21.7 0 14 0z" fill="#c8102e"/>' +
  '<circle cx="14" cy="14" r="5.5" fill="#fff"/></svg>';

interface MapParts {
  L: typeof Leaflet;
  map: Leaflet.Map;
  shapes: Map<number, Leaflet.Path>;
  marker: Leaflet.Marker | null;
}

/**
 * A map on a plain background (tiles only when the server names a tile source) with my community's grid
 * outlines, centred on my home; a tap pins the point, the pin can be dragged. Leaflet is loaded here, on
 * demand, so it is never part of the H5's first download.
 */
export default function ReportMap({ value, onChange, highlightGridId }: ReportMapProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const parts = useRef<MapParts | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    // Without my community's outlines (a failed request) the map still lets the resident pin a point.
    const outlines = myMap().catch((e: unknown) => {
      if (!cancelled) setError(e);
      return { tileUrl: null, attribution: null, home: null, grids: [] } satisfies MyMap;
    });
    Promise.all([import('leaflet'), outlines]).then(
      ([module, data]) => {
        const element = container.current;
        if (cancelled || !element) return;
        const L = (module as { default?: typeof Leaflet }).default ?? (module as typeof Leaflet);
        const map = L.map(element, {
          attributionControl: Boolean(data.tileUrl && data.attribution),
          zoomSnap: 0.5,
          minZoom: 3,
          maxZoom: 20,
          zoomAnimation: !reducedMotion,
          fadeAnimation: !reducedMotion,
          markerZoomAnimation: !reducedMotion,
        });
        if (data.tileUrl) {
          L.tileLayer(data.tileUrl, { attribution: data.attribution ?? '', maxZoom: 20 }).addTo(map);
        }
        const shapes = new Map<number, Leaflet.Path>();
        const drawn = L.featureGroup().addTo(map);
        for (const grid of data.grids) {
          // Not interactive: a tap on a grid must reach the map (an interactive shape would take it for itself).
          const shape = L.geoJSON(grid.geometry as never, { style: GRID_STYLE, interactive: false });
          shape.bindTooltip(grid.name, { permanent: true, direction: 'center', className: 'h5-map-label' });
          shape.addTo(drawn);
          const path = shape.getLayers()[0] as Leaflet.Path | undefined;
          if (path) {
            shapes.set(grid.id, path);
            path.getElement()?.setAttribute('data-grid-name', grid.name);
          }
        }
        if (data.home) map.setView([data.home.lat, data.home.lng], 16);
        else if (drawn.getLayers().length > 0) map.fitBounds(drawn.getBounds(), { padding: [12, 12] });
        else map.setView([35, 105], 4);
        map.on('click', (event: Leaflet.LeafletMouseEvent) =>
          onChangeRef.current({ lng: round(event.latlng.lng), lat: round(event.latlng.lat) }),
        );
        observer = new ResizeObserver(() => map.invalidateSize());
        observer.observe(element);
        parts.current = { L, map, shapes, marker: null };
        setReady(true);
        // The map opens below the buttons; bring all of it on screen, ready for a tap.
        element.scrollIntoView?.({ block: 'nearest', behavior: reducedMotion ? 'auto' : 'smooth' });
      },
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      parts.current?.map.remove();
      parts.current = null;
    };
  }, []);

  // The pin follows the point (a tap, a drag, or the phone's position); the view comes to it when outside.
  const lng = value?.lng;
  const lat = value?.lat;
  useEffect(() => {
    const current = parts.current;
    if (!ready || !current) return;
    const { L, map } = current;
    if (lng === undefined || lat === undefined) {
      current.marker?.remove();
      current.marker = null;
      return;
    }
    const at = L.latLng(lat, lng);
    if (!current.marker) {
      const icon = L.divIcon({ className: 'h5-map-pin', html: PIN_SVG, iconSize: [34, 48], iconAnchor: [17, 48] });
      const marker = L.marker(at, { icon, draggable: true, keyboard: false, title: t('cases.report.mapHint') });
      marker.on('dragend', () => {
        const moved = marker.getLatLng();
        onChangeRef.current({ lng: round(moved.lng), lat: round(moved.lat) });
      });
      marker.addTo(map);
      marker.getElement()?.setAttribute('data-testid', 'report-pin');
      current.marker = marker;
    } else {
      current.marker.setLatLng(at);
    }
    if (!map.getBounds().contains(at)) map.panTo(at, move);
  }, [ready, lng, lat, t]);

  useEffect(() => {
    if (!ready || !parts.current) return;
    for (const [id, path] of parts.current.shapes) {
      path.setStyle(id === highlightGridId ? HIGHLIGHT_STYLE : GRID_STYLE);
      if (id === highlightGridId) path.bringToFront();
    }
  }, [ready, highlightGridId]);

  return (
    <div className="h5-report-map-wrap">
      <div
        ref={container}
        className="h5-report-map"
        role="application"
        aria-label={t('cases.report.mapLabel')}
        data-testid="report-map"
        data-ready={ready ? 'true' : 'false'}
      />
      <p className="h5-field-hint">{error ? caseErrorText(t, error) : t('cases.report.mapHint')}</p>
    </div>
  );
}
