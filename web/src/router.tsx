import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { Layout } from './layout.tsx';
import { TaxPage } from './modules/tax/TaxPage.tsx';
import { AccountPage } from './pages/Account.tsx';
import { AuditPage } from './pages/Audit.tsx';
import { CityPage } from './pages/City.tsx';
import { HomePage } from './pages/Home.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { SignUpPage } from './pages/SignUp.tsx';

const root = createRootRoute({ component: Layout, notFoundComponent: NotFoundPage });
const page = <P extends string>(path: P, component: () => React.ReactNode) =>
  createRoute({ getParentRoute: () => root, path, component });

/** The shell's pages; each city module adds its own under its web path. */
const routeTree = root.addChildren([
  page('/', HomePage),
  page('/signin', SignInPage),
  page('/signup', SignUpPage),
  page('/account', AccountPage),
  page('/city', CityPage),
  page('/admin/audit', AuditPage),
  page('/tax', TaxPage),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
