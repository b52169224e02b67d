import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseSummary, type TransitionInput, transition } from '../../api/cases.ts';
import { useErrorText } from '../../lib/errors.ts';

/**
 * Takes one action on a listed case. The list rows carry no allowed actions, so the button is offered and the
 * server decides: a refusal (not allowed in this state, not the user's to take) is shown as the server said it,
 * and the list is reloaded either way, since the case may have moved on.
 */
export function useCaseAction(onDone: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<string>();

  async function run(c: CaseSummary, input: TransitionInput, success: string): Promise<boolean> {
    const key = `${c.id}:${input.action}`;
    setBusy(key);
    try {
      await transition(c.id, input);
      message.success(success);
      return true;
    } catch (error) {
      message.error(t('supervision.actions.refused', { number: c.number, reason: errorText(error) }));
      return false;
    } finally {
      setBusy(undefined);
      onDone();
    }
  }

  const isBusy = (c: CaseSummary, action: string) => busy === `${c.id}:${action}`;
  return { run, isBusy };
}
