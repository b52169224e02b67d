import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { MapSettings } from '../../../../src/server/modules/grids/case-load.schema.ts';
import { get } from '../../../shared/api.ts';
import type { GeoJsonPolygon, GridSummary } from '../../api/grids.ts';
import { createMap } from '../../lib/map.ts';

interface Props {
  grids: GridSummary[];
  selectedId: number | undefined;
  onSelect(id: number): void;
  /** While drawing, clicks on the map add vertices instead of selecting grids. */
  drawing?: boolean;
  draft?: Array<[number, number]>;
  onAddVertex?(vertex: [number, number]): void;
  /** A boundary being previewed before it is saved (pasted or uploaded GeoJSON). */
  preview?: GeoJsonPolygon | null;
  /** Each grid's look (e.g. filled by its case load); by default each community's grids share a colour. */
  styleFor?(grid: GridSummary, selected: boolean): L.PathOptions;
  /** The grid's label (default: its name) and whether every label stays shown (default: the selected one's). */
  labelFor?(grid: GridSummary): string;
  labelsPermanent?: boolean;
  /** A new value fits the view to the grids again (e.g. after the area filter changed). */
  fitKey?: string | number;
}

const NO_DRAFT: Array<[number, number]> = [];

let settingsRequest: Promise<MapSettings> | undefined;
/** The optional tile layer (MAP_TILE_URL), asked for once per page load. */
function mapSettings(): Promise<MapSettings> {
  settingsRequest ??= get<MapSettings>('/api/map/settings').catch(() => {
    settingsRequest = undefined;
    return { tileUrl: null, attribution: null };
  });
  return settingsRequest;
}

/** Label content as text (names come from the database: never HTML). */
function textLabel(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** Mainland China, shown until there is a boundary to fit the view to. */
const DEFAULT_CENTER: L.LatLngTuple = [35, 105];
const DEFAULT_ZOOM = 4;
/** The grid card's width in pixels (console.css .grid-card). */
const CARD_WIDTH = 340;
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#a0d911', '#2f54eb'];

/**
 * Grid boundaries on a plain background: no tile layer unless MAP_TILE_URL sets one, so by default the map works
 * without internet access and sends nothing to a third party. Each community's grids share a colour; the
 * selected grid is outlined in red.
 */
export function GridMap({
  grids,
  selectedId,
  onSelect,
  drawing = false,
  draft = NO_DRAFT,
  onAddVertex = () => undefined,
  preview = null,
  styleFor,
  labelFor,
  labelsPermanent = false,
  fitKey,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const gridLayer = useRef<L.FeatureGroup | null>(null);
  const draftLayer = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);
  const handlers = useRef({ onSelect, onAddVertex, drawing });
  handlers.current = { onSelect, onAddVertex, drawing };

  useEffect(() => {
    if (!container.current) return;
    const instance = createMap(container.current);
    instance.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
    L.control.scale({ imperial: false }).addTo(instance);
    gridLayer.current = L.featureGroup().addTo(instance);
    draftLayer.current = L.layerGroup().addTo(instance);
    instance.on('click', (event: L.LeafletMouseEvent) => {
      if (handlers.current.drawing) handlers.current.onAddVertex([event.latlng.lat, event.latlng.lng]);
    });
    map.current = instance;
    let live = true;
    mapSettings().then((settings) => {
      if (!live || !settings.tileUrl) return;
      // Tiles sit in Leaflet's tile pane, under the grid polygons.
      L.tileLayer(settings.tileUrl, { maxZoom: 20, maxNativeZoom: 18 }).addTo(instance);
      if (settings.attribution) {
        L.control.attribution({ prefix: false }).addAttribution(settings.attribution).addTo(instance);
      }
    });
    // The container may get its final size after the first layout.
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(container.current);
    return () => {
      live = false;
      observer.disconnect();
      instance.remove();
      map.current = null;
      fitted.current = false;
    };
  }, []);

  // A new area: fit the view to its grids once they are drawn.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new fitKey refits
  useEffect(() => {
    fitted.current = false;
  }, [fitKey]);

  useEffect(() => {
    const layer = gridLayer.current;
    if (!layer || !map.current) return;
    layer.clearLayers();
    const colours = new Map<number | null, string>();
    for (const grid of grids) {
      if (!grid.boundary) continue;
      if (!colours.has(grid.communityId))
        colours.set(grid.communityId, PALETTE[colours.size % PALETTE.length] as string);
      const selected = grid.id === selectedId;
      const colour = colours.get(grid.communityId) as string;
      const shape = L.geoJSON(grid.boundary, {
        style: styleFor?.(grid, selected) ?? {
          color: selected ? '#c8102e' : colour,
          weight: selected ? 3 : 1.5,
          fillColor: colour,
          fillOpacity: selected ? 0.35 : 0.18,
        },
      });
      shape.bindTooltip(textLabel(labelFor?.(grid) ?? grid.name), {
        permanent: selected || labelsPermanent,
        direction: 'center',
        className: 'grid-label',
      });
      shape.on('click', (event) => {
        if (handlers.current.drawing) return;
        L.DomEvent.stopPropagation(event);
        handlers.current.onSelect(grid.id);
      });
      shape.addTo(layer);
      // The grid named on its outline: for the browser tests, and as a hover title when the label is not the name.
      shape.eachLayer((part) => {
        const element = (part as L.Path).getElement?.();
        if (!element) return;
        element.setAttribute('data-grid-id', String(grid.id));
        element.setAttribute('data-grid-name', grid.name);
        if (!labelFor) return;
        const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
        title.textContent = grid.name;
        element.appendChild(title);
      });
      shape.getTooltip()?.getElement()?.setAttribute('data-grid-name', grid.name);
      if (selected) shape.bringToFront();
    }
    if (!fitted.current && layer.getLayers().length > 0) {
      map.current.fitBounds(layer.getBounds(), { padding: [20, 20] });
      fitted.current = true;
    }
  }, [grids, selectedId, styleFor, labelFor, labelsPermanent]);

  // Bring the selected grid into view, left of the contact card that covers the map's right side.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new selection moves the view
  useEffect(() => {
    const grid = grids.find((g) => g.id === selectedId);
    if (!grid?.boundary || !map.current) return;
    map.current.fitBounds(L.geoJSON(grid.boundary).getBounds(), {
      paddingTopLeft: [40, 40],
      paddingBottomRight: [CARD_WIDTH + 40, 40],
      maxZoom: 16,
    });
  }, [selectedId]);

  useEffect(() => {
    const layer = draftLayer.current;
    if (!layer) return;
    layer.clearLayers();
    if (preview) {
      const shape = L.geoJSON(preview, { style: { color: '#c8102e', weight: 2, dashArray: '6 4', fillOpacity: 0.2 } });
      shape.addTo(layer);
      map.current?.fitBounds(shape.getBounds(), { padding: [40, 40], maxZoom: 17 });
    }
    if (draft.length > 0) {
      const style = { color: '#c8102e', weight: 2, dashArray: '6 4', fillOpacity: 0.15 };
      (draft.length >= 3 ? L.polygon(draft, style) : L.polyline(draft, style)).addTo(layer);
      draft.forEach((vertex, index) => {
        L.circleMarker(vertex, {
          radius: index === 0 ? 6 : 4,
          color: '#c8102e',
          fillColor: '#fff',
          fillOpacity: 1,
          weight: 2,
        }).addTo(layer);
      });
    }
  }, [draft, preview]);

  // Leaflet owns the container's classes, so the drawing state goes on a wrapper.
  return (
    <div className={drawing ? 'map-drawing' : undefined}>
      <div ref={container} className="grid-map" data-testid="grid-map" />
    </div>
  );
}
