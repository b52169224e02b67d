import { Button, Input, List } from 'antd-mobile';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, saveProfile } from '../api/session.ts';
import { describeError } from '../errors.ts';
import { choiceFromChain, type HomeChoice, isComplete } from '../places.ts';
import { PlacePicker } from './PlacePicker.tsx';

export interface ProfileFormProps {
  me: Me;
  onSaved(me: Me): void;
}

/** Name and home (picked down to the entrance), saved with PUT /api/me/profile. */
export function ProfileForm({ me, onSaved }: ProfileFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(me.person?.name ?? '');
  const [choice, setChoice] = useState<HomeChoice>(() => choiceFromChain(me.home));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const trimmed = name.trim();
    if (!trimmed) return setError(t('profile.nameRequired'));
    const unit = choice.steps[choice.steps.length - 1];
    if (!unit || !isComplete(choice)) return setError(t('profile.addressRequired'));
    setSaving(true);
    try {
      onSaved(await saveProfile(trimmed, unit.id));
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <List header={t('profile.name')}>
        <List.Item>
          <Input
            aria-label={t('profile.name')}
            autoComplete="name"
            maxLength={50}
            placeholder={t('profile.namePlaceholder')}
            value={name}
            onChange={setName}
            clearable
          />
        </List.Item>
      </List>
      <PlacePicker
        header={
          <>
            {t('profile.address')}
            <span className="h5-list-hint">{t('profile.addressHint')}</span>
          </>
        }
        value={choice}
        onChange={setChoice}
      />
      <div className="h5-form-messages" aria-live="polite">
        {error ? (
          <p className="h5-form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="h5-actions">
        <Button block type="submit" color="primary" size="large" loading={saving}>
          {t('profile.save')}
        </Button>
      </div>
    </form>
  );
}
