import { createContext, useCallback, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'error';
}

const ToastContext = createContext<(text: string, tone?: Toast['tone']) => void>(() => {});

export function useToast() {
  return useContext(ToastContext);
}

/** Messages that appear briefly and are read out by screen readers (aria-live). */
export function ToastProvider({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (text: string, tone: Toast['tone'] = 'ok') => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all, { id, text, tone }]);
      setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            <span>{toast.text}</span>
            <button
              type="button"
              className="btn btn-link"
              onClick={() => dismiss(toast.id)}
              aria-label={t('state.close')}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
