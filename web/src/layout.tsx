import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountMenu } from './AccountMenu.tsx';
import { localName } from './i18n.ts';
import { useMe, useMeta } from './session.ts';

/** Header (brand, language, menu), the page, and the footer; on a phone the menu folds behind a button. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const me = useMe().data;
  const meta = useMeta().data;
  const path = useRouterState({ select: (s) => s.location.pathname });
  const staffReader = me && (me.role === 'admin' || me.role === 'executive');
  const close = () => setOpen(false);
  const other = i18n.language === 'th' ? 'en' : 'th';

  // A new page: fold the menu and move focus to the page, so screen readers start there (not on first load).
  const shown = useRef(path);
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    setOpen(false);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="header">
        <Link to="/" className="brand-link" onClick={close}>
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-city">{meta ? localName(meta.city, i18n.language) : t('app.tagline')}</span>
        </Link>
        <div className="header-tools">
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="lang-toggle"
            lang={other}
            aria-label={t('app.languageLabel')}
            onClick={() => i18n.changeLanguage(other)}
          >
            {t('app.language')}
          </button>
          <button
            type="button"
            className="btn btn-secondary nav-toggle"
            data-testid="nav-toggle"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((o) => !o)}
          >
            {t('app.menu')}
          </button>
        </div>
        <nav id="main-nav" className={`nav ${open ? 'open' : ''}`} aria-label={t('app.mainMenu')}>
          <Link to="/" onClick={close} activeOptions={{ exact: true }}>
            {t('nav.home')}
          </Link>
          <Link to="/city" onClick={close}>
            {t('nav.city')}
          </Link>
          <Link to="/warnings" onClick={close}>
            {t('nav.warnings')}
          </Link>
          {me?.kind === 'staff' && (
            <Link to="/alerts" onClick={close}>
              {t('nav.alerts')}
            </Link>
          )}
          {me?.kind === 'staff' && (
            <Link to="/rules" onClick={close}>
              {t('nav.rules')}
            </Link>
          )}
          {me?.kind === 'staff' && (
            <Link to="/devices" onClick={close}>
              {t('nav.devices')}
            </Link>
          )}
          {staffReader && (
            <Link to="/admin/audit" onClick={close}>
              {t('nav.audit')}
            </Link>
          )}
          {me ? (
            <AccountMenu me={me} onNavigate={close} />
          ) : (
            <Link to="/signin" onClick={close}>
              {t('nav.signin')}
            </Link>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer">
        <p>
          {t('app.footer')}
          {meta?.demo && ` · ${t('app.demoData')}`} · <Link to="/privacy">{t('nav.privacy')}</Link> ·{' '}
          <a href="/api/docs">{t('nav.apiDocs')}</a>
        </p>
      </footer>
    </>
  );
}
