import { ImageUploader, type ImageUploadItem } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AttachmentId, photoUrl, thumbUrl, uploadPhoto } from '../../api/cases.ts';
import { caseErrorText } from './format.ts';

export const MAX_PHOTOS = 9;

export interface PhotoFieldProps {
  value: ImageUploadItem[];
  onChange(items: ImageUploadItem[]): void;
  /** True while a photo is still uploading (the report waits for it). */
  onBusyChange(busy: boolean): void;
}

/** The attachment ids of the uploaded photos, in the order shown. */
export const photoIds = (items: ImageUploadItem[]): AttachmentId[] =>
  items.map((item) => item.extra as AttachmentId).filter(Boolean);

/** What a photo the server refused shows in its cell (a crossed frame), until the resident removes it. */
const REFUSED_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#f5f5f5"/>' +
    '<path d="M13 13l14 14M27 13L13 27" stroke="#c8102e" stroke-width="3" stroke-linecap="round"/></svg>',
)}`;

/**
 * Up to nine photos, each uploaded as soon as it is chosen (camera or album: the phone offers both); the list
 * shows the server's thumbnails. A file that is not a photo is refused before sending; one the server refuses
 * (too large, not really an image) stays as a crossed-out cell the resident can remove, with the reason below,
 * and is never sent with the report.
 */
export function PhotoField({ value, onChange, onBusyChange }: PhotoFieldProps) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const refused = useRef(0);
  const busyRef = useRef(onBusyChange);
  busyRef.current = onBusyChange;
  useEffect(() => () => busyRef.current(false), []);

  async function upload(file: File): Promise<ImageUploadItem> {
    try {
      const { attachment } = await uploadPhoto(file);
      setError(null);
      return {
        key: attachment.id,
        url: photoUrl(attachment.id),
        thumbnailUrl: thumbUrl(attachment.id),
        extra: attachment.id,
      };
    } catch (e) {
      // Not thrown on: the uploader would log it as an error; the cell says it, the text below says why.
      setError(caseErrorText(t, e));
      refused.current += 1;
      return { key: `refused-${refused.current}`, url: REFUSED_IMAGE, extra: null };
    }
  }

  return (
    <div className="h5-photo-field">
      <ImageUploader
        value={value}
        onChange={onChange}
        upload={upload}
        beforeUpload={(file) => {
          if (file.type && !file.type.startsWith('image/')) {
            setError(t('cases.photos.notImage'));
            return null;
          }
          return file;
        }}
        onUploadQueueChange={(tasks) => busyRef.current(tasks.some((task) => task.status === 'pending'))}
        renderItem={(node, item) =>
          item.extra ? (
            node
          ) : (
            <div className="h5-photo-refused" role="img" aria-label={t('cases.photos.refused')}>
              {node}
            </div>
          )
        }
        accept="image/*"
        multiple
        maxCount={MAX_PHOTOS}
        aria-label={t('cases.report.photos')}
      />
      <div aria-live="polite">
        {error ? (
          <p className="h5-form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
