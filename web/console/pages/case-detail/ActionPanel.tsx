import { Alert, App, Button, Card, Empty, Form, Modal, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { type CaseAction, type CaseDetail, transition } from '../../api/cases.ts';
import { showFieldErrors, useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import { ActionFields, type ActionValues, initialValues, type MasterOption, toBody } from './ActionFields.tsx';
import { unitChoices } from './api.ts';

/** The action being taken, with a merge master chosen from the similar list. */
export interface OpenAction {
  action: CaseAction;
  master?: MasterOption;
}

interface Props {
  c: CaseDetail;
  open: OpenAction | undefined;
  onOpen(open: OpenAction | undefined): void;
  /** Merge masters to offer (the similar cases nearby). */
  masters: MasterOption[];
  onDone(action: CaseAction): void;
  /** Someone acted first (409 VERSION_CONFLICT / ILLEGAL_TRANSITION): the page reloads and says so. */
  onConflict(action: CaseAction): void;
  /** The case is gone from my scope (404). */
  onGone(): void;
}

const NEEDS_UNITS = new Set<CaseAction>(['whistle', 'redispatch', 'transfer', 'dispatch']);
const PRIMARY = new Set<CaseAction>(['classify', 'whistle', 'checkIn', 'resolve', 'selfResolve', 'visit', 'dispatch']);
const DANGER = new Set<CaseAction>(['returnCase', 'assistReturn', 'reject']);

/**
 * Buttons for exactly the actions the server allows this user now (case.allowedActions, in its order), each
 * opening a short form. The case's version goes with every action, so acting on a stale page is refused.
 */
export function ActionPanel({ c, open, onOpen, masters, onDone, onConflict, onGone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<ActionValues>();
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [failure, setFailure] = useState<{ text: string; detail?: string }>();
  const body = useRef<HTMLDivElement>(null);

  const wantsUnits = c.allowedActions.some((a) => NEEDS_UNITS.has(a as CaseAction));
  const choices = useLoad(() => unitChoices(c.id), [c.id, c.version], wantsUnits);

  const action = open?.action;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each newly opened action starts without an error
  useEffect(() => {
    setFailure(undefined);
    setUploading(false);
  }, [action]);

  const close = () => {
    if (!busy) onOpen(undefined);
  };

  async function submit(values: ActionValues) {
    if (!action) return;
    if (uploading) {
      message.warning(t('caseDetail.photos.waiting'));
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await transition(c.id, { ...toBody(action, values), version: c.version });
      message.success(t('caseDetail.actions.done', { action: t(`caseTerms.action.${action}`) }));
      onOpen(undefined);
      onDone(action);
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.status === 409 &&
        ['VERSION_CONFLICT', 'ILLEGAL_TRANSITION'].includes(error.code)
      ) {
        onOpen(undefined);
        onConflict(action);
      } else if (error instanceof ApiError && error.status === 404) {
        onOpen(undefined);
        onGone();
      } else if (!showFieldErrors(form, error, t('common.invalidValue'))) {
        const field = (error as ApiError).details as { field?: string } | undefined;
        if (field?.field && field.field in form.getFieldsValue(true)) {
          form.setFields([{ name: field.field as keyof ActionValues, errors: [t('common.invalidValue')] }]);
        }
        // The server's own sentence says which rule refused it (e.g. only task-force items take a manual colour).
        const text = errorText(error);
        const detail = error instanceof ApiError && error.message !== text ? error.message : undefined;
        setFailure({ text, detail });
      }
    } finally {
      setBusy(false);
    }
  }

  /** Enter submits from a one-line field; in a text area, Ctrl+Enter (Enter there starts a new line). */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    const target = event.target as HTMLElement;
    if (target.tagName === 'TEXTAREA') {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        form.submit();
      }
      return;
    }
    if (target.tagName !== 'INPUT') return;
    // Pickers use Enter to choose an option or a date.
    if (target.closest('.ant-select, .ant-picker, .ant-cascader, .ant-upload')) return;
    event.preventDefault();
    form.submit();
  }

  /** The first field takes the focus when a form opens (unless the user has already moved into the form). */
  function focusFirstField() {
    const root = body.current;
    if (!root) return;
    const active = document.activeElement;
    if (active && root.contains(active) && active.matches('input, textarea')) return;
    root
      .querySelector<HTMLElement>('input:not([type=hidden]):not([type=file]):not([disabled]), textarea:not([disabled])')
      ?.focus();
  }
  // As soon as the form is on screen (the dialog's opening animation is still running then).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs for each newly opened action
  useEffect(() => {
    if (!action) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(focusFirstField);
    });
    return () => cancelAnimationFrame(frame);
  }, [action, open?.master?.id]);

  return (
    <Card size="small" title={t('caseDetail.actions.title')} data-testid="case-actions">
      {c.allowedActions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseDetail.actions.none')} />
      ) : (
        <div className="case-action-buttons">
          {c.allowedActions.map((a) => (
            <Button
              key={a}
              type={PRIMARY.has(a as CaseAction) ? 'primary' : 'default'}
              danger={DANGER.has(a as CaseAction)}
              onClick={() => onOpen({ action: a as CaseAction })}
              data-testid={`action-${a}`}
              data-action={a}
            >
              {t(`caseTerms.action.${a}`, { defaultValue: a })}
            </Button>
          ))}
        </div>
      )}
      <Modal
        open={action !== undefined}
        title={action ? `${t(`caseTerms.action.${action}`)} · ${c.number}` : undefined}
        onCancel={close}
        onOk={() => form.submit()}
        okText={t('caseDetail.actions.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: uploading }}
        destroyOnHidden
        afterOpenChange={(isOpen) => isOpen && focusFirstField()}
        width={560}
      >
        {/* biome-ignore lint/a11y/noStaticElementInteractions: catches Enter from the fields inside to submit */}
        <div
          ref={body}
          onKeyDown={onKeyDown}
          className="case-action-form"
          data-testid="action-form"
          data-action={action}
        >
          {failure ? (
            <Alert
              type="error"
              showIcon
              title={failure.text}
              description={failure.detail}
              className="case-block"
              data-testid="action-error"
            />
          ) : null}
          {action && NEEDS_UNITS.has(action) && choices.error ? (
            <Alert type="error" showIcon title={errorText(choices.error)} className="case-block" />
          ) : null}
          {action ? (
            <Form<ActionValues>
              form={form}
              layout="vertical"
              onFinish={submit}
              preserve={false}
              initialValues={initialValues(action, c, open?.master)}
              key={`${action}-${open?.master?.id ?? ''}`}
            >
              <ActionFields
                action={action}
                c={c}
                choices={choices.data}
                choicesLoading={choices.loading}
                masters={open?.master ? [open.master, ...masters] : masters}
                onUploading={setUploading}
              />
            </Form>
          ) : null}
          <Typography.Text type="secondary" className="case-action-hint">
            {t('caseDetail.actions.submitHint')}
          </Typography.Text>
        </div>
      </Modal>
    </Card>
  );
}
