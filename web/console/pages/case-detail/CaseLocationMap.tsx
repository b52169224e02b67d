import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GeoJsonPolygon } from '../../api/grids.ts';
import { createMap } from '../../lib/map.ts';

interface Props {
  location: { lng: number; lat: number };
  /** The case's grid outline, when the user may read the grid. */
  boundary: GeoJsonPolygon | null;
  gridName: string | null;
}

/**
 * The case's point and its grid on a plain background (no tile layer: it works without internet access and
 * sends nothing to a third party), like the grid map.
 */
export function CaseLocationMap({ location, boundary, gridName }: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.FeatureGroup | null>(null);

  // The map is made once per mount; the effect below draws what changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: made once, centred on the first location
  useEffect(() => {
    if (!container.current) return;
    const instance = createMap(container.current);
    L.control.scale({ imperial: false }).addTo(instance);
    layer.current = L.featureGroup().addTo(instance);
    map.current = instance;
    instance.setView([location.lat, location.lng], 16);
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.remove();
      map.current = null;
      layer.current = null;
    };
  }, []);

  useEffect(() => {
    const group = layer.current;
    const instance = map.current;
    if (!group || !instance) return;
    group.clearLayers();
    if (boundary) {
      const shape = L.geoJSON(boundary, {
        style: { color: '#1677ff', weight: 1.5, fillColor: '#1677ff', fillOpacity: 0.12 },
      });
      if (gridName) shape.bindTooltip(gridName, { direction: 'center', className: 'grid-label' });
      shape.addTo(group);
    }
    // A circle marker needs no image files (Leaflet's default pin would fetch its PNG from a path).
    L.circleMarker([location.lat, location.lng], {
      radius: 8,
      color: '#fff',
      weight: 2,
      fillColor: '#c8102e',
      fillOpacity: 1,
    })
      .bindTooltip(t('caseDetail.map.marker'))
      .addTo(group);
    if (boundary) instance.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 17 });
    else instance.setView([location.lat, location.lng], 16);
  }, [boundary, gridName, location.lat, location.lng, t]);

  return <div ref={container} className="case-map" data-testid="case-map" />;
}
