import './ui/styles.css';
import { startApp } from './ui/app';

startApp(window).catch((error: unknown) => {
  const alert = document.getElementById('alert');
  if (alert) {
    alert.textContent = `The page could not start: ${error instanceof Error ? error.message : String(error)}`;
    alert.hidden = false;
  }
  throw error;
});
