import 'leaflet/dist/leaflet.css';
import './console.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../shared/i18n.ts';
import { App } from './App.tsx';
import { resources } from './locales/index.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
void initI18n(resources).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
