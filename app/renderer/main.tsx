import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';
import { createElectronPlatform } from './platform/electron-platform.js';
import { createWebPlatform } from './platform/web-platform.js';
import { AppController } from './state/controller.js';
import './styles.css';

const platform = window.quell ? createElectronPlatform(window.quell) : createWebPlatform();
const controller = new AppController(platform, () => new Worker(new URL('./workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'quell-engine' }));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
