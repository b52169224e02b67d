import { Button, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Rating, type ResidentCaseDetail, rateCase } from '../../api/cases.ts';
import { caseErrorText, formatWhen } from './format.ts';

const RATINGS: Rating[] = ['satisfied', 'partlySatisfied', 'dissatisfied'];
const MAX_COMMENT = 500;

/**
 * The return visit (回访) in three big buttons — 满意 / 基本满意 / 不满意 — whether the problem was solved, and
 * a comment. 不满意 says in words that the case goes back to be handled again, and asks what is wrong.
 */
export function RatingForm({
  detail,
  onRated,
}: {
  detail: ResidentCaseDetail;
  onRated(detail: ResidentCaseDetail): void;
}) {
  const { t } = useTranslation();
  const [rating, setRating] = useState<Rating | null>(null);
  const [solved, setSolved] = useState<boolean | null>(null);
  const [solvedTouched, setSolvedTouched] = useState(false);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dissatisfied = rating === 'dissatisfied';

  function choose(next: Rating) {
    setRating(next);
    setError(null);
    // A first guess the resident sees (and may change): satisfied usually means solved.
    if (!solvedTouched) setSolved(next !== 'dissatisfied');
  }

  async function submit() {
    if (!rating) return setError(t('cases.rating.chooseRating'));
    const text = comment.trim();
    if (dissatisfied && !text) return setError(t('cases.rating.commentMissing'));
    setSending(true);
    setError(null);
    try {
      const { case: updated } = await rateCase(detail.id, {
        rating,
        ...(solved === null ? {} : { solved }),
        ...(text ? { comment: text } : {}),
      });
      Toast.show({ icon: 'success', content: dissatisfied ? t('cases.rating.reopened') : t('cases.rating.submitted') });
      onRated(updated);
    } catch (e) {
      setError(caseErrorText(t, e));
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="h5-card h5-rating" aria-labelledby="rating-title">
      <h2 id="rating-title" className="h5-card-title">
        {t('cases.rating.title')}
      </h2>
      <p className="h5-field-hint">
        {t('cases.rating.intro')}
        {detail.visitDueAt ? ` · ${t('cases.rating.dueBy', { when: formatWhen(t, detail.visitDueAt) })}` : ''}
      </p>
      <fieldset className="h5-rating-options">
        <legend className="h5-visually-hidden">{t('cases.rating.title')}</legend>
        {RATINGS.map((option) => (
          <button
            key={option}
            type="button"
            className={`h5-rating-option h5-rating-${option}`}
            aria-pressed={rating === option}
            onClick={() => choose(option)}
          >
            {t(`cases.rating.${option}`)}
          </button>
        ))}
      </fieldset>
      {dissatisfied ? (
        <p className="h5-rating-explain" role="note">
          {t('cases.rating.dissatisfiedExplain')}
        </p>
      ) : null}
      <fieldset className="h5-solved">
        <legend className="h5-field-label">{t('cases.rating.solved')}</legend>
        <div className="h5-inline-actions">
          {[true, false].map((value) => (
            <button
              key={String(value)}
              type="button"
              className="h5-chip"
              aria-pressed={solved === value}
              onClick={() => {
                setSolved(value);
                setSolvedTouched(true);
              }}
            >
              {value ? t('cases.rating.solvedYes') : t('cases.rating.solvedNo')}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="h5-field-label" htmlFor="rating-comment">
        {dissatisfied ? t('cases.rating.commentRequired') : t('cases.rating.comment')}
      </label>
      <TextArea
        id="rating-comment"
        value={comment}
        onChange={setComment}
        placeholder={t('cases.rating.commentPlaceholder')}
        maxLength={MAX_COMMENT}
        showCount
        autoSize={{ minRows: 2, maxRows: 6 }}
      />
      <div aria-live="polite" className="h5-form-messages">
        {error ? (
          <p className="h5-form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <Button block color="primary" size="large" loading={sending} disabled={sending} onClick={submit}>
        {t('cases.rating.submit')}
      </Button>
    </section>
  );
}

/** My rating, once given. */
export function RatingShown({ rating }: { rating: NonNullable<ResidentCaseDetail['rating']> }) {
  const { t } = useTranslation();
  const parts = [
    t(`cases.rating.${rating.rating}`),
    rating.solved === null ? null : rating.solved ? t('cases.rating.solvedYes') : t('cases.rating.solvedNo'),
  ].filter(Boolean);
  return (
    <section className="h5-card h5-rating-shown" aria-labelledby="rating-shown">
      <h2 id="rating-shown" className="h5-card-title">
        {t('cases.rating.yours')}
      </h2>
      <p className="h5-rating-value" data-rating={rating.rating}>
        {parts.join(' · ')}
      </p>
      {rating.comment ? <p className="h5-step-text">{rating.comment}</p> : null}
    </section>
  );
}
