import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Row,
  Select,
  Skeleton,
  Table,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Bulletin,
  bulletin,
  bulletinXlsxUrl,
  type LeagueTable,
  type Ledger,
  leagueTable,
  leagueTableXlsxUrl,
  ledger,
  ledgerXlsxUrl,
  RANKING_LEVEL_ORDER,
  type RankingLevel,
} from '../../api/metrics.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { download } from '../../lib/download.ts';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { percent } from './format.ts';
import { RankingsTable } from './RankingsTable.tsx';
import './analytics.css';

type ReportKey = 'bulletin' | 'leagueTable' | 'ledger';
const CASE_TYPES = ['appeal', 'enterprise', 'inspection', 'task'] as const;

/** The formulas as the server states them, in the current language. */
function Formulas({ formulas }: { formulas: Record<string, { zh: string; en: string }> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  return (
    <div className="report-formulas">
      <Typography.Text strong>{t('analytics.reports.formulas')}</Typography.Text>
      {Object.entries(formulas).map(([key, f]) => (
        <p key={key}>{f[lang]}</p>
      ))}
    </div>
  );
}

function BulletinSheet({ b }: { b: Bulletin }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  const c = b.counts;
  const figure = (key: string, label: string, value: number | string) => ({ key, label, children: value });
  return (
    <div className="report-sheet" data-testid="bulletin-sheet">
      <Typography.Title level={4} className="report-title">
        {english ? `${t('analytics.reports.bulletin')} · ${b.unit.name}` : `${b.unit.name}一周一通报`}
      </Typography.Title>
      <Typography.Text type="secondary" className="report-subtitle">
        {english ? `${b.period.from} — ${b.period.to}` : b.period.label}
      </Typography.Text>
      <Descriptions
        className="report-figures"
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        title={t('analytics.reports.figures')}
        items={[
          figure('received', t('analytics.figures.received'), c.received),
          figure('assigned', t('analytics.reports.assigned'), c.assigned),
          figure('respondedInTime', t('analytics.reports.respondedInTime'), c.respondedInTime),
          figure('responseRate', t('analytics.rates.responseRate'), percent(b.rates.responseRate)),
          figure('resolved', t('analytics.figures.resolved'), c.resolved),
          figure('resolvedLate', t('analytics.reports.resolvedLate'), b.resolvedLate),
          figure('visited', t('analytics.reports.visited'), c.visited),
          figure('answered', t('analytics.reports.answered'), c.answered),
          figure('solved', t('analytics.reports.solved'), c.solved),
          figure('resolutionRate', t('analytics.rates.resolutionRate'), percent(b.rates.resolutionRate)),
          figure('satisfied', t('caseTerms.rating.satisfied'), c.satisfied),
          figure('partlySatisfied', t('caseTerms.rating.partlySatisfied'), c.partlySatisfied),
          figure('dissatisfied', t('caseTerms.rating.dissatisfied'), c.dissatisfied),
          figure('noAnswer', t('analytics.reports.noAnswer'), c.noAnswer),
          figure('satisfactionRate', t('analytics.rates.satisfactionRate'), percent(b.rates.satisfactionRate)),
          figure('closed', t('analytics.figures.closed'), c.closed),
        ]}
      />
      <Descriptions
        className="report-figures report-section"
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        title={t('analytics.reports.nowFigures')}
        extra={
          <Typography.Text type="secondary">
            {t('analytics.reports.asOf', { time: formatTime(b.now.asOf) })}
          </Typography.Text>
        }
        items={[
          figure('open', t('analytics.figures.open'), b.now.open),
          figure('overdue', t('analytics.figures.overdue'), b.now.overdue),
          figure('red', t('analytics.figures.red'), b.now.red),
          figure('supervised', t('analytics.figures.supervised'), b.now.supervised),
        ]}
      />
      <div className="report-section">
        <Typography.Title level={5}>{t('analytics.reports.topCategories')}</Typography.Title>
        <Table
          size="small"
          pagination={false}
          rowKey={(r) => r.category?.id ?? 0}
          dataSource={b.topCategories}
          locale={{ emptyText: t('common.empty') }}
          columns={[
            { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
            {
              title: t('analytics.reports.category'),
              key: 'category',
              render: (_, r) =>
                r.category
                  ? [r.category.parentName, r.category.name].filter(Boolean).join(' / ')
                  : t('analytics.charts.unclassified'),
            },
            {
              title: t('analytics.figures.received'),
              key: 'received',
              width: 96,
              align: 'right',
              dataIndex: 'received',
            },
          ]}
        />
      </div>
      <div className="report-section">
        {b.ranking ? (
          <Row gutter={[16, 16]}>
            <Col span={24}>
              <Typography.Title level={5}>
                {t('analytics.reports.best')} · {t(`analytics.rankings.levels.${b.ranking.level}`)}
              </Typography.Title>
              <RankingsTable
                rows={b.ranking.best}
                belowMinimum={[]}
                minVolume={b.ranking.minVolume}
                data-testid="bulletin-best"
              />
            </Col>
            <Col span={24}>
              <Typography.Title level={5}>
                {t('analytics.reports.worst')} · {t(`analytics.rankings.levels.${b.ranking.level}`)}
              </Typography.Title>
              <RankingsTable
                rows={b.ranking.worst}
                belowMinimum={[]}
                minVolume={b.ranking.minVolume}
                data-testid="bulletin-worst"
              />
            </Col>
          </Row>
        ) : (
          <Typography.Text type="secondary">{t('analytics.reports.noRanking')}</Typography.Text>
        )}
      </div>
      <Formulas formulas={b.formulas} />
    </div>
  );
}

function LeagueSheet({ l }: { l: LeagueTable }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  const levelName = t(`analytics.rankings.levels.${l.level}`);
  return (
    <div className="report-sheet" data-testid="league-sheet">
      <Typography.Title level={4} className="report-title">
        {english
          ? `${t('analytics.reports.leagueTable')} · ${l.within.name} · ${levelName}`
          : `${l.within.name}${levelName}一月一晾晒`}
      </Typography.Title>
      <Typography.Text type="secondary" className="report-subtitle">
        {english ? l.month : l.period.label} ·{' '}
        {t('analytics.reports.previousPeriod', {
          label: english ? l.previousPeriod.from.slice(0, 7) : l.previousPeriod.label,
        })}
      </Typography.Text>
      <RankingsTable
        rows={l.rows}
        belowMinimum={l.belowMinimum}
        minVolume={l.minVolume}
        withChange
        data-testid="league-table"
      />
      <Formulas formulas={l.formulas} />
    </div>
  );
}

function LedgerSheet({ l }: { l: Ledger }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  type Row = Ledger['rows'][number];
  return (
    <div className="report-sheet" data-testid="ledger-sheet">
      <Typography.Title level={4} className="report-title">
        {english
          ? `${t('analytics.reports.ledger')} · ${l.unit.name} · ${t(`caseTerms.caseType.${l.caseType}`, { defaultValue: l.caseTypeName })}`
          : `${l.unit.name}${l.caseTypeName}台账`}
      </Typography.Title>
      <Typography.Text type="secondary" className="report-subtitle">
        {english ? `${l.period.from ?? '…'} — ${l.period.to}` : l.period.label} ·{' '}
        {t('analytics.reports.asOf', { time: formatTime(l.asOf) })}
      </Typography.Text>
      <Table<Row>
        size="small"
        pagination={false}
        rowKey={(r) => r.category?.id ?? 0}
        dataSource={l.rows}
        locale={{ emptyText: t('common.empty') }}
        scroll={{ x: 720 }}
        columns={[
          { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
          {
            title: t('analytics.reports.parentCategory'),
            key: 'parent',
            render: (_, r) => (r.category ? (r.category.parentName ?? '') : t('analytics.charts.unclassified')),
          },
          { title: t('analytics.reports.childCategory'), key: 'child', render: (_, r) => r.category?.name ?? '' },
          { title: t('analytics.reports.collected'), key: 'collected', align: 'right', dataIndex: 'collected' },
          { title: t('analytics.figures.resolved'), key: 'resolved', align: 'right', dataIndex: 'resolved' },
          {
            title: t('analytics.reports.resolutionRate'),
            key: 'rate',
            align: 'right',
            render: (_, r) => percent(r.resolutionRate),
          },
          { title: t('analytics.reports.inProgress'), key: 'inProgress', align: 'right', dataIndex: 'inProgress' },
          { title: t('analytics.figures.overdue'), key: 'overdue', align: 'right', dataIndex: 'overdue' },
          {
            title: t('analytics.reports.closedUnresolved'),
            key: 'closedUnresolved',
            align: 'right',
            dataIndex: 'closedUnresolved',
          },
        ]}
        summary={() => (
          <Table.Summary.Row className="ledger-total">
            <Table.Summary.Cell index={0} colSpan={3}>
              <Typography.Text strong>{t('analytics.reports.total')}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {l.total.collected}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {l.total.resolved}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              {percent(l.total.resolutionRate)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right">
              {l.total.inProgress}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              {l.total.overdue}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right">
              {l.total.closedUnresolved}
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Formulas formulas={l.formulas} />
    </div>
  );
}

/** A report's area: a skeleton while loading, the error in words, or the sheet. */
function Loaded<T>({
  load,
  children,
}: {
  load: { data: T | undefined; loading: boolean; error: unknown };
  children: (data: T) => React.ReactNode;
}) {
  const errorText = useErrorText();
  if (load.error) return <Alert type="error" showIcon title={errorText(load.error)} />;
  if (load.loading && !load.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (!load.data) return <Empty />;
  return <>{children(load.data)}</>;
}

/**
 * 通报排名: the weekly bulletin (一周一通报), the monthly league table (一月一晾晒) with each unit's change since
 * last month, and ledgers (台账) — on screen, as Excel (data.export) and printed on A4 (only the report prints).
 */
export default function ReportsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSignedIn();
  const canExport = session.can('data.export');
  const [tab, setTab] = useState<ReportKey>('bulletin');
  const [within, setWithin] = useState<number | undefined>();
  const [week, setWeek] = useState(() => dayjs());
  const [month, setMonth] = useState(() => dayjs());
  const [level, setLevel] = useState<RankingLevel | undefined>();
  const [ledgerType, setLedgerType] = useState<string>('enterprise');
  const [range, setRange] = useState<[string, string] | null>(null);
  const [downloading, setDownloading] = useState(false);

  const bulletinQuery = { within, week: week.format('YYYY-MM-DD') };
  const leagueQuery = { within, month: month.format('YYYY-MM'), level };
  const ledgerQuery = { within, caseType: ledgerType, from: range?.[0], to: range?.[1] };
  const b = useLoad(() => bulletin(bulletinQuery), [within, bulletinQuery.week], tab === 'bulletin');
  const l = useLoad(() => leagueTable(leagueQuery), [within, leagueQuery.month, level], tab === 'leagueTable');
  const g = useLoad(() => ledger(ledgerQuery), [within, ledgerType, range], tab === 'ledger');
  const shownUnit = within ?? b.data?.unit.id ?? l.data?.within.id ?? g.data?.unit.id;

  async function downloadXlsx() {
    setDownloading(true);
    try {
      if (tab === 'bulletin') await download(bulletinXlsxUrl(bulletinQuery), 'bulletin.xlsx');
      else if (tab === 'leagueTable') await download(leagueTableXlsxUrl(leagueQuery), 'league-table.xlsx');
      else await download(ledgerXlsxUrl(ledgerQuery), 'ledger.xlsx');
      message.success(t('analytics.reports.downloaded'));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setDownloading(false);
    }
  }

  const current = tab === 'bulletin' ? b : tab === 'leagueTable' ? l : g;
  const ready = current.data !== undefined && !current.loading;

  return (
    <div className="page reports-page" data-testid="reports-page" data-ready={ready ? 'true' : 'false'}>
      <Card size="small" className="no-print">
        <div className="page-head">
          <div>
            <Typography.Title level={4} className="page-title">
              {t('analytics.reports.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('analytics.reports.subtitle')}</Typography.Text>
          </div>
          <div className="toolbar-filters">
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!ready} data-testid="print">
              {t('analytics.reports.print')}
            </Button>
            <Tooltip title={canExport ? undefined : t('analytics.reports.downloadHint')}>
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                loading={downloading}
                disabled={!canExport || !ready}
                onClick={downloadXlsx}
                data-testid="download"
              >
                {t('analytics.reports.download')}
              </Button>
            </Tooltip>
          </div>
        </div>
        <div className="toolbar-filters">
          <label className="filter-field" htmlFor="reports-unit">
            <span>{t('analytics.scope')}</span>
            <UnitTreeSelect
              id="reports-unit"
              value={shownUnit ?? null}
              onChange={(v: number | undefined) => {
                setWithin(v);
                setLevel(undefined);
              }}
              allowClear={false}
              style={{ width: 240 }}
            />
          </label>
          {tab === 'bulletin' ? (
            <label className="filter-field" htmlFor="reports-week">
              <span>{t('analytics.reports.week')}</span>
              <DatePicker
                id="reports-week"
                picker="week"
                value={week}
                allowClear={false}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                onChange={(v) => v && setWeek(v)}
              />
            </label>
          ) : null}
          {tab === 'leagueTable' ? (
            <>
              <label className="filter-field" htmlFor="reports-month">
                <span>{t('analytics.reports.month')}</span>
                <DatePicker
                  id="reports-month"
                  picker="month"
                  value={month}
                  allowClear={false}
                  disabledDate={(d) => d.isAfter(dayjs(), 'month')}
                  onChange={(v) => v && setMonth(v)}
                />
              </label>
              <Select<RankingLevel>
                value={level ?? l.data?.level}
                placeholder={t('analytics.rankings.chooseLevel')}
                onChange={(v) => setLevel(v)}
                options={RANKING_LEVEL_ORDER.map((v) => ({ value: v, label: t(`analytics.rankings.levels.${v}`) }))}
                style={{ width: 120 }}
                aria-label={t('analytics.rankings.level')}
              />
            </>
          ) : null}
          {tab === 'ledger' ? (
            <>
              <Select<string>
                value={ledgerType}
                onChange={(v) => setLedgerType(v)}
                options={CASE_TYPES.map((c) => ({ value: c, label: t(`caseTerms.caseType.${c}`) }))}
                style={{ width: 140 }}
                aria-label={t('analytics.reports.ledgerType')}
              />
              <DatePicker.RangePicker
                value={range ? [dayjs(range[0]), dayjs(range[1])] : null}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                onChange={(v) =>
                  setRange(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : null)
                }
                aria-label={t('analytics.reports.range')}
              />
            </>
          ) : null}
        </div>
      </Card>
      <Card size="small" className="report-sheet">
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as ReportKey)}
          destroyOnHidden
          items={[
            {
              key: 'bulletin',
              label: t('analytics.reports.bulletin'),
              children: <Loaded load={b}>{(data) => <BulletinSheet b={data} />}</Loaded>,
            },
            {
              key: 'leagueTable',
              label: t('analytics.reports.leagueTable'),
              children: <Loaded load={l}>{(data) => <LeagueSheet l={data} />}</Loaded>,
            },
            {
              key: 'ledger',
              label: t('analytics.reports.ledger'),
              children: <Loaded load={g}>{(data) => <LedgerSheet l={data} />}</Loaded>,
            },
          ]}
        />
      </Card>
    </div>
  );
}
