import { ImageViewer } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AttachmentId, photoUrl, thumbUrl } from '../../api/cases.ts';

/** Thumbnails (small, lazily loaded); a tap opens the full photos in a viewer. */
export function PhotoGrid({ ids, label }: { ids: AttachmentId[]; label?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  if (ids.length === 0) return null;
  return (
    <>
      <ul className="h5-photos" aria-label={label}>
        {ids.map((id, index) => (
          <li key={id}>
            <button type="button" onClick={() => setOpen(index)} aria-label={t('cases.photos.view')}>
              <img src={thumbUrl(id)} alt={t('cases.photos.photo', { n: index + 1 })} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      {open === null ? null : (
        <ImageViewer.Multi images={ids.map(photoUrl)} visible defaultIndex={open} onClose={() => setOpen(null)} />
      )}
    </>
  );
}
