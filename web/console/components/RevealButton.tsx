import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type RevealField, revealPerson } from '../api/people.ts';
import { useErrorText } from '../lib/errors.ts';

interface Props {
  personId: number;
  fields: RevealField[];
  onRevealed(values: Partial<Record<RevealField, string | null>>): void;
  label?: string;
}

/** Shows masked personal data in full after a confirmation; the server records each reveal in the audit log. */
export function RevealButton({ personId, fields, onRevealed, label }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);

  async function reveal() {
    setBusy(true);
    try {
      onRevealed(await revealPerson(personId, fields));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Popconfirm
      title={t('people.revealTitle')}
      description={t('people.revealConfirm')}
      okText={t('people.revealOk')}
      onConfirm={reveal}
    >
      <Button type="link" size="small" icon={<EyeOutlined />} loading={busy} data-testid={`reveal-${personId}`}>
        {label ?? t('common.view')}
      </Button>
    </Popconfirm>
  );
}
