import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/cases.ts';
import { ColourTag, StateTag, TimeLeft, UrgencyTag } from '../../components/cases/CaseTags.tsx';
import { formatTime } from '../../lib/format.ts';

/** Every breakpoint given: one left out falls back to Ant Design's default of three columns. */
const FOUR = { xs: 1, sm: 2, md: 2, lg: 4, xl: 4, xxl: 4 };

interface Props {
  c: CaseDetail;
  refreshing: boolean;
  onBack(): void;
  onRefresh(): void;
}

/** Number, title and the tags a handler reads first: colour, state, urgency, supervision, round, time left. */
export function CaseHeader({ c, refreshing, onBack, onRefresh }: Props) {
  const { t } = useTranslation();
  const category = c.category
    ? c.category.parentName
      ? `${c.category.parentName} / ${c.category.name}`
      : c.category.name
    : t('caseDetail.header.noCategory');
  return (
    <Card size="small" className="case-header" data-testid="case-header">
      <div className="case-header-top">
        <Tooltip title={t('caseDetail.back')}>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('caseDetail.back')} />
        </Tooltip>
        <div className="case-header-title">
          <Typography.Text type="secondary" copyable data-testid="case-number">
            {c.number}
          </Typography.Text>
          <Typography.Title level={4} className="case-title" data-testid="case-title">
            {c.title}
          </Typography.Title>
        </div>
        <Button icon={<ReloadOutlined />} onClick={onRefresh} loading={refreshing} data-testid="case-refresh">
          {t('common.refresh')}
        </Button>
      </div>
      <Space wrap size={[4, 8]} className="case-tags" data-testid="case-tags">
        <ColourTag colour={c.colour} />
        <StateTag state={c.state} />
        <UrgencyTag urgency={c.urgency} />
        {c.supervised ? (
          <Tag color="purple" data-testid="case-supervised">
            {t('caseTerms.supervised')}
          </Tag>
        ) : null}
        <Tag>{t('caseTerms.round', { round: c.round })}</Tag>
        <TimeLeft minutes={c.timeLeftMinutes} dueAt={c.dueAt} />
      </Space>
      <Descriptions size="small" column={FOUR} className="case-meta">
        <Descriptions.Item label={t('caseDetail.header.caseType')}>
          {t(`caseTerms.caseType.${c.caseType}`, { defaultValue: c.caseType })}
        </Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.header.channel')}>
          {t(`caseTerms.channel.${c.channel}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.header.category')}>{category}</Descriptions.Item>
        <Descriptions.Item label={t('caseDetail.header.created')}>{formatTime(c.createdAt)}</Descriptions.Item>
        {c.resolutionDueAt ? (
          <Descriptions.Item label={t('caseDetail.header.resolutionDue')}>
            {formatTime(c.resolutionDueAt)}
          </Descriptions.Item>
        ) : null}
        {c.visitDueAt ? (
          <Descriptions.Item label={t('caseDetail.header.visitDue')}>{formatTime(c.visitDueAt)}</Descriptions.Item>
        ) : null}
        {c.resolvedAt ? (
          <Descriptions.Item label={t('caseDetail.header.resolvedAt')}>{formatTime(c.resolvedAt)}</Descriptions.Item>
        ) : null}
        {c.closedAt ? (
          <Descriptions.Item label={t('caseDetail.header.closedAt')}>{formatTime(c.closedAt)}</Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}
