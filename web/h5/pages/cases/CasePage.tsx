import './cases.css';
import { Button, ErrorBlock, NavBar, Steps } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { myCase, type ResidentCaseDetail, type TimelineStep } from '../../api/cases.ts';
import { ApiError } from '../../api/session.ts';
import { Loading } from '../../components/Loading.tsx';
import { caseErrorText, formatWhen } from './format.ts';
import { useLiveRefresh } from './live.ts';
import { PhotoGrid } from './PhotoGrid.tsx';
import { StageTag } from './parts.tsx';
import { RatingForm, RatingShown } from './RatingForm.tsx';

const POLL_MS = 15_000;

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'done'; detail: ResidentCaseDetail };

/**
 * One of my cases: number, stage and the time promised; the plain-language progress (received → passed to the
 * grid → up to the community → the whistle and the departments reporting → resolved with the result and its
 * photos → rated); what I reported; and, once resolved, the rating form.
 */
export default function CasePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = useCallback(() => {
    if (!Number.isSafeInteger(id) || id <= 0) {
      setLoaded({ status: 'failed', error: new ApiError(404, { code: 'NOT_FOUND' }) });
      return;
    }
    myCase(id).then(
      ({ case: detail }) => setLoaded({ status: 'done', detail }),
      (error: unknown) => setLoaded((now) => (now.status === 'done' ? now : { status: 'failed', error })),
    );
  }, [id]);
  useEffect(load, [load]);
  // Progress made by the staff shows without a reload: at once for what the resident is told of (case.*
  // events), within POLL_MS for the intermediate steps while the case is open and the page on screen.
  const open = loaded.status === 'done' && loaded.detail.stage !== 'closed' && loaded.detail.stage !== 'merged';
  useLiveRefresh('case.', load, (event) => event.caseId === id, open ? POLL_MS : undefined);

  return (
    <div className="h5-page h5-with-nav h5-case">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate(-1)}>
        {loaded.status === 'done' ? loaded.detail.number : t('cases.title')}
      </NavBar>
      {loaded.status === 'loading' ? <Loading /> : null}
      {loaded.status === 'failed' ? (
        <ErrorBlock
          status={loaded.error instanceof ApiError && loaded.error.status === 404 ? 'empty' : 'disconnected'}
          title={
            loaded.error instanceof ApiError && loaded.error.status === 404
              ? t('cases.detail.notFound')
              : t('cases.loadFailed')
          }
          description={caseErrorText(t, loaded.error)}
        >
          <Button color="primary" onClick={() => navigate('/cases', { replace: true })}>
            {t('cases.home.allCases')}
          </Button>
        </ErrorBlock>
      ) : null}
      {loaded.status === 'done' ? (
        <CaseDetail detail={loaded.detail} onChange={(detail) => setLoaded({ status: 'done', detail })} />
      ) : null}
    </div>
  );
}

function CaseDetail({ detail, onChange }: { detail: ResidentCaseDetail; onChange(detail: ResidentCaseDetail): void }) {
  const { t } = useTranslation();
  const open = detail.stage === 'received' || detail.stage === 'handling';
  return (
    <>
      <header className="h5-card h5-case-head">
        <h1 className="h5-case-head-title">{detail.title}</h1>
        <p className="h5-case-head-meta">
          <StageTag stage={detail.stage} />
          <span>{t('cases.detail.number', { number: detail.number })}</span>
        </p>
        {open && detail.promisedBy ? (
          <p className="h5-case-promise">{t('cases.detail.promised', { when: formatWhen(t, detail.promisedBy) })}</p>
        ) : null}
        {!open && detail.resolvedAt ? (
          <p className="h5-muted">{t('cases.detail.resolvedAt', { when: formatWhen(t, detail.resolvedAt) })}</p>
        ) : null}
        {detail.supporters > 0 ? (
          <p className="h5-muted">{t('cases.detail.supporters', { count: detail.supporters })}</p>
        ) : null}
        {detail.relation === 'supporter' ? <p className="h5-muted">{t('cases.detail.supporterNote')}</p> : null}
      </header>

      {detail.canRate ? <RatingForm detail={detail} onRated={onChange} /> : null}
      {detail.rating && !detail.canRate ? <RatingShown rating={detail.rating} /> : null}

      <section className="h5-card" aria-labelledby="case-progress">
        <h2 id="case-progress" className="h5-card-title">
          {t('cases.detail.progress')}
        </h2>
        <Timeline steps={detail.timeline} open={detail.stage !== 'closed' && detail.stage !== 'merged'} />
      </section>

      <section className="h5-card" aria-labelledby="case-report">
        <h2 id="case-report" className="h5-card-title">
          {detail.relation === 'reporter' ? t('cases.detail.myReport') : t('cases.detail.about')}
        </h2>
        {detail.description ? <p className="h5-case-description">{detail.description}</p> : null}
        <PhotoGrid ids={detail.photos} label={t('cases.detail.myReport')} />
        <dl className="h5-facts h5-facts-compact">
          {detail.category ? (
            <div>
              <dt>{t('cases.detail.category')}</dt>
              <dd>{[detail.category.parentName, detail.category.name].filter(Boolean).join(' · ')}</dd>
            </div>
          ) : null}
          {detail.address || detail.grid ? (
            <div>
              <dt>{t('cases.detail.address')}</dt>
              <dd>{[detail.grid?.name, detail.address].filter(Boolean).join(' · ')}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('cases.detail.reportedAt')}</dt>
            <dd>{formatWhen(t, detail.reportedAt)}</dd>
          </div>
        </dl>
        {detail.confidential ? <p className="h5-muted">{t('cases.detail.confidential')}</p> : null}
      </section>
    </>
  );
}

/** The words for a step: "已交给 体育场社区第一网格", "社区吹哨，城市管理局报到" … */
function stepTitle(t: ReturnType<typeof useTranslation>['t'], step: TimelineStep): string {
  const units = step.units.map((u) => u.name).join('、');
  switch (step.kind) {
    case 'assigned':
      return units ? t('cases.step.assigned', { units }) : t('cases.step.assignedPlain');
    case 'escalated':
      return units ? t('cases.step.escalated', { units }) : t('cases.step.escalatedPlain');
    case 'whistled':
      return units ? t('cases.step.whistled', { units }) : t('cases.step.whistledPlain');
    case 'accepted':
    case 'checkedIn':
    case 'transferred':
      return units ? t(`cases.step.${step.kind}`, { units }) : t('cases.step.note');
    case 'extended': {
      const until = step.text ? new Date(step.text) : null;
      return until && !Number.isNaN(until.getTime())
        ? t('cases.step.extendedTo', { when: formatWhen(t, step.text!) })
        : t('cases.step.extended');
    }
    default:
      return t(`cases.step.${step.kind}`);
  }
}

function Timeline({ steps, open }: { steps: TimelineStep[]; open: boolean }) {
  const { t } = useTranslation();
  if (steps.length === 0) return null;
  return (
    <Steps direction="vertical" current={steps.length - 1} className="h5-timeline">
      {steps.map((step, index) => {
        const last = index === steps.length - 1;
        // The extension's date is in the title already; other public text (the result, my comment) shows below.
        const text = step.kind === 'extended' ? null : step.text;
        return (
          <Steps.Step
            key={step.id}
            status={last && open ? 'process' : 'finish'}
            title={<span data-step-kind={step.kind}>{stepTitle(t, step)}</span>}
            description={
              <div className="h5-step-body">
                <time dateTime={step.at}>{formatWhen(t, step.at)}</time>
                {text ? <p className="h5-step-text">{text}</p> : null}
                <PhotoGrid ids={step.photos} label={stepTitle(t, step)} />
              </div>
            }
          />
        );
      })}
    </Steps>
  );
}
