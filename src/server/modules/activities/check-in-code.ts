import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Config } from '../../config.ts';

/**
 * The QR code shown at the venue: the H5 check-in page of the activity with its current code, as an absolute
 * URL (PUBLIC_URL, else the address the staff member's browser used), drawn as SVG on the server.
 */
export function publicBase(config: Pick<Config, 'publicUrl'>, request: FastifyRequest): string {
  return config.publicUrl || `${request.protocol}://${request.host}`;
}

export function checkInUrl(base: string, activityId: number, code: string): string {
  return `${base}/h5/activities/${activityId}/check-in?code=${encodeURIComponent(code)}`;
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}
