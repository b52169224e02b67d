import { Button, ConfigProvider, ErrorBlock } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Loading } from './components/Loading.tsx';
import { TabLayout } from './components/TabLayout.tsx';
import { describeError } from './errors.ts';
import { LiveProvider } from './live.tsx';
import { HomePage } from './pages/HomePage.tsx';
import SignInPage from './pages/SignInPage.tsx';
import { needsProfile } from './places.ts';
import { SessionProvider, useSession } from './session.tsx';

// Home and sign-in are in the first download (a first visit shows sign-in); everything else arrives when first
// opened.
const WelcomePage = lazy(() => import('./pages/WelcomePage.tsx'));
const ProfilePage = lazy(() => import('./pages/ProfilePage.tsx'));
const MePage = lazy(() => import('./pages/MePage.tsx'));
const StaffNotice = lazy(() => import('./pages/StaffNotice.tsx'));
const CallPage = lazy(() => import('./pages/cases/CallPage.tsx'));
const ReportPage = lazy(() => import('./pages/cases/ReportPage.tsx'));
const CasesPage = lazy(() => import('./pages/cases/CasesPage.tsx'));
const CasePage = lazy(() => import('./pages/cases/CasePage.tsx'));
const GridCardPage = lazy(() => import('./pages/cases/GridCardPage.tsx'));
const NoticesPage = lazy(() => import('./pages/notices/NoticesPage.tsx'));
const NoticePage = lazy(() => import('./pages/notices/NoticePage.tsx'));
const ActivitiesPage = lazy(() => import('./pages/activities/ActivitiesPage.tsx'));
const ActivityPage = lazy(() => import('./pages/activities/ActivityPage.tsx'));
const CheckInPage = lazy(() => import('./pages/activities/CheckInPage.tsx'));
const MyEnrolmentsPage = lazy(() => import('./pages/activities/MyEnrolmentsPage.tsx'));

export function App() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.fullName');
  }, [t]);
  return (
    <ConfigProvider locale={i18n.language === 'en-US' ? enUS : zhCN}>
      <SessionProvider>
        <BrowserRouter basename="/h5">
          <Suspense fallback={<Loading />}>
            <Gate />
          </Suspense>
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  );
}

/** Sign-in first; a resident without a registered home completes the profile; then the app. */
function Gate() {
  const { t } = useTranslation();
  const { state, retry } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed') {
    return (
      <ErrorBlock status="disconnected" title={t('app.loadFailed')} description={describeError(t, state.error)}>
        <Button color="primary" size="large" onClick={retry}>
          {t('app.retry')}
        </Button>
      </ErrorBlock>
    );
  }
  if (state.status === 'signedOut') {
    return (
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route path="*" element={<Navigate to={signInFor(location)} replace />} />
      </Routes>
    );
  }
  if (!state.me) return <StaffNotice />;
  if (needsProfile(state.me) && location.pathname !== '/welcome') return <Navigate to="/welcome" replace />;
  // Live news (urgent notices, my cases, call-backs, activities) while a resident is signed in.
  return (
    <LiveProvider>
      <Routes>
        <Route path="/welcome" element={<WelcomePage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/call" element={<CallPage />} />
        <Route path="/report" element={<ReportPage />} />
        <Route path="/cases/:id" element={<CasePage />} />
        <Route path="/grid" element={<GridCardPage />} />
        <Route path="/notices/:id" element={<NoticePage />} />
        <Route path="/activities/:id" element={<ActivityPage />} />
        <Route path="/activities/:id/check-in" element={<CheckInPage />} />
        <Route path="/me/enrolments" element={<MyEnrolmentsPage />} />
        <Route element={<TabLayout />}>
          <Route path="/" element={<HomePage />} />
          <Route path="/cases" element={<CasesPage />} />
          <Route path="/notices" element={<NoticesPage />} />
          <Route path="/activities" element={<ActivitiesPage />} />
          <Route path="/me" element={<MePage />} />
        </Route>
        <Route path="/signin" element={<Navigate to={afterSignIn(location.search)} replace />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </LiveProvider>
  );
}

/**
 * A signed-out resident opening a page below a tab (a scanned check-in code, a link in a message) signs in
 * at `/signin?next=<that page>` and is taken back there afterwards; a tab itself starts from plain sign-in.
 */
function signInFor(location: { pathname: string; search: string }): string {
  const deep = location.pathname.split('/').filter(Boolean).length > 1;
  return deep ? `/signin?${new URLSearchParams({ next: location.pathname + location.search })}` : '/signin';
}

/** Where sign-in leads: the kept `next` when it is a page of this app, else home. */
function afterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '';
  const inApp = /^\/(?![/\\])/.test(next) && !next.startsWith('/signin');
  return inApp ? next : '/';
}
