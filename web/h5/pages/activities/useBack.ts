import { useNavigate } from 'react-router-dom';

/**
 * Back to the previous page of the app, or to `fallback` when this page is the first one of the visit (a
 * scanned QR code, a link in a message), where the browser's back would leave the app. React Router keeps
 * the position in its history stack as `idx` in history.state.
 */
export function useBack(fallback: string): () => void {
  const navigate = useNavigate();
  return () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate(fallback, { replace: true });
  };
}
