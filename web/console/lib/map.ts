import L from 'leaflet';
import { reducedMotion } from './motion.ts';

/** Pans and zooms move at once, without animation, for a user who asked for reduced motion. */
export const moveOptions = { animate: !reducedMotion };

/**
 * A Leaflet map on a plain background (no tiles unless a page adds them), as every console map starts: no
 * attribution box, half-step zoom between levels 3 and 20, and no zoom or fade animation for a user who asked
 * for reduced motion.
 */
export function createMap(element: HTMLElement, options: L.MapOptions = {}): L.Map {
  return L.map(element, {
    attributionControl: false,
    zoomSnap: 0.5,
    minZoom: 3,
    maxZoom: 20,
    zoomAnimation: !reducedMotion,
    fadeAnimation: !reducedMotion,
    markerZoomAnimation: !reducedMotion,
    ...options,
  });
}
