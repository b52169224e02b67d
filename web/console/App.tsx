import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AppLayout } from './layout/AppLayout.tsx';
import { reducedMotion } from './lib/motion.ts';
import { SessionProvider, useSession } from './lib/session.tsx';
import { ChangePasswordPage } from './pages/auth/ChangePasswordPage.tsx';
import { LoginPage } from './pages/auth/LoginPage.tsx';
import { appRoutes, bareRoutes } from './routes.tsx';

const theme = {
  // Ant Design's animations are off for a user who asked the system for reduced motion.
  token: { colorPrimary: '#c8102e', borderRadius: 4, fontSize: 14, motion: !reducedMotion },
  components: { Layout: { headerBg: '#ffffff', siderBg: '#001529' } },
};

export function App() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.title = english ? 'Linli · Staff console' : '邻里 · 工作台';
  }, [english]);
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/console">
            <Gate />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Sign-in first; a forced password change before anything else; then the console. */
function Gate() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) {
    return (
      <div className="boot">
        <Spin size="large" />
      </div>
    );
  }
  if (!session) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="*"
          element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />}
        />
      </Routes>
    );
  }
  if (session.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to="/" replace />} />
      {bareRoutes.map((route) => (
        <Route key={route.path} path={route.path} element={route.element} />
      ))}
      <Route element={<AppLayout />}>
        {appRoutes.map((route) => (
          <Route key={route.path} path={route.path} element={route.element} />
        ))}
        <Route path="/password" element={<ChangePasswordPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
