import './live.css';
import { Dialog, NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { Bar, Urgent } from './live.tsx';

interface Props {
  urgent: Urgent | null;
  bar: Bar | null;
  onCloseUrgent(): void;
  onViewUrgent(urgent: Urgent): void;
  onOpenBar(bar: Bar): void;
  onCloseBar(): void;
}

/** What live news looks like (see live.tsx): the urgent notice's dialog, and a bar at the top for the rest. */
export default function LiveNews({ urgent, bar, onCloseUrgent, onViewUrgent, onOpenBar, onCloseBar }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {bar ? (
        <div className="h5-live-bar" role="status" data-testid="live-bar" data-topic={bar.event.topic}>
          <NoticeBar
            color="info"
            wrap
            content={
              <button type="button" className="h5-live-bar-text" onClick={() => onOpenBar(bar)}>
                {bar.text}
                {bar.target ? <span className="h5-live-bar-link">{t('notices.live.view')} ›</span> : null}
              </button>
            }
            closeable
            onClose={onCloseBar}
          />
        </div>
      ) : null}
      <Dialog
        visible={urgent !== null}
        className="h5-urgent-dialog"
        title={
          <span className="h5-urgent-title">
            <span className="h5-urgent-tag">{t('notices.urgent')}</span>
            {urgent?.event.title}
          </span>
        }
        content={
          <div className="h5-urgent-body" data-testid="urgent-notice">
            <p className="h5-urgent-summary">{urgent?.summary ?? t('notices.live.urgentHint')}</p>
            {urgent?.unitName ? <p className="h5-urgent-from">{t('notices.from', { unit: urgent.unitName })}</p> : null}
          </div>
        }
        closeOnAction
        onClose={onCloseUrgent}
        actions={[
          [
            { key: 'dismiss', text: t('notices.live.dismiss') },
            {
              key: 'view',
              text: t('notices.live.view'),
              bold: true,
              onClick: () => {
                if (urgent) onViewUrgent(urgent);
              },
            },
          ],
        ]}
      />
    </>
  );
}
