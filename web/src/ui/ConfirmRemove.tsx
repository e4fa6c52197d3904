import { useMutation } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Button } from './Button.tsx';
import { ErrorState } from './States.tsx';
import { useToast } from './Toast.tsx';

/**
 * "Remove" for one register item: a button named after the item that opens a modal dialog asking to
 * confirm (the browser's <dialog>: focus moves in, Escape cancels, the page behind is inert); on
 * confirmation it sends DELETE to `url` (the API audits it) and tells `onRemoved`. A refusal from the
 * API (another office's item) is shown inside the dialog.
 */
export function ConfirmRemove({
  name,
  url,
  question,
  onRemoved,
}: {
  name: string;
  url: string;
  /** What goes with the item, said before it goes (e.g. "and its installations"). */
  question: string;
  onRemoved: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const remove = useMutation({
    mutationFn: () => api('DELETE', url),
    onSuccess: () => {
      dialog.current?.close();
      toast(t('register.removed', { name }));
      onRemoved();
    },
  });
  return (
    <>
      <Button
        variant="danger"
        aria-label={t('register.removeNamed', { name })}
        onClick={() => {
          remove.reset();
          dialog.current?.showModal();
        }}
      >
        {t('register.remove')}
      </Button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        data-testid="confirm-remove"
      >
        <h2 id={`${id}-title`}>{t('register.removeTitle', { name })}</h2>
        <p id={`${id}-text`}>{question}</p>
        {remove.isError && <ErrorState error={remove.error} />}
        <div className="actions">
          {/* The safe choice comes first and takes the focus when the dialog opens. */}
          <Button variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
            {t('register.keep')}
          </Button>
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {t('register.removeConfirm')}
          </Button>
        </div>
      </dialog>
    </>
  );
}
