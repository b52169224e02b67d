import { Alert, Button, Card, Result, Skeleton } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { type CaseAction, type CaseDetail, getCase, similarCases } from '../../api/cases.ts';
import { getGrid } from '../../api/grids.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import type { MasterOption } from './ActionFields.tsx';
import { ActionPanel, type OpenAction } from './ActionPanel.tsx';
import { CaseHeader } from './CaseHeader.tsx';
import { CaseInfo } from './CaseInfo.tsx';
import { CaseLocationMap } from './CaseLocationMap.tsx';
import { CaseTimeline } from './CaseTimeline.tsx';
import { type Conflict, ConflictAlert } from './ConflictAlert.tsx';
import { SimilarCases } from './SimilarCases.tsx';
import './case-detail.css';

const isNotFound = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 400);

/**
 * 事项详情: the whole case — header, description, reporter, where it is, who holds it, the timeline with
 * photos — and the actions the server allows this user now, each a short form. Two columns on a desk screen
 * (the case on the left; actions, map and similar cases on the right), one on a tablet.
 */
export default function CaseDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { id: param } = useParams();
  const id = Number(param);
  const valid = Number.isSafeInteger(id) && id > 0;

  const loaded = useLoad(() => getCase(id).then((body) => body.case), [id], valid);
  const [gone, setGone] = useState(false);
  const [conflict, setConflict] = useState<Conflict>();
  const [open, setOpen] = useState<OpenAction>();

  // Another case (a similar one followed by its link): start afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the id changes
  useEffect(() => {
    setGone(false);
    setConflict(undefined);
    setOpen(undefined);
  }, [id]);

  const c = loaded.data?.id === id ? loaded.data : undefined;

  if (!valid || gone || (isNotFound(loaded.error) && !loaded.loading)) {
    return (
      <Card data-testid="case-not-found">
        <Result
          status="404"
          title={t('caseDetail.notFound')}
          subTitle={t('caseDetail.notFoundHint')}
          extra={
            <Button type="primary" onClick={() => navigate('/cases')}>
              {t('caseDetail.toList')}
            </Button>
          }
        />
      </Card>
    );
  }
  if (!c) {
    if (loaded.error && !loaded.loading) {
      return (
        <Card data-testid="case-load-error">
          <Result
            status="error"
            title={t('caseDetail.loadFailed')}
            subTitle={errorText(loaded.error)}
            extra={
              <Button type="primary" onClick={loaded.reload}>
                {t('common.retry')}
              </Button>
            }
          />
        </Card>
      );
    }
    return (
      <div className="page" data-testid="case-loading">
        <Card>
          <Skeleton active paragraph={{ rows: 2 }} />
        </Card>
        <div className="case-detail-grid">
          <Card className="case-detail-main">
            <Skeleton active paragraph={{ rows: 10 }} />
          </Card>
          <Card className="case-detail-actions">
            <Skeleton active paragraph={{ rows: 4 }} />
          </Card>
        </div>
      </div>
    );
  }

  return (
    <CaseView
      c={c}
      refreshing={loaded.loading}
      refreshError={loaded.error}
      conflict={conflict}
      open={open}
      onOpen={setOpen}
      onBack={() => (window.history.length > 1 ? navigate(-1) : navigate('/cases'))}
      onRefresh={loaded.reload}
      onDone={() => {
        setConflict(undefined);
        loaded.reload();
      }}
      onConflict={(action) => {
        setConflict({ action, before: c });
        loaded.reload();
      }}
      onCloseConflict={() => setConflict(undefined)}
      onGone={() => setGone(true)}
    />
  );
}

interface ViewProps {
  c: CaseDetail;
  refreshing: boolean;
  refreshError: unknown;
  conflict: Conflict | undefined;
  open: OpenAction | undefined;
  onOpen(open: OpenAction | undefined): void;
  onBack(): void;
  onRefresh(): void;
  onDone(action: CaseAction): void;
  onConflict(action: CaseAction): void;
  onCloseConflict(): void;
  onGone(): void;
}

function CaseView(props: ViewProps) {
  const { c, refreshing, refreshError, conflict, open, onOpen } = props;
  const { t } = useTranslation();
  const errorText = useErrorText();
  const session = useSignedIn();
  const location = c.location;

  const gridId = c.grid?.id;
  const mayReadGrid = session.can('grid.read');
  // The grid's outline if I may read the grid; a grid outside my unit scope (a department's view) is left out.
  const grid = useLoad(
    () => (gridId ? getGrid(gridId).catch(() => null) : Promise.resolve(null)),
    [gridId],
    Boolean(location && gridId && mayReadGrid),
  );
  const similar = useLoad(
    () =>
      location
        ? similarCases({ lng: location.lng, lat: location.lat, excludeId: c.id, text: c.title.slice(0, 200) }).then(
            (body) => body.items,
          )
        : Promise.resolve([]),
    [c.id, c.version, location?.lng, location?.lat],
    Boolean(location),
  );
  const mayMerge = c.allowedActions.includes('merge');
  const masters = useMemo<MasterOption[]>(
    () => (similar.data ?? []).map((s) => ({ id: s.id, number: s.number, title: s.title })),
    [similar.data],
  );

  return (
    <div className="page case-detail" data-testid="case-detail" data-case-id={c.id} data-version={c.version}>
      <CaseHeader c={c} refreshing={refreshing} onBack={props.onBack} onRefresh={props.onRefresh} />
      {conflict ? (
        <ConflictAlert conflict={conflict} now={c} refreshing={refreshing} onClose={props.onCloseConflict} />
      ) : null}
      {refreshError && !refreshing ? (
        <Alert
          type="error"
          showIcon
          title={errorText(refreshError)}
          action={
            <Button size="small" onClick={props.onRefresh}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : null}
      <div className="case-detail-grid">
        <div className="case-detail-main">
          <CaseInfo c={c} />
          <CaseTimeline c={c} />
        </div>
        <div className="case-detail-actions">
          <ActionPanel
            c={c}
            open={open}
            onOpen={onOpen}
            masters={masters}
            onDone={props.onDone}
            onConflict={props.onConflict}
            onGone={props.onGone}
          />
        </div>
        <div className="case-detail-aside">
          <Card size="small" title={t('caseDetail.map.title')}>
            {location ? (
              <CaseLocationMap
                location={location}
                boundary={grid.data?.boundary ?? null}
                gridName={c.grid?.name ?? null}
              />
            ) : (
              <span className="muted">{t('caseDetail.map.noLocation')}</span>
            )}
            {c.address ? <div className="case-map-address">{c.address}</div> : null}
          </Card>
          <SimilarCases
            hasLocation={Boolean(location)}
            items={similar.data}
            loading={similar.loading}
            error={similar.error}
            onMerge={
              mayMerge
                ? (master) =>
                    onOpen({ action: 'merge', master: { id: master.id, number: master.number, title: master.title } })
                : undefined
            }
          />
        </div>
      </div>
    </div>
  );
}
