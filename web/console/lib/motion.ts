/** The user asked the system for less motion (the browser tests ask too, so nothing moves under a click). */
export const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
