/** Renderer entry: styles, the i18n instance, and the API for this environment (Electron or web mode). */
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app.js';
import { getObnovaApi } from './bridge/obnova-api.js';
import { i18n, initialLocale, loadCatalogue } from './i18n/renderer-i18n.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const render = (): void =>
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App api={getObnovaApi()} />
      </I18nextProvider>
    </StrictMode>,
  );

// The first paint waits for its one catalogue (a local chunk); were it missing, the keys still beat a blank window.
void loadCatalogue(initialLocale).then(render, render);
