import './styles.css';
import { unstableSetRender } from 'antd-mobile';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { initI18n } from '../shared/i18n.ts';
import { App } from './App.tsx';
import enUS from './locales/en-US.ts';
import zhCN from './locales/zh-CN.ts';
import { applyDisplayOptions } from './settings.ts';

// antd-mobile 5 opens Toast and Dialog with the legacy ReactDOM.render, which React 19 removed; give it
// createRoot instead (https://mobile.ant.design/guide/v5-for-19).
unstableSetRender((node, container) => {
  const holder = container as Element & { _linliRoot?: Root };
  holder._linliRoot ??= createRoot(container);
  const root = holder._linliRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
  };
});

applyDisplayOptions();

// Installable and quick to reopen on a weak connection (web/public/h5/sw.js); the API is never cached.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/h5/sw.js', { scope: '/h5/' }).catch(() => {
      // Some in-app webviews refuse service workers; the app works without one.
    });
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
void initI18n({ 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
