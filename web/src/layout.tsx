import { Link, Outlet } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localName } from './i18n.ts';
import { useMe, useMeta } from './session.ts';

export function Layout() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const me = useMe().data;
  const meta = useMeta().data;
  const staffReader = me && (me.role === 'admin' || me.role === 'executive');
  const close = () => setOpen(false);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="header">
        <div className="brand">
          <Link to="/" className="brand-link" onClick={close}>
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-city">
              {meta ? localName(meta.city, i18n.language) : t('app.tagline')}
            </span>
          </Link>
        </div>
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
        <nav id="main-nav" className={`nav ${open ? 'open' : ''}`} aria-label={t('app.menu')}>
          <Link to="/" onClick={close} activeOptions={{ exact: true }}>
            {t('nav.home')}
          </Link>
          <Link to="/city" onClick={close}>
            {t('nav.city')}
          </Link>
          {staffReader && (
            <Link to="/admin/audit" onClick={close}>
              {t('nav.audit')}
            </Link>
          )}
          {me ? (
            <Link to="/account" onClick={close}>
              {t('nav.account')}
            </Link>
          ) : (
            <Link to="/signin" onClick={close}>
              {t('nav.signin')}
            </Link>
          )}
          <button
            type="button"
            className="btn btn-secondary lang"
            data-testid="lang-toggle"
            lang={i18n.language === 'th' ? 'en' : 'th'}
            aria-label={t('app.languageLabel')}
            onClick={() => i18n.changeLanguage(i18n.language === 'th' ? 'en' : 'th')}
          >
            {t('app.language')}
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer">
        <p>
          {t('app.footer')} · <a href="/api/docs">{t('nav.apiDocs')}</a>
        </p>
      </footer>
    </>
  );
}
