import { Card, Empty, Image, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseEvent } from '../../api/cases.ts';
import { formatTime } from '../../lib/format.ts';
import { useEventWords } from './event-words.ts';

type Attachment = CaseDetail['attachments'][number];

const RED = new Set(['returnCase', 'assistReturn', 'reject', 'chase', 'supervise', 'expireVisit']);
const GREEN = new Set(['resolve', 'selfResolve', 'checkIn', 'assistCheckIn', 'closeBySupervisor']);

const DOT = { red: '#cf1322', green: '#389e0d', blue: '#1677ff', gray: '#8c8c8c' } as const;

function colourOf(event: CaseEvent): string {
  if (event.action === 'colourChange') return event.data.to === 'red' ? DOT.red : DOT.gray;
  if (event.action === 'visit') return event.data.rating === 'dissatisfied' ? DOT.red : DOT.green;
  if (RED.has(event.action)) return DOT.red;
  if (GREEN.has(event.action)) return DOT.green;
  if (event.action === 'inviteVisit') return DOT.gray;
  return DOT.blue;
}

/** Thumbnails that open Ant Design's preview (with the others of the group to page through). */
export function PhotoThumbs({ photos, testId }: { photos: Attachment[]; testId?: string }) {
  if (photos.length === 0) return null;
  return (
    <div className="case-photos" data-testid={testId}>
      <Image.PreviewGroup>
        {photos.map((p) => (
          <Image key={p.id} src={p.url} width={72} height={72} className="case-photo" alt="" />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}

/**
 * The whole timeline, oldest first (newest at the bottom, as a file is read): per event the action, the
 * state change, who acted for which unit and when, the event's data in words, the note and its photos.
 */
export function CaseTimeline({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const words = useEventWords();
  const photosOf = (eventId: number) =>
    c.attachments.filter((a) => a.eventId === eventId && a.contentType.startsWith('image/'));

  const items = c.events.map((event) => {
    const lines = words(event);
    const photos = photosOf(event.id);
    return {
      key: event.id,
      color: colourOf(event),
      content: (
        <div className="case-event" data-testid="timeline-event" data-action={event.action} data-seq={event.seq}>
          <div className="case-event-head">
            <Typography.Text strong>
              {t(`caseTerms.action.${event.action}`, { defaultValue: event.action })}
            </Typography.Text>
            {event.fromState && event.fromState !== event.toState ? (
              <span className="muted">
                {t(`caseTerms.state.${event.fromState}`)} → {t(`caseTerms.state.${event.toState}`)}
              </span>
            ) : null}
            <span className="muted case-event-time">{formatTime(event.at)}</span>
          </div>
          <div className="muted" data-testid="timeline-actor">
            {event.actorName || t('caseDetail.timeline.system')}
            {event.actorUnit ? ` · ${event.actorUnit.name}` : ''}
          </div>
          {lines.length > 0 ? (
            <div className="case-event-data" data-testid="timeline-data">
              {lines.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </div>
          ) : null}
          {event.note ? <Typography.Paragraph className="case-event-note">{event.note}</Typography.Paragraph> : null}
          <PhotoThumbs photos={photos} testId="timeline-photos" />
        </div>
      ),
    };
  });

  return (
    <Card
      size="small"
      title={t('caseDetail.timeline.title')}
      extra={<span className="muted">{t('caseDetail.timeline.order')}</span>}
      data-testid="case-timeline"
    >
      {items.length ? <Timeline items={items} /> : <Empty description={t('caseDetail.timeline.empty')} />}
    </Card>
  );
}
