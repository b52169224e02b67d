import { Alert, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseDetail } from '../../api/cases.ts';
import { useWorkingDuration } from '../../components/cases/CaseTags.tsx';
import { formatTime } from '../../lib/format.ts';
import { PhotoThumbs } from './CaseTimeline.tsx';
import { ReporterField } from './ReporterField.tsx';

type Assignment = CaseDetail['assignments'][number];

/** Every breakpoint given: one left out falls back to Ant Design's default of three columns. */
const TWO = { xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 };

/** Description, reporter, where it is and who holds it, the assignments, a waiting extension and the rating. */
export function CaseInfo({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const duration = useWorkingDuration();
  const intakeEvent = c.events.find((e) => e.action === 'intake');
  const photos = c.attachments.filter(
    (a) => a.contentType.startsWith('image/') && (a.eventId === null || a.eventId === intakeEvent?.id),
  );

  const columns = [
    {
      key: 'unit',
      title: t('caseDetail.assignments.unit'),
      render: (_: unknown, a: Assignment) => a.unit.name,
    },
    {
      key: 'role',
      title: t('caseDetail.assignments.role'),
      width: 72,
      render: (_: unknown, a: Assignment) => t(`caseTerms.assignmentRole.${a.role}`),
    },
    {
      key: 'status',
      title: t('caseDetail.assignments.status'),
      width: 88,
      render: (_: unknown, a: Assignment) => (
        <Tag
          color={
            a.status === 'returned'
              ? 'red'
              : a.status === 'pending'
                ? 'gold'
                : a.status === 'checkedIn'
                  ? 'blue'
                  : undefined
          }
        >
          {t(`caseDetail.assignments.statuses.${a.status}`, { defaultValue: a.status })}
        </Tag>
      ),
    },
    { key: 'round', title: t('caseDetail.assignments.round'), dataIndex: 'round', width: 64 },
    {
      key: 'assignedAt',
      title: t('caseDetail.assignments.assignedAt'),
      render: (_: unknown, a: Assignment) => formatTime(a.assignedAt),
    },
    {
      key: 'responseDueAt',
      title: t('caseDetail.assignments.responseDue'),
      render: (_: unknown, a: Assignment) => formatTime(a.responseDueAt),
    },
    {
      key: 'respondedAt',
      title: t('caseDetail.assignments.respondedAt'),
      render: (_: unknown, a: Assignment) => formatTime(a.respondedAt),
    },
  ];

  return (
    <Card size="small" title={t('caseDetail.info.title')} data-testid="case-info">
      {c.mergedInto ? (
        <Alert
          type="info"
          showIcon
          className="case-block"
          data-testid="merged-into"
          title={
            <Link to={`/cases/${c.mergedInto.id}`}>
              {t('caseDetail.info.mergedInto', {
                number: c.mergedInto.number,
                state: t(`caseTerms.state.${c.mergedInto.state}`),
              })}
            </Link>
          }
        />
      ) : null}
      {c.pendingExtension ? (
        <Alert
          type="warning"
          showIcon
          className="case-block"
          data-testid="pending-extension"
          title={t('caseDetail.extension.title')}
          description={
            <Descriptions size="small" column={TWO}>
              <Descriptions.Item label={t('caseDetail.extension.amount')}>
                {duration(c.pendingExtension.extraMinutes)}
              </Descriptions.Item>
              <Descriptions.Item label={t('caseDetail.extension.requestedBy')}>
                {c.pendingExtension.requestedBy}
              </Descriptions.Item>
              <Descriptions.Item label={t('caseDetail.extension.requestedAt')}>
                {formatTime(c.pendingExtension.requestedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('caseDetail.extension.reason')}>
                {c.pendingExtension.reason}
              </Descriptions.Item>
            </Descriptions>
          }
        />
      ) : null}
      <Typography.Title level={5} className="case-subtitle">
        {t('caseDetail.info.description')}
      </Typography.Title>
      <Typography.Paragraph className="case-description" data-testid="case-description">
        {c.description}
      </Typography.Paragraph>
      <PhotoThumbs photos={photos} testId="case-photos" />
      <Descriptions size="small" column={TWO} className="case-block" bordered>
        <Descriptions.Item label={t('caseDetail.info.reporter')} span="filled">
          <ReporterField c={c} />
        </Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.info.address')} span="filled">
          {c.address ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.info.territory')}>{c.territory.name}</Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.info.grid')}>{c.grid?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.info.owner')}>
          <span data-testid="case-owner">{c.owner.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.info.lead')}>
          <span data-testid="case-lead">{c.lead?.name ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      {c.rating ? (
        <>
          <Typography.Title level={5} className="case-subtitle">
            {t('caseDetail.rating.title')}
          </Typography.Title>
          <Descriptions size="small" column={TWO} bordered data-testid="case-rating">
            <Descriptions.Item label={t('caseDetail.rating.rating')}>
              <Tag color={c.rating === 'dissatisfied' ? 'red' : c.rating === 'noAnswer' ? undefined : 'green'}>
                {t(`caseTerms.rating.${c.rating}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('caseDetail.rating.solved')}>
              {c.solved === null ? '—' : c.solved ? t('caseDetail.rating.solvedYes') : t('caseDetail.rating.solvedNo')}
            </Descriptions.Item>
            <Descriptions.Item label={t('caseDetail.rating.comment')} span="filled">
              {c.ratingComment ?? '—'}
            </Descriptions.Item>
          </Descriptions>
        </>
      ) : null}
      <Typography.Title level={5} className="case-subtitle">
        {t('caseDetail.assignments.title')}
      </Typography.Title>
      <div data-testid="case-assignments">
        <Table<Assignment & { key: number }>
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={c.assignments.map((a, key) => ({ ...a, key }))}
          pagination={false}
          scroll={{ x: 720 }}
        />
      </div>
    </Card>
  );
}
