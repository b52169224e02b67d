import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridSummary } from '../../api/grids.ts';
import type { ChartSurface } from '../../components/charts/EChart.tsx';
import { createMap } from '../../lib/map.ts';

/** Five classes from pale to the console red; a grid with nothing is drawn in the surface's neutral tone. */
const HEAT = ['#fde2e1', '#f7a8a4', '#ec6a63', '#d63a3a', '#a50e25'];
const NEUTRAL: Record<ChartSurface, string> = { light: '#f0f0f0', dark: '#1c2a4a' };
const OUTLINE: Record<ChartSurface, string> = { light: '#ffffff', dark: '#0b1733' };

/** Class limits for counts up to `max`: five equal steps, rounded up to whole cases. */
export function heatSteps(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / HEAT.length));
  return HEAT.map((_, i) => step * (i + 1));
}

export function heatColour(count: number, steps: number[], surface: ChartSurface): string {
  if (count <= 0) return NEUTRAL[surface];
  const index = steps.findIndex((limit) => count <= limit);
  return HEAT[index === -1 ? HEAT.length - 1 : index] as string;
}

interface Props {
  grids: GridSummary[];
  /** Received per grid id; grids without an entry count as 0. */
  counts: Map<number, { received: number; open: number }>;
  surface?: ChartSurface;
  height?: number | string;
  /** Zoom buttons and dragging (off on the wall screen, which nobody touches). */
  interactive?: boolean;
  /** Called after the polygons for these counts are drawn. */
  onRendered?: () => void;
}

/**
 * The grids of an area on a plain background (no tiles: works offline, sends nothing to a third party),
 * each filled by how many cases it received, with a legend of the classes.
 */
export function GridHeatMap({ grids, counts, surface = 'light', height = 380, interactive = true, onRendered }: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.FeatureGroup | null>(null);
  const legend = useRef<HTMLDivElement | null>(null);
  const fitted = useRef(false);
  const renderedRef = useRef(onRendered);
  renderedRef.current = onRendered;

  useEffect(() => {
    if (!container.current) return;
    const instance = createMap(container.current, {
      zoomSnap: 0.25,
      maxZoom: 18,
      scrollWheelZoom: false,
      zoomControl: interactive,
      dragging: interactive,
      doubleClickZoom: interactive,
      keyboard: interactive,
    });
    instance.setView([35, 105], 4);
    layer.current = L.featureGroup().addTo(instance);
    const control = new L.Control({ position: 'bottomright' });
    control.onAdd = () => {
      const div = L.DomUtil.create('div', 'heat-legend');
      legend.current = div;
      return div;
    };
    control.addTo(instance);
    map.current = instance;
    const observer = new ResizeObserver(() => {
      instance.invalidateSize();
      const bounds = layer.current?.getBounds();
      if (bounds?.isValid()) instance.fitBounds(bounds, { padding: [12, 12] });
    });
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.remove();
      map.current = null;
      fitted.current = false;
    };
  }, [interactive]);

  useEffect(() => {
    const group = layer.current;
    if (!group || !map.current) return;
    group.clearLayers();
    const max = Math.max(0, ...grids.map((g) => counts.get(g.id)?.received ?? 0));
    const steps = heatSteps(max);
    for (const grid of grids) {
      if (!grid.boundary) continue;
      const c = counts.get(grid.id) ?? { received: 0, open: 0 };
      const shape = L.geoJSON(grid.boundary, {
        style: {
          color: OUTLINE[surface],
          weight: 1,
          fillColor: heatColour(c.received, steps, surface),
          fillOpacity: 0.9,
        },
      });
      // Text, not HTML: a grid's name is typed in by people.
      const tip = document.createElement('span');
      tip.textContent = t('analytics.charts.gridTooltip', { name: grid.name, received: c.received, open: c.open });
      shape.bindTooltip(tip, { sticky: true });
      shape.addTo(group);
    }
    if (group.getLayers().length > 0 && !fitted.current) {
      map.current.fitBounds(group.getBounds(), { padding: [12, 12] });
      fitted.current = true;
    }
    if (legend.current) {
      const rows = [
        `<div class="heat-legend-row"><i style="background:${NEUTRAL[surface]}"></i>${t('analytics.charts.legendZero')}</div>`,
        ...steps.map((limit, i) => {
          const low = i === 0 ? 1 : (steps[i - 1] as number) + 1;
          const label = low >= limit ? `${limit}` : `${low}–${limit}`;
          return `<div class="heat-legend-row"><i style="background:${HEAT[i]}"></i>${label}</div>`;
        }),
      ];
      legend.current.innerHTML = `<div class="heat-legend-title">${t('analytics.charts.legendTitle')}</div>${rows.join('')}`;
    }
    renderedRef.current?.();
  }, [grids, counts, surface, t]);

  return (
    <div
      ref={container}
      className={`heat-map heat-map-${surface}`}
      style={{ height }}
      data-testid="grid-heat-map"
      data-grids={grids.filter((g) => g.boundary).length}
    />
  );
}
