import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { GeoJsonPolygon, GridSummary } from '../../api/grids.ts';

interface Props {
  grids: GridSummary[];
  selectedId: number | undefined;
  onSelect(id: number): void;
  /** While drawing, clicks on the map add vertices instead of selecting grids. */
  drawing: boolean;
  draft: Array<[number, number]>;
  onAddVertex(vertex: [number, number]): void;
  /** A boundary being previewed before it is saved (pasted or uploaded GeoJSON). */
  preview: GeoJsonPolygon | null;
}

/** Mainland China, shown until there is a boundary to fit the view to. */
const DEFAULT_CENTER: L.LatLngTuple = [35, 105];
const DEFAULT_ZOOM = 4;
/** The grid card's width in pixels (console.css .grid-card). */
const CARD_WIDTH = 340;
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#a0d911', '#2f54eb'];

/**
 * Grid boundaries on a plain background: no tile layer, so the map works without internet access and sends
 * nothing to a third party. Each community's grids share a colour; the selected grid is outlined in red.
 */
export function GridMap({ grids, selectedId, onSelect, drawing, draft, onAddVertex, preview }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const gridLayer = useRef<L.FeatureGroup | null>(null);
  const draftLayer = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);
  const handlers = useRef({ onSelect, onAddVertex, drawing });
  handlers.current = { onSelect, onAddVertex, drawing };

  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { attributionControl: false, zoomSnap: 0.5, minZoom: 3, maxZoom: 20 });
    instance.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
    L.control.scale({ imperial: false }).addTo(instance);
    gridLayer.current = L.featureGroup().addTo(instance);
    draftLayer.current = L.layerGroup().addTo(instance);
    instance.on('click', (event: L.LeafletMouseEvent) => {
      if (handlers.current.drawing) handlers.current.onAddVertex([event.latlng.lat, event.latlng.lng]);
    });
    map.current = instance;
    // The container may get its final size after the first layout.
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.remove();
      map.current = null;
      fitted.current = false;
    };
  }, []);

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
        style: {
          color: selected ? '#c8102e' : colour,
          weight: selected ? 3 : 1.5,
          fillColor: colour,
          fillOpacity: selected ? 0.35 : 0.18,
        },
      });
      shape.bindTooltip(grid.name, {
        permanent: selected,
        direction: 'center',
        className: 'grid-label',
      });
      shape.on('click', (event) => {
        if (handlers.current.drawing) return;
        L.DomEvent.stopPropagation(event);
        handlers.current.onSelect(grid.id);
      });
      shape.addTo(layer);
      if (selected) shape.bringToFront();
    }
    if (!fitted.current && layer.getLayers().length > 0) {
      map.current.fitBounds(layer.getBounds(), { padding: [20, 20] });
      fitted.current = true;
    }
  }, [grids, selectedId]);

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
