import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from './api.ts';
import { useSignOut } from './session.ts';
import { useToast } from './ui/Toast.tsx';

/** The signed-in person's menu in the header: their account page and sign-out. */
export function AccountMenu({ me, onNavigate }: { me: Me; onNavigate: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const signOut = useSignOut();
  const toast = useToast();

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      box.current?.querySelector('button')?.focus();
    };
    const onClick = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [open]);

  const done = () => {
    setOpen(false);
    onNavigate();
  };
  return (
    <div className="account-menu" ref={box}>
      <button
        type="button"
        className="btn btn-secondary"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="visually-hidden">{t('nav.accountOf')} </span>
        {me.displayName}
      </button>
      <ul id={id} className="account-popup" hidden={!open}>
        <li>
          <Link to="/account" onClick={done}>
            {t('nav.account')}
          </Link>
        </li>
        <li>
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              done();
              signOut().catch(() => toast(t('account.signoutFailed'), 'error'));
            }}
          >
            {t('account.signout')}
          </button>
        </li>
      </ul>
    </div>
  );
}
