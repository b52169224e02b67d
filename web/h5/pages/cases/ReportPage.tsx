import './cases.css';
import { Button, type ImageUploadItem, Input, NavBar, Switch, TextArea, Toast } from 'antd-mobile';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ActionKey } from '../../../shared/api.ts';
import { type CategoryRef, type LngLat, reportCase } from '../../api/cases.ts';
import { CategoryField } from './CategoryField.tsx';
import { caseErrorText } from './format.ts';
import { type Located, LocationField } from './LocationField.tsx';
import { PhotoField, photoIds } from './PhotoField.tsx';
import { SimilarCases } from './SimilarCases.tsx';

const MAX_DESCRIPTION = 2000;

/**
 * 随手拍 · 我要反映: what happened, the category suggested from it, photos, the place (my position or a point
 * on the map, and the grid it lies in), an optional address, confidentiality; similar open cases nearby can be
 * joined instead. Sent once: the button waits while the report is on its way.
 */
export default function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<CategoryRef | null>(null);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const [point, setPoint] = useState<LngLat | null>(null);
  const [located, setLocated] = useState<Located>({ status: 'none' });
  const [address, setAddress] = useState('');
  const [confidential, setConfidential] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One Idempotency-Key per report: a tap again after a lost answer does not report twice.
  const actionKey = useRef(new ActionKey());

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    setError(null);
    const text = description.trim();
    if (!text) return setError(t('cases.report.descriptionRequired'));
    if (uploading) return setError(t('cases.report.waitPhotos'));
    if (point && located.status === 'done' && !located.grid) return setError(t('cases.report.outsideTerritory'));
    setSending(true);
    try {
      const input = {
        description: text,
        ...(category ? { categoryId: category.id } : {}),
        ...(point ? { location: point } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        confidential,
        attachmentIds: photoIds(photos),
      };
      const { case: created } = await reportCase(input, actionKey.current.for(input));
      actionKey.current.settle();
      Toast.show({ icon: 'success', content: t('cases.report.submitted') });
      navigate(`/cases/${created.id}`, { replace: true });
    } catch (e) {
      actionKey.current.settle(e);
      setError(caseErrorText(t, e));
      setSending(false);
    }
  }

  return (
    <div className="h5-page h5-with-nav h5-report">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate(-1)}>
        {t('cases.report.title')}
      </NavBar>
      <form onSubmit={submit} noValidate>
        <section className="h5-card">
          <label className="h5-field-label" htmlFor="report-description">
            {t('cases.report.description')}
          </label>
          <TextArea
            id="report-description"
            value={description}
            onChange={setDescription}
            placeholder={t('cases.report.descriptionPlaceholder')}
            maxLength={MAX_DESCRIPTION}
            showCount
            autoSize={{ minRows: 4, maxRows: 10 }}
          />
        </section>

        <section className="h5-card" aria-labelledby="report-category">
          <h2 id="report-category" className="h5-field-label">
            {t('cases.report.category')}
          </h2>
          <CategoryField text={description} value={category} onChange={setCategory} />
        </section>

        <section className="h5-card" aria-labelledby="report-photos">
          <h2 id="report-photos" className="h5-field-label">
            {t('cases.report.photos')}
          </h2>
          <p className="h5-field-hint">{t('cases.report.photosHint')}</p>
          <PhotoField value={photos} onChange={setPhotos} onBusyChange={setUploading} />
        </section>

        <section className="h5-card" aria-labelledby="report-location">
          <h2 id="report-location" className="h5-field-label">
            {t('cases.report.location')}
          </h2>
          <LocationField value={point} onChange={setPoint} onLocated={setLocated} />
          <label className="h5-field-label h5-field-label-sub" htmlFor="report-address">
            {t('cases.report.address')}
          </label>
          <Input
            id="report-address"
            className="h5-input"
            value={address}
            onChange={setAddress}
            maxLength={200}
            placeholder={t('cases.report.addressPlaceholder')}
            clearable
          />
        </section>

        <SimilarCases point={point} text={description} categoryId={category?.id ?? null} />

        <section className="h5-card h5-switch-row">
          <div>
            <span className="h5-field-label">{t('cases.report.confidential')}</span>
            <p className="h5-field-hint">{t('cases.report.confidentialHint')}</p>
          </div>
          <Switch checked={confidential} onChange={setConfidential} aria-label={t('cases.report.confidential')} />
        </section>

        <div className="h5-form-messages" aria-live="polite">
          {error ? (
            <p className="h5-form-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="h5-actions">
          <Button block type="submit" color="primary" size="large" loading={sending} disabled={sending}>
            {sending ? t('cases.report.submitting') : t('cases.report.submit')}
          </Button>
        </div>
      </form>
    </div>
  );
}
